// Registration hooks of the delta kernel families, one per delta_*.cc file.
#pragma once
#include <napi.h>

namespace md {
void RegisterDeltaSparsify(Napi::Env env, Napi::Object exports);
void RegisterDeltaActivation(Napi::Env env, Napi::Object exports);
void RegisterDeltaConv2d(Napi::Env env, Napi::Object exports);
void RegisterDeltaConvTranspose(Napi::Env env, Napi::Object exports);
void RegisterDeltaElementwise(Napi::Env env, Napi::Object exports);
void RegisterDeltaPool(Napi::Env env, Napi::Object exports);
void RegisterDeltaBinary(Napi::Env env, Napi::Object exports);
void RegisterDeltaResize(Napi::Env env, Napi::Object exports);
void RegisterDeltaPad(Napi::Env env, Napi::Object exports);
}  // namespace md
