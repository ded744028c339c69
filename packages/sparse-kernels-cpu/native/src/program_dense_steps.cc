// Dense and copy steps of a compiled program: each dense op's kernel arguments are built on the
// program's storage and checked once (the same Check* the per-node N-API entries run, so the
// program's kernels index exactly what the checks allowed); weights are packed here, once.
//
// Attributes per dense op (StepSpec fields; the encoder is src/program/encode-dense-step.ts), the
// operands being the op's inputs then the output:
//   Conv2D, ConvTranspose2D: ints = geometry (16, as conv2d), act; operands x, weight, bias | -1;
//                  where a Mul and an Add by constants were fused into it
//                  (src/program/fuse-conv-steps.ts), f32 = multiplier, offset (each empty or one value)
//   Pool2D:        ints = geometry (14, as pool2d), kind (0 max, 1 average), countIncludePad
//   GlobalAvgPool: ints = batch, pixels, channels
//   Activation:    ints = channels; act
//   BatchNorm:     f32 = mul, add (folded per channel); operands x
//   Binary:        ints = op (0 Add, 1 Sub, 2 Mul, 3 Div, 4 Max, 5 Min); i32 = shape, a strides, b strides; act
//   Concat:        ints = outer, chunk per input
//   Pad:           i32 = output shape, input strides, maps; floats = value
//   Resize:        ints = geometry (6); i32 = rowLo, rowHi, colLo, colHi; f32 = rowWeight, colWeight
//   MatMul:        ints = geometry (5); i32 = A offsets, B offsets; act
//   Gemm:          ints = geometry (7); floats = alpha, beta; act; operands A, B, C | -1
//   Reshape:       (an alias of its input, or a copy)
//   Transpose:     i32 = input shape, perm
//   Softmax:       ints = outer, length, inner
//   StridedCopy:   ints = base; i32 = output shape, input strides (Slice, DepthToSpace, SpaceToDepth)
//   Reduce:        ints = kind; i32 = input shape, reduced flags
//   Empty:         (no elements: nothing runs)
//   Fused:         (folded into an earlier convolution's epilogue: nothing runs)
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "arg_error.h"
#include "dense_conv2d.h"
#include "dense_ops.h"
#include "program_dense_kernel.h"
#include "program_step.h"

namespace md {
namespace {

using Kernel = DenseKernel;

// Runs `kernel` unless this is a frame entry and none of `inputs` changed: the output would be
// what it already holds (a dense island over unchanged accumulators).
class DenseStep : public ProgramStep {
 public:
  DenseStep(std::vector<int32_t> inputs, int32_t output, int64_t pixels, Kernel kernel)
      : inputs_(std::move(inputs)), output_(output), pixels_(pixels), kernel_(std::move(kernel)) {}

  int64_t Run(RunState& state) override {
    if (!state.keyframe) {
      bool any = false;
      for (int32_t id : inputs_) any = any || state.changed[static_cast<size_t>(id)] != 0;
      if (!any) return -1;
    }
    if (kernel_) kernel_();
    state.changed[static_cast<size_t>(output_)] = 1;
    return pixels_;
  }

 private:
  std::vector<int32_t> inputs_;
  int32_t output_;
  int64_t pixels_;
  Kernel kernel_;
};

// Copies a tensor into another of the same size; never skipped (how a keyframe fills state).
class CopyStep : public ProgramStep {
 public:
  CopyStep(F32Span from, F32Span to, int32_t output, int64_t pixels) : from_(from), to_(to), output_(output), pixels_(pixels) {}
  int64_t Run(RunState& state) override {
    if (from_.data != to_.data) std::memcpy(to_.data, from_.data, from_.length * sizeof(float));
    state.changed[static_cast<size_t>(output_)] = 1;
    return pixels_;
  }

 private:
  F32Span from_, to_;
  int32_t output_;
  int64_t pixels_;
};

}  // namespace

Activation ActivationOf(const StepSpec& s) {
  Activation act;
  act.kind = s.act_kind;
  act.a = s.act_a;
  act.b = s.act_b;
  if (act.kind == ActKind::kPrelu) {
    act.slope = s.act_slope.data();
    act.slope_len = static_cast<int64_t>(s.act_slope.size());
  }
  return act;
}

namespace {

template <typename T>
std::vector<T>& Table(std::vector<std::vector<T>>& t, size_t i, const StepSpec& s) {
  if (i >= t.size()) RangeFail("step of node '" + s.node + "' lacks table " + std::to_string(i));
  return t[i];
}

std::vector<int64_t> Widen(const std::vector<int32_t>& v) { return std::vector<int64_t>(v.begin(), v.end()); }

// A convolution's fused affine (see Activation): f32 tables 0 (multiplier) and 1 (offset), each
// empty or one value.
void AddEpilogue(StepSpec& s, Activation& act) {
  for (size_t t = 0; t < 2 && t < s.f32.size(); ++t) {
    if (s.f32[t].empty()) continue;
    ExpectLength(s.f32[t].size(), 1, t == 0 ? "a fused multiplier" : "a fused offset");
    if (t == 0) {
      act.has_post_mul = true;
      act.post_mul = s.f32[t][0];
    } else {
      act.has_post_add = true;
      act.post_add = s.f32[t][0];
    }
  }
}

template <typename T>
Span<T> SpanOf(std::vector<T>& v) {
  return {v.data(), v.size()};
}

void ExpectInts(const StepSpec& s, size_t count) {
  if (s.ints.size() < count) RangeFail("step of node '" + s.node + "' needs " + std::to_string(count) + " integer attributes");
}
void ExpectFloats(const StepSpec& s, size_t count) {
  if (s.floats.size() < count) RangeFail("step of node '" + s.node + "' needs " + std::to_string(count) + " float attributes");
}

}  // namespace

Conv2DArgs BuildConv2DArgs(StepSpec& s, F32Span x, F32Span w, F32Span bias, F32Span out, const ConvOptions& options,
                           std::shared_ptr<PackedConvWeights>& packed) {
  Conv2DArgs a;
  a.x = x;
  a.w = w;
  a.bias = bias;
  a.out = out;
  a.geometry = s.ints;
  a.act = ActivationOf(s);
  a.options = options;
  CheckConv2DPack(a);
  AddEpilogue(s, a.act);
  if (!a.g.depthwise()) {
    packed = std::make_shared<PackedConvWeights>(PackConvWeights(a.g, a.w.data, a.bias.data));
    a.packed = packed.get();
  }
  CheckConv2D(a);
  return a;
}

DenseKernel BuildDenseKernel(StepSpec& s, ProgramStorage& st, const ConvOptions& options, const F32Span* out_override) {
  const auto& o = s.operands;
  const int32_t output = o.back();
  const size_t inputs = o.size() - 1;
  auto in = [&](size_t i) -> F32Span {
    if (i >= inputs || o[i] < 0) RangeFail("step of node '" + s.node + "' lacks input " + std::to_string(i));
    return st.Span(o[i]);
  };
  auto optional = [&](size_t i) -> F32Span { return i < inputs && o[i] >= 0 ? st.Span(o[i]) : F32Span{}; };
  const F32Span out = out_override ? *out_override : st.Span(output);
  switch (static_cast<DenseOp>(s.op)) {
    case DenseOp::kConv2D: {
      std::shared_ptr<PackedConvWeights> packed;
      const Conv2DArgs a = BuildConv2DArgs(s, in(0), in(1), optional(2), out, options, packed);
      return [a, packed] { RunConv2D(a); };
    }
    case DenseOp::kConvTranspose2D: {
      ConvTranspose2DArgs a;
      a.x = in(0);
      a.w = in(1);
      a.bias = optional(2);
      a.out = out;
      a.geometry = s.ints;
      a.act = ActivationOf(s);
      CheckConvTranspose2D(a);
      AddEpilogue(s, a.act);
      auto taps = std::make_shared<std::vector<PackedB>>(ConvTranspose2DTaps(a));
      if (!taps->empty()) a.taps = taps.get();
      return [a, taps] { RunConvTranspose2D(a); };
    }
    case DenseOp::kPool2D: {
      ExpectInts(s, 16);
      Pool2DArgs a;
      a.x = in(0);
      a.out = out;
      a.geometry.assign(s.ints.begin(), s.ints.begin() + 14);
      a.kind = static_cast<int32_t>(s.ints[14]);
      a.count_include_pad = s.ints[15] != 0;
      CheckPool2D(a);
      return [a] { RunPool2D(a); };
    }
    case DenseOp::kGlobalAvgPool: {
      ExpectInts(s, 3);
      GlobalAvgPoolArgs a;
      a.x = in(0);
      a.out = out;
      a.batch = s.ints[0];
      a.pixels = s.ints[1];
      a.channels = s.ints[2];
      CheckGlobalAvgPool(a);
      return [a] { RunGlobalAvgPool(a); };
    }
    case DenseOp::kActivation: {
      ExpectInts(s, 1);
      ActivationArgs a;
      a.x = in(0);
      a.out = out;
      a.channels = s.ints[0];
      a.act = ActivationOf(s);
      CheckActivationKernel(a);
      return [a] { RunActivation(a); };
    }
    case DenseOp::kBatchNorm: {
      BatchNormArgs a;
      a.x = in(0);
      a.out = out;
      a.mul = SpanOf(Table(s.f32, 0, s));
      a.add = SpanOf(Table(s.f32, 1, s));
      CheckBatchNorm(a);
      return [a] { RunBatchNorm(a); };
    }
    case DenseOp::kBinary: {
      ExpectInts(s, 1);
      BinaryArgs a;
      a.a = in(0);
      a.b = in(1);
      a.out = out;
      a.op = static_cast<int32_t>(s.ints[0]);
      a.shape = Widen(Table(s.i32, 0, s));
      a.sa = Widen(Table(s.i32, 1, s));
      a.sb = Widen(Table(s.i32, 2, s));
      a.act = ActivationOf(s);
      CheckBinary(a);
      return [a] { RunBinary(a); };
    }
    case DenseOp::kConcat: {
      ExpectInts(s, 1 + inputs);
      ConcatArgs a;
      for (size_t i = 0; i < inputs; ++i) a.inputs.push_back(in(i));
      a.out = out;
      a.outer = s.ints[0];
      a.chunks.assign(s.ints.begin() + 1, s.ints.begin() + 1 + static_cast<std::ptrdiff_t>(inputs));
      CheckConcat(a);
      return [a] { RunConcat(a); };
    }
    case DenseOp::kPad: {
      ExpectFloats(s, 1);
      PadArgs a;
      a.x = in(0);
      a.out = out;
      a.shape = Widen(Table(s.i32, 0, s));
      a.strides = Widen(Table(s.i32, 1, s));
      a.maps = Table(s.i32, 2, s);
      a.value = static_cast<float>(s.floats[0]);
      CheckPad(a);
      return [a] { RunPad(a); };
    }
    case DenseOp::kResize: {
      ResizeArgs a;
      a.x = in(0);
      a.out = out;
      a.geometry = s.ints;
      a.row_lo = SpanOf(Table(s.i32, 0, s));
      a.row_hi = SpanOf(Table(s.i32, 1, s));
      a.col_lo = SpanOf(Table(s.i32, 2, s));
      a.col_hi = SpanOf(Table(s.i32, 3, s));
      a.row_weight = SpanOf(Table(s.f32, 0, s));
      a.col_weight = SpanOf(Table(s.f32, 1, s));
      CheckResize(a);
      return [a] { RunResize(a); };
    }
    case DenseOp::kMatMul: {
      MatMulArgs a;
      a.a = in(0);
      a.b = in(1);
      a.out = out;
      a.geometry = s.ints;
      a.a_offsets = Widen(Table(s.i32, 0, s));
      a.b_offsets = Widen(Table(s.i32, 1, s));
      a.act = ActivationOf(s);
      CheckMatMul(a);
      // With k = 0 the product is zeros, which BLAS is not relied on to write.
      const bool zero_first = a.geometry[1] == 0;
      return [a, zero_first] {
        if (zero_first) std::memset(a.out.data, 0, a.out.length * sizeof(float));
        RunMatMul(a);
      };
    }
    case DenseOp::kGemm: {
      ExpectFloats(s, 2);
      GemmArgs a;
      a.a = in(0);
      a.b = in(1);
      a.c = optional(2);
      a.out = out;
      a.geometry = s.ints;
      a.alpha = static_cast<float>(s.floats[0]);
      a.beta = static_cast<float>(s.floats[1]);
      a.act = ActivationOf(s);
      CheckGemm(a);
      const bool zero_first = a.geometry[1] == 0;
      return [a, zero_first] {
        if (zero_first) std::memset(a.out.data, 0, a.out.length * sizeof(float));
        RunGemm(a);
      };
    }
    case DenseOp::kReshape: {
      const F32Span x = in(0);
      ExpectLength(out.length, static_cast<int64_t>(x.length), "a reshape's output");
      if (st.IsAlias(output) && !out_override) return nullptr;
      return [x, out] { std::memcpy(out.data, x.data, x.length * sizeof(float)); };
    }
    case DenseOp::kTranspose: {
      TransposeArgs a;
      a.x = in(0);
      a.out = out;
      a.shape = Widen(Table(s.i32, 0, s));
      a.perm = Widen(Table(s.i32, 1, s));
      CheckTranspose(a);
      return [a] { RunTranspose(a); };
    }
    case DenseOp::kSoftmax: {
      ExpectInts(s, 3);
      SoftmaxArgs a;
      a.x = in(0);
      a.out = out;
      a.outer = s.ints[0];
      a.length = s.ints[1];
      a.inner = s.ints[2];
      CheckSoftmax(a);
      return [a] { RunSoftmax(a); };
    }
    case DenseOp::kStridedCopy: {
      ExpectInts(s, 1);
      StridedCopyArgs a;
      a.x = in(0);
      a.out = out;
      a.base = s.ints[0];
      a.shape = Widen(Table(s.i32, 0, s));
      a.strides = Widen(Table(s.i32, 1, s));
      CheckStridedCopy(a);
      return [a] { RunStridedCopy(a); };
    }
    case DenseOp::kReduce: {
      ExpectInts(s, 1);
      if (s.ints[0] < 0 || s.ints[0] > 9) RangeFail("step of node '" + s.node + "': reduce kind must be an integer from 0 to 9");
      ReduceArgs a;
      a.x = in(0);
      a.out = out;
      a.kind = static_cast<int32_t>(s.ints[0]);
      a.shape = Widen(Table(s.i32, 0, s));
      a.reduced = Widen(Table(s.i32, 1, s));
      CheckReduce(a);
      return [a] { RunReduce(a); };
    }
    case DenseOp::kEmpty:
      ExpectLength(out.length, 0, "an empty op's output");
      return nullptr;
    case DenseOp::kFused:
      return nullptr;
  }
  RangeFail("step of node '" + s.node + "': unknown dense op code " + std::to_string(s.op));
}

std::unique_ptr<ProgramStep> MakeDenseStep(StepSpec& spec, const std::vector<ValueSpec>& values, ProgramStorage& storage,
                                           const ConvOptions& options) {
  std::vector<int32_t> reads, writes;
  StepOperands(spec, reads, writes);
  if (spec.kind == StepKind::kDense && spec.op == static_cast<int32_t>(DenseOp::kFused)) {
    // It reports the pixels its output would have had; the fused step wrote what it computes.
    const int32_t id = spec.operands.back();
    return std::make_unique<DenseStep>(std::vector<int32_t>{}, id, PixelsOf(values[static_cast<size_t>(id)].shape), nullptr);
  }
  const int32_t output = writes[0];
  const ValueSpec& out = values[static_cast<size_t>(output)];
  if (out.kind != ValueKind::kTensor || (out.lifetime != Lifetime::kFrame && out.lifetime != Lifetime::kStream)) {
    RangeFail("step of node '" + spec.node + "' writes '" + out.name + "', which is not a frame or stream tensor");
  }
  for (int32_t id : reads) {
    if (values[static_cast<size_t>(id)].kind != ValueKind::kTensor) RangeFail("step of node '" + spec.node + "' reads a delta as a tensor");
  }
  const int64_t pixels = PixelsOf(out.shape);
  if (spec.kind == StepKind::kCopy) {
    if (spec.operands.size() != 2) RangeFail("a copy step needs 2 operands");
    const F32Span from = storage.Span(spec.operands[0]), to = storage.Span(output);
    ExpectLength(to.length, static_cast<int64_t>(from.length), "a copy's output");
    return std::make_unique<CopyStep>(from, to, output, pixels);
  }
  return std::make_unique<DenseStep>(reads, output, pixels, BuildDenseKernel(spec, storage, options, nullptr));
}

}  // namespace md
