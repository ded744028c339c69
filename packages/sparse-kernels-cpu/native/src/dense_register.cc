#include "common_args.h"
#include "dense_entry_points.h"
#include "dense_kernels.h"

namespace md {

void RegisterDenseKernels(Napi::Env env, Napi::Object exports) {
  struct Entry {
    const char* name;
    Napi::Value (*fn)(const Napi::CallbackInfo&);
  };
  static const Entry kEntries[] = {
      {"conv2d", Conv2DEntry},       {"conv2dPackWeights", Conv2DPackWeightsEntry},       {"convTranspose2d", ConvTranspose2DEntry}, {"pool2d", Pool2DEntry}, {"globalAvgPool", GlobalAvgPoolEntry},
      {"activation", ActivationEntry}, {"batchNorm", BatchNormEntry},         {"binary", BinaryEntry}, {"concat", ConcatEntry},
      {"pad", PadEntry},             {"resize", ResizeEntry},                   {"gemm", GemmEntry},     {"matmul", MatMulEntry},
  };
  for (const Entry& e : kEntries) exports.Set(e.name, Napi::Function::New(env, e.fn, e.name));
  // setInlineWork(limit): kernels of at most `limit` work units run inline on the JS thread.
  exports.Set("setInlineWork", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
    const int64_t limit = info[0].IsNumber() ? info[0].As<Napi::Number>().Int64Value() : -1;
    if (limit < 0) throw Napi::RangeError::New(info.Env(), "setInlineWork expects an integer >= 0");
    InlineWorkLimit().store(limit);
    return info.Env().Undefined();
  }, "setInlineWork"));
}

}  // namespace md
