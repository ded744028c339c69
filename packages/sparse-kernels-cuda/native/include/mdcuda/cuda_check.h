// The one way CUDA calls and kernel launches are checked, in the addon and in the driver alike:
// MD_CUDA_CHECK(call) throws CudaError carrying the error code, the call's text, file and line;
// MD_CUDA_CHECK_LAUNCH() checks the launch just made (a bad configuration is reported by
// cudaGetLastError, not by the launch itself). The addon turns CudaError into a JavaScript error
// with those fields; the driver prints it.
#pragma once

#include <cuda_runtime_api.h>

#include <stdexcept>
#include <string>

namespace mdcuda {

class CudaError : public std::runtime_error {
 public:
  CudaError(cudaError_t code, const char* expr, const char* file, int line)
      : std::runtime_error(std::string(cudaGetErrorName(code)) + " (" + cudaGetErrorString(code) + ") from " + expr + " at " + file + ":" +
                           std::to_string(line)),
        code_(code),
        file_(file),
        line_(line) {}

  cudaError_t code() const { return code_; }
  const char* file() const { return file_; }
  int line() const { return line_; }

 private:
  cudaError_t code_;
  const char* file_;
  int line_;
};

inline void ThrowIfCudaError(cudaError_t code, const char* expr, const char* file, int line) {
  if (code != cudaSuccess) throw CudaError(code, expr, file, line);
}

}  // namespace mdcuda

#define MD_CUDA_CHECK(call) ::mdcuda::ThrowIfCudaError((call), #call, __FILE__, __LINE__)
#define MD_CUDA_CHECK_LAUNCH() ::mdcuda::ThrowIfCudaError(cudaGetLastError(), "kernel launch", __FILE__, __LINE__)
