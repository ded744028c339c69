// The N-API entry points of the dense kernels: each reads its arguments (napi_args.h), checks them
// with the kernel's plain check (dense_checks.cc), and runs the kernel off the event loop
// (napi_async_kernel.h), or inline when it is tiny.
#include <napi.h>

#include <memory>
#include <utility>

#include "dense_conv2d.h"
#include "dense_ops.h"
#include "napi_args.h"
#include "napi_async_kernel.h"
#include "napi_register.h"

namespace md {
namespace {

// Marks Externals made by conv2dPackWeights, so another kind of External is never misread as one.
const napi_type_tag kPackedTag = {0x6d6f74696f6e6465ULL, 0x6c74615f636f6e76ULL};

void FreePacked(Napi::Env, PackedConvWeights* p) { delete p; }

// conv2dPackWeights(weight, bias | null, geometry): Promise<External | null> — null when the
// geometry takes the depthwise path or the CPU path has no packed GEMM (nothing to pack).
Napi::Value Conv2DPackWeightsEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Conv2DArgs a;
  a.w = F32(info[0], "weight");
  a.bias = OptF32(info[1], "bias");
  a.geometry = IntVector(info[2], "geometry");
  CheckConv2DPack(a);
  if (a.g.depthwise()) {
    auto deferred = Napi::Promise::Deferred::New(env);
    deferred.Resolve(env.Null());
    return deferred.Promise();
  }
  auto holder = std::make_shared<std::unique_ptr<PackedConvWeights>>();
  return AsyncKernel::Start(
      env, "conv2dPackWeights", {info[0], info[1]},
      [=] { *holder = std::make_unique<PackedConvWeights>(PackConvWeights(a.g, a.w.data, a.bias.data)); },
      [holder](Napi::Env e) -> Napi::Value {
        auto external = Napi::External<PackedConvWeights>::New(e, holder->release(), FreePacked);
        external.TypeTag(&kPackedTag);
        return external;
      });
}

// conv2d(x, weight, bias | null, out, geometry: Int32Array(16), activation | null, packed?: External | null)
Napi::Value Conv2DEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Conv2DArgs a;
  a.x = F32(info[0], "x");
  a.w = F32(info[1], "weight");
  a.bias = OptF32(info[2], "bias");
  a.out = F32(info[3], "out");
  a.geometry = IntVector(info[4], "geometry");
  a.act = ReadActivation(info[5]);
  if (info.Length() > 6 && !Absent(info[6])) {
    if (!info[6].IsExternal() || !info[6].As<Napi::Object>().CheckTypeTag(&kPackedTag))
      TypeFail("conv2d: packed must be the result of conv2dPackWeights");
    a.packed = info[6].As<Napi::External<PackedConvWeights>>().Data();
  }
  a.options = ConvOptionsFromEnv();
  CheckConv2D(a);
  return AsyncKernel::Start(
      env, "conv2d", {info[0], info[1], info[2], info[3], info[5], info.Length() > 6 ? info[6] : env.Undefined()}, [a] { RunConv2D(a); },
      nullptr, RunInline(Conv2DWork(a)));
}

// convTranspose2d(x, weight, bias | null, out, geometry: Int32Array(16), activation | null)
Napi::Value ConvTranspose2DEntry(const Napi::CallbackInfo& info) {
  ConvTranspose2DArgs a;
  a.x = F32(info[0], "x");
  a.w = F32(info[1], "weight");
  a.bias = OptF32(info[2], "bias");
  a.out = F32(info[3], "out");
  a.geometry = IntVector(info[4], "geometry");
  a.act = ReadActivation(info[5]);
  CheckConvTranspose2D(a);
  const ConvGeometry& g = a.g;
  return AsyncKernel::Start(
      info.Env(), "convTranspose2d", {info[0], info[1], info[2], info[3], info[5]}, [a] { RunConvTranspose2D(a); }, nullptr,
      RunInline(SaturatingMul(g.input_size(), g.kh * g.kw * (g.out_c / g.groups)) / 8));
}

// pool2d(x, out, geometry: Int32Array(14), kind: 0 max | 1 avg, countIncludePad: boolean)
Napi::Value Pool2DEntry(const Napi::CallbackInfo& info) {
  Pool2DArgs a;
  a.x = F32(info[0], "x");
  a.out = F32(info[1], "out");
  a.geometry = IntVector(info[2], "geometry");
  a.kind = IntArg(info[3], "kind");
  a.count_include_pad = info[4].ToBoolean().Value();
  CheckPool2D(a);
  return AsyncKernel::Start(
      info.Env(), "pool2d", {info[0], info[1]}, [a] { RunPool2D(a); }, nullptr,
      RunInline(SaturatingMul(static_cast<int64_t>(a.out.length), a.geometry[6] * a.geometry[7])));
}

// globalAvgPool(x, out, batch, pixels, channels): mean per image and channel, summed in double.
Napi::Value GlobalAvgPoolEntry(const Napi::CallbackInfo& info) {
  GlobalAvgPoolArgs a;
  a.x = F32(info[0], "x");
  a.out = F32(info[1], "out");
  a.batch = IntArg(info[2], "batch");
  a.pixels = IntArg(info[3], "pixels");
  a.channels = IntArg(info[4], "channels");
  CheckGlobalAvgPool(a);
  return AsyncKernel::Start(
      info.Env(), "globalAvgPool", {info[0], info[1]}, [a] { RunGlobalAvgPool(a); }, nullptr, RunInline(static_cast<int64_t>(a.x.length)));
}

// activation(x, out, channels, activation)
Napi::Value ActivationEntry(const Napi::CallbackInfo& info) {
  ActivationArgs a;
  a.x = F32(info[0], "x");
  a.out = F32(info[1], "out");
  a.channels = IntArg(info[2], "channels");
  a.act = ReadActivation(info[3]);
  CheckActivationKernel(a);
  return AsyncKernel::Start(
      info.Env(), "activation", {info[0], info[1], info[3]}, [a] { RunActivation(a); }, nullptr,
      RunInline(static_cast<int64_t>(a.x.length)));
}

// batchNorm(x, out, mul, add): out = x * mul[c] + add[c], c the last axis.
Napi::Value BatchNormEntry(const Napi::CallbackInfo& info) {
  BatchNormArgs a;
  a.x = F32(info[0], "x");
  a.out = F32(info[1], "out");
  a.mul = F32(info[2], "mul");
  a.add = F32(info[3], "add");
  CheckBatchNorm(a);
  return AsyncKernel::Start(
      info.Env(), "batchNorm", {info[0], info[1], info[2], info[3]}, [a] { RunBatchNorm(a); }, nullptr,
      RunInline(static_cast<int64_t>(a.x.length)));
}

// binary(a, b, out, op, outShape, aStrides, bStrides, activation | null)
Napi::Value BinaryEntry(const Napi::CallbackInfo& info) {
  BinaryArgs a;
  a.a = F32(info[0], "a");
  a.b = F32(info[1], "b");
  a.out = F32(info[2], "out");
  a.op = IntArg(info[3], "op");
  a.shape = IntVector(info[4], "outShape");
  a.sa = IntVector(info[5], "aStrides");
  a.sb = IntVector(info[6], "bStrides");
  a.act = ReadActivation(info[7]);
  CheckBinary(a);
  return AsyncKernel::Start(
      info.Env(), "binary", {info[0], info[1], info[2], info[7]}, [a] { RunBinary(a); }, nullptr,
      RunInline(static_cast<int64_t>(a.out.length)));
}

// concat(inputs: Float32Array[], out, outer, chunks: Int32Array)
Napi::Value ConcatEntry(const Napi::CallbackInfo& info) {
  if (!info[0].IsArray()) TypeFail("concat: inputs must be an array of Float32Arrays");
  Napi::Array list = info[0].As<Napi::Array>();
  ConcatArgs a;
  a.out = F32(info[1], "out");
  a.outer = IntArg(info[2], "outer");
  a.chunks = IntVector(info[3], "chunks");
  std::vector<Napi::Value> keep{info[1]};
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value v = list.Get(i);
    a.inputs.push_back(F32(v, "concat input"));
    keep.push_back(v);
  }
  CheckConcat(a);
  return AsyncKernel::Start(
      info.Env(), "concat", std::move(keep), [a] { RunConcat(a); }, nullptr, RunInline(static_cast<int64_t>(a.out.length)));
}

// pad(x, out, outShape, inStrides, maps, value): maps concatenates, per axis, output index ->
// input index (or -1 for the constant value).
Napi::Value PadEntry(const Napi::CallbackInfo& info) {
  PadArgs a;
  a.x = F32(info[0], "x");
  a.out = F32(info[1], "out");
  a.shape = IntVector(info[2], "outShape");
  a.strides = IntVector(info[3], "inStrides");
  const I32Span maps = I32(info[4], "maps");
  a.maps.assign(maps.data, maps.data + maps.length);
  a.value = FloatArg(info[5], "value");
  CheckPad(a);
  return AsyncKernel::Start(
      info.Env(), "pad", {info[0], info[1]}, [a] { RunPad(a); }, nullptr, RunInline(static_cast<int64_t>(a.out.length)));
}

// resize(x, out, geometry [batch, inH, inW, c, outH, outW], rowLo, rowHi, rowWeight, colLo, colHi, colWeight)
Napi::Value ResizeEntry(const Napi::CallbackInfo& info) {
  ResizeArgs a;
  a.x = F32(info[0], "x");
  a.out = F32(info[1], "out");
  a.geometry = IntVector(info[2], "geometry");
  a.row_lo = I32(info[3], "rowLo");
  a.row_hi = I32(info[4], "rowHi");
  a.row_weight = F32(info[5], "rowWeight");
  a.col_lo = I32(info[6], "colLo");
  a.col_hi = I32(info[7], "colHi");
  a.col_weight = F32(info[8], "colWeight");
  CheckResize(a);
  return AsyncKernel::Start(
      info.Env(), "resize", {info[0], info[1], info[3], info[4], info[5], info[6], info[7], info[8]}, [a] { RunResize(a); }, nullptr,
      RunInline(static_cast<int64_t>(a.out.length) * 2));
}

// gemm(a, b, c | null, out, geometry [m, k, n, transA, transB, cRowStride, cColStride], alpha, beta, activation | null)
Napi::Value GemmEntry(const Napi::CallbackInfo& info) {
  GemmArgs a;
  a.a = F32(info[0], "a");
  a.b = F32(info[1], "b");
  a.c = OptF32(info[2], "c");
  a.out = F32(info[3], "out");
  a.geometry = IntVector(info[4], "geometry");
  a.alpha = FloatArg(info[5], "alpha");
  a.beta = FloatArg(info[6], "beta");
  a.act = ReadActivation(info[7]);
  CheckGemm(a);
  const int64_t m = a.geometry[0], k = a.geometry[1], n = a.geometry[2];
  return AsyncKernel::Start(
      info.Env(), "gemm", {info[0], info[1], info[2], info[3], info[7]}, [a] { RunGemm(a); }, nullptr,
      RunInline(SaturatingMul(m * n, k) / 8 + m * n));
}

// matmul(a, b, out, geometry [m, k, n, batches, channels], aOffsets, bOffsets, activation | null)
Napi::Value MatMulEntry(const Napi::CallbackInfo& info) {
  MatMulArgs a;
  a.a = F32(info[0], "a");
  a.b = F32(info[1], "b");
  a.out = F32(info[2], "out");
  a.geometry = IntVector(info[3], "geometry");
  a.a_offsets = IntVector(info[4], "aOffsets");
  a.b_offsets = IntVector(info[5], "bOffsets");
  a.act = ReadActivation(info[6]);
  CheckMatMul(a);
  const int64_t m = a.geometry[0], k = a.geometry[1], n = a.geometry[2], batches = a.geometry[3];
  return AsyncKernel::Start(
      info.Env(), "matmul", {info[0], info[1], info[2], info[6]}, [a] { RunMatMul(a); }, nullptr,
      RunInline(SaturatingMul(batches, SaturatingMul(m * n, k) / 8 + m * n)));
}

// stridedCopy(x, out, outShape, inStrides, base): Slice, DepthToSpace, SpaceToDepth.
Napi::Value StridedCopyEntry(const Napi::CallbackInfo& info) {
  StridedCopyArgs a;
  a.x = F32(info[0], "x");
  a.out = F32(info[1], "out");
  a.shape = IntVector(info[2], "outShape");
  a.strides = IntVector(info[3], "inStrides");
  a.base = IntArg(info[4], "base");
  CheckStridedCopy(a);
  return AsyncKernel::Start(
      info.Env(), "stridedCopy", {info[0], info[1]}, [a] { RunStridedCopy(a); }, nullptr, RunInline(static_cast<int64_t>(a.out.length)));
}

// reduce(x, out, shape, reduced: Int32Array of 0/1 flags, kind)
Napi::Value ReduceEntry(const Napi::CallbackInfo& info) {
  ReduceArgs a;
  a.x = F32(info[0], "x");
  a.out = F32(info[1], "out");
  a.shape = IntVector(info[2], "shape");
  a.reduced = IntVector(info[3], "reduced");
  a.kind = IntArg(info[4], "kind");
  CheckReduce(a);
  return AsyncKernel::Start(
      info.Env(), "reduce", {info[0], info[1]}, [a] { RunReduce(a); }, nullptr, RunInline(static_cast<int64_t>(a.x.length)));
}

}  // namespace

void RegisterDenseKernels(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2d", Napi::Function::New(env, Guarded<Conv2DEntry>, "conv2d"));
  exports.Set("conv2dPackWeights", Napi::Function::New(env, Guarded<Conv2DPackWeightsEntry>, "conv2dPackWeights"));
  exports.Set("convTranspose2d", Napi::Function::New(env, Guarded<ConvTranspose2DEntry>, "convTranspose2d"));
  exports.Set("pool2d", Napi::Function::New(env, Guarded<Pool2DEntry>, "pool2d"));
  exports.Set("globalAvgPool", Napi::Function::New(env, Guarded<GlobalAvgPoolEntry>, "globalAvgPool"));
  exports.Set("activation", Napi::Function::New(env, Guarded<ActivationEntry>, "activation"));
  exports.Set("batchNorm", Napi::Function::New(env, Guarded<BatchNormEntry>, "batchNorm"));
  exports.Set("binary", Napi::Function::New(env, Guarded<BinaryEntry>, "binary"));
  exports.Set("concat", Napi::Function::New(env, Guarded<ConcatEntry>, "concat"));
  exports.Set("pad", Napi::Function::New(env, Guarded<PadEntry>, "pad"));
  exports.Set("resize", Napi::Function::New(env, Guarded<ResizeEntry>, "resize"));
  exports.Set("gemm", Napi::Function::New(env, Guarded<GemmEntry>, "gemm"));
  exports.Set("matmul", Napi::Function::New(env, Guarded<MatMulEntry>, "matmul"));
  exports.Set("stridedCopy", Napi::Function::New(env, Guarded<StridedCopyEntry>, "stridedCopy"));
  exports.Set("reduce", Napi::Function::New(env, Guarded<ReduceEntry>, "reduce"));
}

}  // namespace md
