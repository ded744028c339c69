// Host test build: runs every case file of a folder through the __host__ __device__ arithmetic on
// the CPU and prints one line per case ("pass", "fail" or "declined"), then a summary line
// "N passed, N failed, N declined". Exit status 1 when a case fails or no case ran.
//
//   md_cuda_host_conformance <case folder>
#include <cstdio>
#include <exception>
#include <string>

#include "case_compare.h"
#include "case_file.h"
#include "host_steps.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <folder of .case files>\n", argv[0]);
    return 2;
  }
  int passed = 0, failed = 0, declined = 0;
  for (const std::string& path : mdcases::ListCaseFiles(argv[1])) {
    try {
      const mdcases::CaseFile c = mdcases::ReadCaseFile(path);
      try {
        const mdcases::CompareResult r = mdcases::CompareOutputs(c, mdhost::RunOnHost(c));
        std::printf("%s %.3g %s :: %s\n", r.ok ? "pass" : "fail", r.worst, c.name.c_str(), r.message.c_str());
        (r.ok ? passed : failed)++;
      } catch (const mdhost::Declined& d) {
        std::printf("declined - %s :: %s\n", c.name.c_str(), d.what());
        declined++;
      }
    } catch (const std::exception& e) {
      std::printf("fail inf %s :: %s\n", path.c_str(), e.what());
      failed++;
    }
  }
  std::printf("%d passed, %d failed, %d declined\n", passed, failed, declined);
  return failed > 0 || passed == 0 ? 1 : 0;
}
