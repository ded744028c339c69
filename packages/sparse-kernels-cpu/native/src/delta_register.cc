#include "delta_kernels.h"
#include "delta_ops.h"

namespace md {
// Each delta kernel family registers its entry points (see src/delta/native-delta-addon.ts).
void RegisterDeltaKernels(Napi::Env env, Napi::Object exports) {
  RegisterDeltaSparsify(env, exports);
  RegisterDeltaActivation(env, exports);
  RegisterDeltaConv2d(env, exports);
  RegisterDeltaConvTranspose(env, exports);
  RegisterDeltaElementwise(env, exports);
  RegisterDeltaPool(env, exports);
  RegisterDeltaBinary(env, exports);
  RegisterDeltaResize(env, exports);
  RegisterDeltaPad(env, exports);
}
}  // namespace md
