// GPU test-and-benchmark driver (no Node): runs every case file of a folder on the device through
// the CUDA kernels, compares with the reference's outputs under the suite's tolerances, then times
// each case's step (CUDA events around the step's launches only; inputs and state are restored
// before every iteration, outside the timed region).
//
//   md_cuda_gpu_conformance <case folder> [--iters N] [--no-time]
//
// Prints "device <name> sm <cc>", one line per case ("pass"/"fail"/"declined", as the host test
// build), "time <median ms> <min ms> <op> <case>" per timed case, then
// "N passed, N failed, N declined". Exit status 1 when a case fails or none ran.
#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "case_compare.h"
#include "case_file.h"
#include "device_steps.h"
#include "mdcuda/cuda_check.h"

namespace {

// Median and minimum of `iters` timed runs of the step, in milliseconds.
std::pair<double, double> TimeStep(const mddriver::DeviceRun& run, cudaStream_t stream, int iters) {
  cudaEvent_t start, stop;
  MD_CUDA_CHECK(cudaEventCreate(&start));
  MD_CUDA_CHECK(cudaEventCreate(&stop));
  std::vector<double> ms;
  for (int i = 0; i < iters + 2; i++) {
    run.prepare();
    MD_CUDA_CHECK(cudaStreamSynchronize(stream));
    MD_CUDA_CHECK(cudaEventRecord(start, stream));
    run.launch();
    MD_CUDA_CHECK(cudaEventRecord(stop, stream));
    MD_CUDA_CHECK(cudaEventSynchronize(stop));
    float elapsed = 0;
    MD_CUDA_CHECK(cudaEventElapsedTime(&elapsed, start, stop));
    if (i >= 2) ms.push_back(elapsed);  // the first two warm caches and load the module
  }
  MD_CUDA_CHECK(cudaEventDestroy(start));
  MD_CUDA_CHECK(cudaEventDestroy(stop));
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms.front()};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <folder of .case files> [--iters N] [--no-time]\n", argv[0]);
    return 2;
  }
  int iters = 20;
  bool time = true;
  for (int i = 2; i < argc; i++) {
    if (std::strcmp(argv[i], "--iters") == 0 && i + 1 < argc) {
      iters = std::max(1, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--no-time") == 0) {
      time = false;
    } else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  cudaStream_t stream;
  try {
    int device = 0;
    MD_CUDA_CHECK(cudaGetDevice(&device));
    cudaDeviceProp prop{};
    MD_CUDA_CHECK(cudaGetDeviceProperties(&prop, device));
    std::printf("device %s sm %d.%d\n", prop.name, prop.major, prop.minor);
    MD_CUDA_CHECK(cudaStreamCreate(&stream));
  } catch (const mdcuda::CudaError& e) {
    std::fprintf(stderr, "no usable CUDA device: %s\n", e.what());
    return 1;
  }
  int passed = 0, failed = 0, declined = 0;
  for (const std::string& path : mdcases::ListCaseFiles(argv[1])) {
    try {
      const mdcases::CaseFile c = mdcases::ReadCaseFile(path);
      try {
        const mddriver::DeviceRun run = mddriver::MakeDeviceRun(c, stream);
        run.prepare();
        run.launch();
        MD_CUDA_CHECK(cudaStreamSynchronize(stream));
        const mdcases::CompareResult r = mdcases::CompareOutputs(c, run.collect());
        std::printf("%s %.3g %s :: %s\n", r.ok ? "pass" : "fail", r.worst, c.name.c_str(), r.message.c_str());
        (r.ok ? passed : failed)++;
        if (time) {
          const auto [median, best] = TimeStep(run, stream, iters);
          std::printf("time %.4f %.4f %s %s\n", median, best, c.op.c_str(), c.name.c_str());
        }
      } catch (const mddriver::Declined& d) {
        std::printf("declined - %s :: %s\n", c.name.c_str(), d.what());
        declined++;
      }
    } catch (const mdcuda::CudaError& e) {
      std::printf("fail inf %s :: %s\n", path.c_str(), e.what());
      failed++;
      // A sticky error (an illegal address) poisons the context: later cases would fail for it.
      if (cudaGetLastError() != cudaSuccess && cudaDeviceSynchronize() != cudaSuccess) {
        std::printf("the CUDA context is unusable after this error; stopping\n");
        break;
      }
    } catch (const std::exception& e) {
      std::printf("fail inf %s :: %s\n", path.c_str(), e.what());
      failed++;
    }
    std::fflush(stdout);
  }
  std::printf("%d passed, %d failed, %d declined\n", passed, failed, declined);
  return failed > 0 || passed == 0 ? 1 : 0;
}
