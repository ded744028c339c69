// Registration of the addon's entry points (napi_dense_entries.cc, napi_delta_entries.cc,
// napi_program_entries.cc).
#pragma once

#include <napi.h>

namespace md {
void RegisterDenseKernels(Napi::Env env, Napi::Object exports);
void RegisterDeltaKernels(Napi::Env env, Napi::Object exports);
void RegisterProgramEntries(Napi::Env env, Napi::Object exports);
}  // namespace md
