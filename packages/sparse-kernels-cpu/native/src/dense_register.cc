#include "dense_kernels.h"

namespace md {
// Filled in as dense kernels land; each adds its entry point here.
void RegisterDenseKernels(Napi::Env env, Napi::Object exports) {}
}  // namespace md
