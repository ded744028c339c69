// The probe of a CPU-only build (nvcc was not found when it was built): no CUDA code is in the
// binary, and it says so in the words the JavaScript side reports.
#include "device_status.h"

namespace mdcuda {

DeviceStatus ProbeDevices() { return DeviceStatus{false, 0, 0, {}, "built without CUDA: nvcc not found at build time"}; }

}  // namespace mdcuda
