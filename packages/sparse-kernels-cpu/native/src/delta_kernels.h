// Delta kernels: registration of their N-API entry points (owned by delta_*.cc files).
#pragma once
#include <napi.h>

namespace md {
void RegisterDeltaKernels(Napi::Env env, Napi::Object exports);
}
