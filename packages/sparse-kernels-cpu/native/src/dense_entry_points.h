// The N-API entry points of the dense kernels, registered by dense_register.cc. Each validates
// its arguments on the JS thread, then runs the kernel off the event loop (md::AsyncKernel).
#pragma once

#include <napi.h>

namespace md {

Napi::Value Conv2DEntry(const Napi::CallbackInfo& info);
Napi::Value Conv2DPackWeightsEntry(const Napi::CallbackInfo& info);
Napi::Value ConvTranspose2DEntry(const Napi::CallbackInfo& info);
Napi::Value Pool2DEntry(const Napi::CallbackInfo& info);
Napi::Value GlobalAvgPoolEntry(const Napi::CallbackInfo& info);
Napi::Value ActivationEntry(const Napi::CallbackInfo& info);
Napi::Value BatchNormEntry(const Napi::CallbackInfo& info);
Napi::Value BinaryEntry(const Napi::CallbackInfo& info);
Napi::Value ConcatEntry(const Napi::CallbackInfo& info);
Napi::Value PadEntry(const Napi::CallbackInfo& info);
Napi::Value ResizeEntry(const Napi::CallbackInfo& info);
Napi::Value GemmEntry(const Napi::CallbackInfo& info);
Napi::Value MatMulEntry(const Napi::CallbackInfo& info);

}  // namespace md
