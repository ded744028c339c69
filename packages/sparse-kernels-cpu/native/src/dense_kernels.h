// Dense kernels: registration of their N-API entry points (owned by dense_*.cc files).
#pragma once
#include <napi.h>

namespace md {
void RegisterDenseKernels(Napi::Env env, Napi::Object exports);
}
