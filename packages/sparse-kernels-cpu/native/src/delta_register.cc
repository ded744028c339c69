#include "delta_kernels.h"

namespace md {
// Filled in as delta kernels land; each adds its entry point here.
void RegisterDeltaKernels(Napi::Env env, Napi::Object exports) {}
}  // namespace md
