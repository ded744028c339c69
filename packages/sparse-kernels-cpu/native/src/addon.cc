// Module entry: thread settings plus the dense and delta kernel entry points.
#include <napi.h>

#include "delta_kernels.h"
#include "dense_kernels.h"
#include "thread_pool.h"

namespace {

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber() || info[0].As<Napi::Number>().Int32Value() < 1) {
    throw Napi::RangeError::New(env, "setThreads expects an integer >= 1");
  }
  md::set_num_threads(info[0].As<Napi::Number>().Int32Value());
  return env.Undefined();
}

Napi::Value GetThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), md::num_threads()); }

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("setThreads", Napi::Function::New(env, SetThreads, "setThreads"));
  exports.Set("threads", Napi::Function::New(env, GetThreads, "threads"));
  md::RegisterDenseKernels(env, exports);
  md::RegisterDeltaKernels(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(motiondelta_cpu, Init)
