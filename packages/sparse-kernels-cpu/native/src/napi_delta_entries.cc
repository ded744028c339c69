// The N-API entry points of the delta kernels: each reads its arguments (napi_args.h), checks them
// with the kernel's plain check (delta_checks.cc), and runs the kernel, which resolves with the
// output's new active count (the TypeScript wrapper stores it in `count`).
#include <napi.h>

#include <memory>
#include <utility>
#include <vector>

#include "delta_ops.h"
#include "napi_args.h"
#include "napi_async_kernel.h"
#include "napi_register.h"

namespace md {
namespace {

// Starts a delta kernel whose work returns the output's new active count; `work_estimate`
// (float operations) decides whether it runs inline or on a worker thread.
template <typename Args, int64_t (*Run)(Args&)>
Napi::Promise StartCounted(Napi::Env env, const char* name, std::vector<Napi::Value> keep, Args args, int64_t work_estimate) {
  auto result = std::make_shared<int64_t>(0);
  return AsyncKernel::Start(
      env, name, std::move(keep), [result, args]() mutable { *result = Run(args); },
      [result](Napi::Env e) -> Napi::Value { return Napi::Number::New(e, static_cast<double>(*result)); }, work_estimate < kInlineWork);
}

// Marks Externals made by deltaPackConv2d, so the dense conv2dPackWeights External (or any other)
// is never misread as delta packed weights.
const napi_type_tag kDeltaPackedTag = {0x6d6f74696f6e6465ULL, 0x6c74615f64656c74ULL};

void FreeDeltaPacked(Napi::Env, PackedConv* pk) { delete pk; }

// deltaSparsify(x: Float32Array, reference: Float32Array, threshold: number, out: DeltaBuffer): Promise<number>
Napi::Value SparsifyEntry(const Napi::CallbackInfo& info) {
  SparsifyArgs a;
  a.x = F32(info[0], "x");
  a.reference = F32(info[1], "reference");
  a.threshold = NumArg(info[2], "threshold");
  a.out = ReadDelta(info[3], "out");
  CheckSparsify(a);
  return StartCounted<SparsifyArgs, RunSparsify>(info.Env(), "deltaSparsify", {info[0], info[1], info[3]}, a, a.out.pixels * a.out.c * 3);
}

// deltaAccumulate(delta: DeltaBuffer, target: Float32Array): Promise<number>
Napi::Value AccumulateEntry(const Napi::CallbackInfo& info) {
  AccumulateArgs a;
  a.delta = ReadDelta(info[0], "delta");
  a.target = F32(info[1], "target");
  CheckAccumulate(a);
  return StartCounted<AccumulateArgs, RunAccumulate>(info.Env(), "deltaAccumulate", {info[0], info[1]}, a, a.delta.count * a.delta.c);
}

// deltaActivation(delta, kind, a, b, slope: Float32Array, accumulated, emitted, threshold, out): Promise<number>
Napi::Value ActivationEntry(const Napi::CallbackInfo& info) {
  DeltaActivationArgs a;
  a.in = ReadDelta(info[0], "delta");
  a.kind = IntArg(info[1], "kind");
  a.a = NumArg(info[2], "a");
  a.b = NumArg(info[3], "b");
  a.slope = F32(info[4], "slope");
  a.accumulated = F32(info[5], "accumulated");
  a.emitted = F32(info[6], "emitted");
  a.threshold = NumArg(info[7], "threshold");
  a.out = ReadDelta(info[8], "out");
  CheckDeltaActivation(a);
  return StartCounted<DeltaActivationArgs, RunDeltaActivation>(info.Env(), "deltaActivation", {info[0], info[4], info[5], info[6], info[8]},
                                                               a, a.in.count * a.in.c * 8);
}

// deltaPackConv2d(weight: Float32Array, dims: Int32Array [kh, kw, cinPerGroup, cout, groups, sh, sw, dh, dw]): Promise<External>
Napi::Value PackEntry(const Napi::CallbackInfo& info) {
  DeltaPackArgs a;
  a.w = F32(info[0], "weight");
  a.dims = IntVector(info[1], "dims");
  CheckDeltaPack(a);
  auto holder = std::make_shared<std::unique_ptr<PackedConv>>();
  return AsyncKernel::Start(
      info.Env(), "deltaPackConv2d", {info[0]}, [holder, a]() { *holder = RunDeltaPack(a); },
      [holder](Napi::Env e) -> Napi::Value {
        auto external = Napi::External<PackedConv>::New(e, holder->release(), FreeDeltaPacked);
        external.TypeTag(&kDeltaPackedTag);
        return external;
      });
}

// deltaConv2d(x, weight: Float32Array, packed: External | null, geom: Int32Array [kh, kw, sh, sw, dh, dw, padTop, padLeft, groups],
//             out, path: 0 auto | 1 input-driven | 2 output-driven): Promise<number>
Napi::Value Conv2dEntry(const Napi::CallbackInfo& info) {
  DeltaConv2dArgs a;
  a.x = ReadDelta(info[0], "x");
  a.w = F32(info[1], "weight");
  if (!Absent(info[2])) {
    if (!info[2].IsExternal() || !info[2].As<Napi::Object>().CheckTypeTag(&kDeltaPackedTag))
      TypeFail("deltaConv2d: packed must be the result of deltaPackConv2d");
    a.packed = info[2].As<Napi::External<PackedConv>>().Data();
  }
  a.geom = IntVector(info[3], "geom");
  a.out = ReadDelta(info[4], "out");
  a.path = IntArg(info[5], "path");
  a.options = ConvOptionsFromEnv();
  CheckDeltaConv2d(a);
  std::vector<Napi::Value> keep{info[0], info[1], info[3], info[4]};
  if (a.packed) keep.push_back(info[2]);
  return StartCounted<DeltaConv2dArgs, RunDeltaConv2d>(info.Env(), "deltaConv2d", std::move(keep), a, DeltaConv2dWork(a));
}

// deltaConvTranspose2d(x, weight, geom: Int32Array [kh, kw, sh, sw, dh, dw, padTop, padLeft, groups], out): Promise<number>
Napi::Value ConvTransposeEntry(const Napi::CallbackInfo& info) {
  DeltaConvTransposeArgs a;
  a.x = ReadDelta(info[0], "x");
  a.w = F32(info[1], "weight");
  a.geom = IntVector(info[2], "geom");
  a.out = ReadDelta(info[3], "out");
  CheckDeltaConvTranspose(a);
  const ConvGeom& g = a.g;
  return StartCounted<DeltaConvTransposeArgs, RunDeltaConvTranspose>(
      info.Env(), "deltaConvTranspose2d", {info[0], info[1], info[2], info[3]}, a,
      SaturatingMul(a.x.count, SaturatingMul(g.kh * g.kw * g.cin_pg, g.cout)));
}

// deltaAvgPool2d(x, geom: Int32Array [kh, kw, sh, sw, pt, pl, pb, pr, countIncludePad], out): Promise<number>
Napi::Value AvgPoolEntry(const Napi::CallbackInfo& info) {
  DeltaPoolArgs a;
  a.x = ReadDelta(info[0], "x");
  a.geom = IntVector(info[1], "geom");
  a.out = ReadDelta(info[2], "out");
  CheckDeltaAvgPool(a);
  return StartCounted<DeltaPoolArgs, RunDeltaAvgPool>(info.Env(), "deltaAvgPool2d", {info[0], info[2]}, a, DeltaPoolWork(a, false));
}

// deltaMaxPool2d(delta, geom, accumulated, emitted, threshold, out): Promise<number>
Napi::Value MaxPoolEntry(const Napi::CallbackInfo& info) {
  DeltaPoolArgs a;
  a.x = ReadDelta(info[0], "delta");
  a.geom = IntVector(info[1], "geom");
  a.accumulated = F32(info[2], "accumulated");
  a.emitted = F32(info[3], "emitted");
  a.threshold = NumArg(info[4], "threshold");
  a.out = ReadDelta(info[5], "out");
  CheckDeltaMaxPool(a);
  return StartCounted<DeltaPoolArgs, RunDeltaMaxPool>(info.Env(), "deltaMaxPool2d", {info[0], info[2], info[3], info[5]}, a,
                                                      DeltaPoolWork(a, true));
}

// deltaGlobalAvgPool(x, out): Promise<number>
Napi::Value GlobalAvgPoolEntry(const Napi::CallbackInfo& info) {
  DeltaGlobalAvgPoolArgs a;
  a.x = ReadDelta(info[0], "x");
  a.out = ReadDelta(info[1], "out");
  CheckDeltaGlobalAvgPool(a);
  return StartCounted<DeltaGlobalAvgPoolArgs, RunDeltaGlobalAvgPool>(info.Env(), "deltaGlobalAvgPool", {info[0], info[1]}, a,
                                                                     a.x.count * a.x.c);
}

// deltaScale(x, out, mode, sign, k: Float32Array, kStrides: Int32Array(4), mul: Float64Array): Promise<number>
Napi::Value ScaleEntry(const Napi::CallbackInfo& info) {
  DeltaScaleArgs a;
  a.x = ReadDelta(info[0], "x");
  a.out = ReadDelta(info[1], "out");
  a.mode = IntArg(info[2], "mode");
  a.sign = FloatArg(info[3], "sign");
  a.k = F32(info[4], "k");
  a.k_strides = I32(info[5], "kStrides");
  a.mul = F64(info[6], "mul");
  CheckDeltaScale(a);
  return StartCounted<DeltaScaleArgs, RunDeltaScale>(info.Env(), "deltaScale", {info[0], info[1], info[4], info[5], info[6]}, a,
                                                     a.x.count * a.x.c);
}

// deltaAddDeltas(a, b, signB, out): Promise<number>
Napi::Value AddDeltasEntry(const Napi::CallbackInfo& info) {
  DeltaAddDeltasArgs a;
  a.a = ReadDelta(info[0], "a");
  a.b = ReadDelta(info[1], "b");
  a.sign_b = FloatArg(info[2], "signB");
  a.out = ReadDelta(info[3], "out");
  CheckDeltaAddDeltas(a);
  return StartCounted<DeltaAddDeltasArgs, RunDeltaAddDeltas>(info.Env(), "deltaAddDeltas", {info[0], info[1], info[3]}, a,
                                                             (a.a.count + a.b.count) * a.out.c);
}

// deltaConcat(parts: DeltaBuffer[], offsets: Int32Array, out): Promise<number> (constant inputs are left out)
Napi::Value ConcatEntry(const Napi::CallbackInfo& info) {
  if (!info[0].IsArray()) TypeFail("deltaConcat: parts must be an array");
  Napi::Array arr = info[0].As<Napi::Array>();
  DeltaConcatArgs a;
  a.offsets = IntVector(info[1], "offsets");
  a.out = ReadDelta(info[2], "out");
  std::vector<Napi::Value> keep{info[0], info[1], info[2]};
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    Napi::Value part = arr.Get(i);
    a.parts.push_back(ReadDelta(part, "part"));
    keep.push_back(part);
  }
  CheckDeltaConcat(a);
  return StartCounted<DeltaConcatArgs, RunDeltaConcat>(info.Env(), "deltaConcat", std::move(keep), a, a.out.pixels);
}

DeltaResizeAxis ReadResizeAxis(const Napi::CallbackInfo& info, size_t index) {
  return {I32(info[index], "lo"), I32(info[index + 1], "hi"), F64(info[index + 2], "weight"), I32(info[index + 3], "range")};
}

// deltaResize(x, rowLo, rowHi, rowWeight, rowRange, colLo, colHi, colWeight, colRange, out): Promise<number>
Napi::Value ResizeEntry(const Napi::CallbackInfo& info) {
  DeltaResizeArgs a;
  a.x = ReadDelta(info[0], "x");
  a.rows = ReadResizeAxis(info, 1);
  a.cols = ReadResizeAxis(info, 5);
  a.out = ReadDelta(info[9], "out");
  CheckDeltaResize(a);
  std::vector<Napi::Value> keep{info[0], info[9]};
  for (size_t k = 1; k < 9; ++k) keep.push_back(info[k]);
  return StartCounted<DeltaResizeArgs, RunDeltaResize>(info.Env(), "deltaResize", std::move(keep), a, a.x.count * a.x.c * 16);
}

DeltaPadAxis ReadPadAxis(const Napi::CallbackInfo& info, size_t index) {
  return {I32(info[index], "map"), I32(info[index + 1], "start"), I32(info[index + 2], "outputs")};
}

// deltaPad(x, rowMap, rowStart, rowOutputs, colMap, colStart, colOutputs, out): Promise<number>
Napi::Value PadEntry(const Napi::CallbackInfo& info) {
  DeltaPadArgs a;
  a.x = ReadDelta(info[0], "x");
  a.rows = ReadPadAxis(info, 1);
  a.cols = ReadPadAxis(info, 4);
  a.out = ReadDelta(info[7], "out");
  CheckDeltaPad(a);
  std::vector<Napi::Value> keep{info[0], info[7]};
  for (size_t k = 1; k < 7; ++k) keep.push_back(info[k]);
  return StartCounted<DeltaPadArgs, RunDeltaPad>(info.Env(), "deltaPad", std::move(keep), a, a.x.count * a.x.c * 2);
}

DeltaOperand ReadOperand(const Napi::CallbackInfo& info, size_t index, std::vector<Napi::Value>& keep) {
  DeltaOperand o;
  if (!Absent(info[index])) {
    o.varying = true;
    o.delta = ReadDelta(info[index], "operand");
    keep.push_back(info[index]);
  }
  o.data = F32(info[index + 1], "operand data");
  o.strides = I32(info[index + 2], "operand strides");
  keep.push_back(info[index + 1]);
  keep.push_back(info[index + 2]);
  return o;
}

// deltaBinary(op: 0 Add | 1 Sub | 2 Mul | 3 Div, a: DeltaBuffer | null, aData, aStrides, b: DeltaBuffer | null, bData, bStrides,
//             emitted, threshold, out): Promise<number>
Napi::Value BinaryEntry(const Napi::CallbackInfo& info) {
  DeltaBinaryArgs a;
  std::vector<Napi::Value> keep{info[7], info[9]};
  a.op = IntArg(info[0], "op");
  a.a = ReadOperand(info, 1, keep);
  a.b = ReadOperand(info, 4, keep);
  a.emitted = F32(info[7], "emitted");
  a.threshold = NumArg(info[8], "threshold");
  a.out = ReadDelta(info[9], "out");
  CheckDeltaBinary(a);
  return StartCounted<DeltaBinaryArgs, RunDeltaBinary>(info.Env(), "deltaBinary", std::move(keep), a, DeltaBinaryWork(a));
}

}  // namespace

void RegisterDeltaKernels(Napi::Env env, Napi::Object exports) {
  exports.Set("deltaSparsify", Napi::Function::New(env, Guarded<SparsifyEntry>, "deltaSparsify"));
  exports.Set("deltaAccumulate", Napi::Function::New(env, Guarded<AccumulateEntry>, "deltaAccumulate"));
  exports.Set("deltaActivation", Napi::Function::New(env, Guarded<ActivationEntry>, "deltaActivation"));
  exports.Set("deltaPackConv2d", Napi::Function::New(env, Guarded<PackEntry>, "deltaPackConv2d"));
  exports.Set("deltaConv2d", Napi::Function::New(env, Guarded<Conv2dEntry>, "deltaConv2d"));
  exports.Set("deltaConvTranspose2d", Napi::Function::New(env, Guarded<ConvTransposeEntry>, "deltaConvTranspose2d"));
  exports.Set("deltaAvgPool2d", Napi::Function::New(env, Guarded<AvgPoolEntry>, "deltaAvgPool2d"));
  exports.Set("deltaMaxPool2d", Napi::Function::New(env, Guarded<MaxPoolEntry>, "deltaMaxPool2d"));
  exports.Set("deltaGlobalAvgPool", Napi::Function::New(env, Guarded<GlobalAvgPoolEntry>, "deltaGlobalAvgPool"));
  exports.Set("deltaScale", Napi::Function::New(env, Guarded<ScaleEntry>, "deltaScale"));
  exports.Set("deltaAddDeltas", Napi::Function::New(env, Guarded<AddDeltasEntry>, "deltaAddDeltas"));
  exports.Set("deltaConcat", Napi::Function::New(env, Guarded<ConcatEntry>, "deltaConcat"));
  exports.Set("deltaResize", Napi::Function::New(env, Guarded<ResizeEntry>, "deltaResize"));
  exports.Set("deltaPad", Napi::Function::New(env, Guarded<PadEntry>, "deltaPad"));
  exports.Set("deltaBinary", Napi::Function::New(env, Guarded<BinaryEntry>, "deltaBinary"));
}

}  // namespace md
