// Module entry: process-wide settings (threads, inline-work limit, the CPU path) plus the dense and
// delta kernel entry points. Every setting is validated (native_options.h) before anything
// changes, so a refused value leaves the thread pool as it was.
#include <napi.h>

#include <cstdlib>
#include <string>

#include "cpu_isa.h"
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

// cpuFeatures(): { isa, best, forced, features: { sse4_2, avx, avx2, fma, avx512f } }: the
// instruction set the kernels run with, the best one this CPU supports, whether MD_CPU_ISA chose
// it, and what the CPU reports.
Napi::Value CpuFeaturesEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const CpuFeatures f = DetectCpuFeatures();
  Napi::Object features = Napi::Object::New(env);
  features.Set("sse4_2", f.sse4_2);
  features.Set("avx", f.avx);
  features.Set("avx2", f.avx2);
  features.Set("fma", f.fma);
  features.Set("avx512f", f.avx512f);
  Napi::Object result = Napi::Object::New(env);
  result.Set("isa", CpuIsaName(ActiveCpuIsa()));
  result.Set("best", CpuIsaName(BestCpuIsa()));
  result.Set("forced", CpuIsaForced());
  result.Set("features", features);
  return result;
}

// MD_CPU_ISA, read once when the addon loads (on the JavaScript thread, before any kernel of this
// instance runs): the instruction set every kernel then uses. A value it does not accept makes
// the load fail with a RangeError naming the variable, rather than being ignored.
void SelectCpuIsaFromEnv(Napi::Env env) {
  const char* value = std::getenv("MD_CPU_ISA");
  try {
    const CpuIsa isa = ParseCpuIsa(value, BestCpuIsa());
    SelectCpuIsa(isa, value != nullptr && *value != '\0' && std::string(value) != "auto");
  } catch (const ArgError& e) {
    throw Napi::RangeError::New(env, e.what());
  }
}

}  // namespace
}  // namespace md

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  using namespace md;
  SelectCpuIsaFromEnv(env);
  exports.Set("cpuFeatures", Napi::Function::New(env, CpuFeaturesEntry, "cpuFeatures"));
  exports.Set("setThreads", Napi::Function::New(env, Guarded<SetThreads>, "setThreads"));
  exports.Set("threads", Napi::Function::New(env, GetThreads, "threads"));
  exports.Set("setInlineWork", Napi::Function::New(env, Guarded<SetInlineWork>, "setInlineWork"));
  RegisterDenseKernels(env, exports);
  RegisterDeltaKernels(env, exports);
  RegisterProgramEntries(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(motiondelta_cpu, Init)
