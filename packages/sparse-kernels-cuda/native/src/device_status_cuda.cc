// The probe of a CUDA build. The runtime is linked statically (CUDA::cudart_static), so this file
// loads on machines without a driver; the runtime then answers cudaErrorInsufficientDriver (no
// libcuda) or cudaErrorNoDevice (a driver, no device), which are reasons to fall back, not errors.
#include <cuda_runtime_api.h>

#include "device_status.h"
#include "mdcuda/cuda_check.h"

namespace mdcuda {

DeviceStatus ProbeDevices() {
  DeviceStatus status{true, 0, 0, {}, ""};
  MD_CUDA_CHECK(cudaRuntimeGetVersion(&status.runtime_version));
  // Returns 0 without error when no driver is installed.
  MD_CUDA_CHECK(cudaDriverGetVersion(&status.driver_version));
  int count = 0;
  const cudaError_t counted = cudaGetDeviceCount(&count);
  if (counted == cudaErrorInsufficientDriver && status.driver_version == 0) {
    status.unavailable = "no NVIDIA driver";
    return status;
  }
  if (counted == cudaErrorInsufficientDriver) {
    status.unavailable = "the NVIDIA driver is too old for CUDA " + std::to_string(status.runtime_version / 1000) + "." +
                         std::to_string(status.runtime_version % 1000 / 10) + " (driver supports CUDA " +
                         std::to_string(status.driver_version / 1000) + "." + std::to_string(status.driver_version % 1000 / 10) + ")";
    return status;
  }
  if (counted == cudaErrorNoDevice || (counted == cudaSuccess && count == 0)) {
    status.unavailable = "no CUDA device";
    return status;
  }
  MD_CUDA_CHECK(counted);
  for (int d = 0; d < count; d++) {
    cudaDeviceProp prop{};
    MD_CUDA_CHECK(cudaGetDeviceProperties(&prop, d));
    status.devices.push_back(
        DeviceInfo{prop.name, prop.major, prop.minor, static_cast<double>(prop.totalGlobalMem), prop.multiProcessorCount});
  }
  return status;
}

}  // namespace mdcuda
