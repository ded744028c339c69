// What the addon can tell JavaScript about CUDA on this machine, without needing a GPU to load.
#pragma once

#include <string>
#include <vector>

namespace mdcuda {

struct DeviceInfo {
  std::string name;
  int major;  // compute capability
  int minor;
  double memory_bytes;
  int multiprocessors;
};

struct DeviceStatus {
  /** Whether this binary was compiled with nvcc (a CPU-only build has no CUDA code at all). */
  bool built_with_cuda;
  /** CUDA runtime the addon links statically, as 1000*major + 10*minor; 0 in a CPU-only build. */
  int runtime_version;
  /** Newest CUDA version the installed driver supports; 0 when there is no driver. */
  int driver_version;
  std::vector<DeviceInfo> devices;
  /**
   * Why no device can be used, in the words the JavaScript side reports: "no NVIDIA driver",
   * "no CUDA device", "built without CUDA: nvcc not found at build time"; empty when usable.
   */
  std::string unavailable;
};

/** Probes the driver and devices. Throws CudaError for a CUDA failure other than a missing driver or device. */
DeviceStatus ProbeDevices();

}  // namespace mdcuda
