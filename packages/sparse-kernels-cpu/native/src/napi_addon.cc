// Module entry: process-wide settings (threads, inline-work limit) plus the dense and delta kernel
// entry points. Every setting is validated (native_options.h) before anything changes, so a
// refused value leaves the thread pool as it was.
#include <napi.h>

#include "napi_args.h"
#include "napi_register.h"
#include "native_options.h"
#include "thread_pool.h"

namespace md {
namespace {

// setThreads(n): an integer from 1 to kMaxThreads.
Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  const int threads = CheckThreadCount(NumArg(info[0], "threads"));
  set_num_threads(threads);
  return info.Env().Undefined();
}

Napi::Value GetThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), num_threads()); }

// setInlineWork(limit): kernels of at most `limit` work units run inline on the JS thread.
Napi::Value SetInlineWork(const Napi::CallbackInfo& info) {
  const int64_t limit = CheckInlineWork(NumArg(info[0], "limit"));
  InlineWorkLimit().store(limit);
  return info.Env().Undefined();
}

}  // namespace
}  // namespace md

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  using namespace md;
  exports.Set("setThreads", Napi::Function::New(env, Guarded<SetThreads>, "setThreads"));
  exports.Set("threads", Napi::Function::New(env, GetThreads, "threads"));
  exports.Set("setInlineWork", Napi::Function::New(env, Guarded<SetInlineWork>, "setInlineWork"));
  RegisterDenseKernels(env, exports);
  RegisterDeltaKernels(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(motiondelta_cpu, Init)
