// Delta steps of a compiled program: sparsify, accumulate, linear, activation, binary and maxpool,
// each on the delta kernels the per-node entries run (delta_ops.h), their arguments built on the
// program's storage and checked once, convolution weights packed once.
//
// A kernel's argument struct holds copies of the DeltaViews it reads and writes; the program's
// own view of each delta (ProgramStorage::Delta) is the one whose `count` is current. Before a
// kernel runs, the counts of its views are refreshed from the program's; after, the output's
// new count is stored back. (The arrays behind both are the same memory.)
//
// Attributes per step kind (the encoder is src/program/encode-delta-step.ts):
//   sparsify:   floats = threshold
//   activation: ints = code (delta_activation_fn.h); floats = a, b, threshold; f32 = slope (PReLU)
//   maxpool:    ints = geometry (9, as deltaMaxPool2d); floats = threshold
//   binary:     ints = op (0 Add, 1 Sub, 2 Mul, 3 Div); i32 = strides of input 0, of input 1;
//               floats = threshold
//   linear, by op (operands: inputs, then the output delta):
//     Conv2D:          operands x, weight; ints = geometry (9, as deltaConv2d)
//     ConvTranspose2D: operands x, weight; ints = geometry (9)
//     AvgPool2D:       operands x; ints = geometry (9, as deltaAvgPool2d)
//     GlobalAvgPool:   operands x
//     Scale:           operands x, k | -1; ints = mode (as deltaScale); floats = sign; i32 = k
//                      strides (4); f64 = per-channel multipliers (mode 3)
//     AddDeltas:       operands a, b; floats = sign of b
//     Concat:          operands the delta parts; ints = each part's channel offset
//     Resize:          operands x; i32 = rowLo, rowHi, rowRange, colLo, colHi, colRange; f64 =
//                      rowWeight, colWeight
//     Pad:             operands x; i32 = rowMap, rowStart, rowOutputs, colMap, colStart, colOutputs
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "arg_error.h"
#include "delta_ops.h"
#include "program_step.h"

namespace md {
namespace {

// A view inside a kernel's arguments and the delta value it stands for.
struct Binding {
  DeltaView* view;
  int32_t id;
};

// When a delta step is skipped (the host executable's rules).
enum class Skip {
  kInputUnchanged,  // sparsify: its input tensor was not written this run
  kNoActiveInput,   // linear, binary, activation, maxpool: every delta it reads is empty
};

class DeltaKernelStep : public ProgramStep {
 public:
  DeltaKernelStep(ProgramStorage& storage, Skip skip, int32_t watched, std::vector<Binding> inputs, Binding output,
                  std::function<int64_t()> kernel)
      : storage_(storage), skip_(skip), watched_(watched), inputs_(std::move(inputs)), output_(output), kernel_(std::move(kernel)) {}

  int64_t Run(RunState& state) override {
    DeltaView& out = storage_.Delta(output_.id);
    bool skip = false;
    if (skip_ == Skip::kInputUnchanged) {
      skip = state.changed[static_cast<size_t>(watched_)] == 0;
    } else {
      skip = true;
      for (const Binding& b : inputs_) skip = skip && storage_.Delta(b.id).count == 0;
    }
    if (skip) {
      ClearDelta(out);
      return -1;
    }
    for (const Binding& b : inputs_) b.view->count = storage_.Delta(b.id).count;
    output_.view->count = out.count;
    out.count = kernel_();
    return out.count;
  }

  int32_t OutputDelta() const override { return output_.id; }

 private:
  ProgramStorage& storage_;
  Skip skip_;
  int32_t watched_;
  std::vector<Binding> inputs_;
  Binding output_;
  std::function<int64_t()> kernel_;
};

// target += delta at its active pixels; skipped when the delta is empty.
class AccumulateStep : public ProgramStep {
 public:
  AccumulateStep(ProgramStorage& storage, std::shared_ptr<AccumulateArgs> args, int32_t input, int32_t target)
      : storage_(storage), args_(std::move(args)), input_(input), target_(target) {}

  int64_t Run(RunState& state) override {
    const int64_t count = storage_.Delta(input_).count;
    if (count == 0) return -1;
    args_->delta.count = count;
    RunAccumulate(*args_);
    state.changed[static_cast<size_t>(target_)] = 1;
    return count;
  }

 private:
  ProgramStorage& storage_;
  std::shared_ptr<AccumulateArgs> args_;
  int32_t input_, target_;
};

// Reads a step's operands by role, checking each is the kind of value its role needs.
class Operands {
 public:
  Operands(StepSpec& s, const std::vector<ValueSpec>& values, ProgramStorage& st) : s_(s), values_(values), st_(st) {}

  int32_t Id(size_t i) const {
    if (i >= s_.operands.size()) Fail("lacks operand " + std::to_string(i));
    return s_.operands[i];
  }
  const ValueSpec& Value(int32_t id) const { return values_[static_cast<size_t>(id)]; }
  bool IsDelta(size_t i) const { return Id(i) >= 0 && Value(Id(i)).kind == ValueKind::kDelta; }

  DeltaView Delta(size_t i) const {
    const int32_t id = Id(i);
    if (id < 0 || Value(id).kind != ValueKind::kDelta) Fail("operand " + std::to_string(i) + " must be a delta");
    return st_.Delta(id);
  }
  // A tensor operand; `state`: it must be a stream value (state kept between frames).
  F32Span Tensor(size_t i, bool state = false) const {
    const int32_t id = Id(i);
    if (id < 0 || Value(id).kind != ValueKind::kTensor) Fail("operand " + std::to_string(i) + " must be a tensor");
    if (state && Value(id).lifetime != Lifetime::kStream) Fail("operand " + std::to_string(i) + " must be stream state");
    return st_.Span(id);
  }
  F32Span Constant(size_t i) const {
    const int32_t id = Id(i);
    if (id < 0 || Value(id).kind != ValueKind::kTensor || Value(id).lifetime != Lifetime::kConstant)
      Fail("operand " + std::to_string(i) + " must be a constant");
    return st_.Span(id);
  }
  [[noreturn]] void Fail(const std::string& what) const { RangeFail("step of node '" + s_.node + "' " + what); }

 private:
  StepSpec& s_;
  const std::vector<ValueSpec>& values_;
  ProgramStorage& st_;
};

template <typename T>
Span<T> SpanOf(std::vector<T>& v) {
  return {v.data(), v.size()};
}

template <typename T>
std::vector<T>& Table(std::vector<std::vector<T>>& t, size_t i, const Operands& ops) {
  if (i >= t.size()) ops.Fail("lacks table " + std::to_string(i));
  return t[i];
}

double FloatAt(const StepSpec& s, size_t i, const Operands& ops) {
  if (i >= s.floats.size()) ops.Fail("lacks float attribute " + std::to_string(i));
  return s.floats[i];
}

int64_t IntAt(const StepSpec& s, size_t i, const Operands& ops) {
  if (i >= s.ints.size()) ops.Fail("lacks integer attribute " + std::to_string(i));
  return s.ints[i];
}

// Builds the step around a kernel whose argument struct the caller filled (and checked); binds
// the views named by `inputs` (pointers into *args) and the output view.
template <typename Args, int64_t (*RunKernel)(Args&)>
std::unique_ptr<ProgramStep> Step(ProgramStorage& st, std::shared_ptr<Args> args, Skip skip, int32_t watched, std::vector<Binding> inputs,
                                  Binding output) {
  return std::make_unique<DeltaKernelStep>(st, skip, watched, std::move(inputs), output, [args] { return RunKernel(*args); });
}

std::unique_ptr<ProgramStep> MakeLinear(StepSpec& s, const Operands& ops, ProgramStorage& st, const ConvOptions& options) {
  const size_t last = s.operands.size() - 1;
  const int32_t out_id = ops.Id(last);
  switch (static_cast<LinearOp>(s.op)) {
    case LinearOp::kConv2D: {
      auto a = std::make_shared<DeltaConv2dArgs>();
      a->x = ops.Delta(0);
      a->w = ops.Constant(1);
      a->out = ops.Delta(last);
      a->geom = s.ints;
      a->path = 0;
      a->options = options;
      CheckDeltaConv2d(*a);
      // Depthwise convolutions run direct loops on the weights as they are; the GEMM paths take
      // the weights packed once (as PackedWeightCache does for per-node calls).
      std::shared_ptr<PackedConv> packed;
      if (a->g.cin_pg != 1) {
        DeltaPackArgs pack;
        pack.w = a->w;
        const ConvGeom& g = a->g;
        pack.dims = {g.kh, g.kw, g.cin_pg, g.cout, g.groups, g.sh, g.sw, g.dh, g.dw};
        CheckDeltaPack(pack);
        packed = std::shared_ptr<PackedConv>(RunDeltaPack(pack));
        a->packed = packed.get();
        CheckDeltaConv2d(*a);
      }
      return std::make_unique<DeltaKernelStep>(st, Skip::kNoActiveInput, -1, std::vector<Binding>{{&a->x, ops.Id(0)}},
                                               Binding{&a->out, out_id}, [a, packed] { return RunDeltaConv2d(*a); });
    }
    case LinearOp::kConvTranspose2D: {
      auto a = std::make_shared<DeltaConvTransposeArgs>();
      a->x = ops.Delta(0);
      a->w = ops.Constant(1);
      a->out = ops.Delta(last);
      a->geom = s.ints;
      CheckDeltaConvTranspose(*a);
      return Step<DeltaConvTransposeArgs, RunDeltaConvTranspose>(st, a, Skip::kNoActiveInput, -1, {{&a->x, ops.Id(0)}}, {&a->out, out_id});
    }
    case LinearOp::kAvgPool2D: {
      auto a = std::make_shared<DeltaPoolArgs>();
      a->x = ops.Delta(0);
      a->out = ops.Delta(last);
      a->geom = s.ints;
      CheckDeltaAvgPool(*a);
      return Step<DeltaPoolArgs, RunDeltaAvgPool>(st, a, Skip::kNoActiveInput, -1, {{&a->x, ops.Id(0)}}, {&a->out, out_id});
    }
    case LinearOp::kGlobalAvgPool: {
      auto a = std::make_shared<DeltaGlobalAvgPoolArgs>();
      a->x = ops.Delta(0);
      a->out = ops.Delta(last);
      CheckDeltaGlobalAvgPool(*a);
      return Step<DeltaGlobalAvgPoolArgs, RunDeltaGlobalAvgPool>(st, a, Skip::kNoActiveInput, -1, {{&a->x, ops.Id(0)}}, {&a->out, out_id});
    }
    case LinearOp::kScale: {
      auto a = std::make_shared<DeltaScaleArgs>();
      a->x = ops.Delta(0);
      a->out = ops.Delta(last);
      a->mode = static_cast<int32_t>(IntAt(s, 0, ops));
      a->sign = static_cast<float>(FloatAt(s, 0, ops));
      a->k_strides = SpanOf(Table(s.i32, 0, ops));
      a->mul = SpanOf(Table(s.f64, 0, ops));
      // The constant operand (Mul, Div), or an empty span.
      static float nothing = 0.f;
      a->k = ops.Id(1) >= 0 ? ops.Constant(1) : F32Span{&nothing, 0};
      CheckDeltaScale(*a);
      return Step<DeltaScaleArgs, RunDeltaScale>(st, a, Skip::kNoActiveInput, -1, {{&a->x, ops.Id(0)}}, {&a->out, out_id});
    }
    case LinearOp::kAddDeltas: {
      auto a = std::make_shared<DeltaAddDeltasArgs>();
      a->a = ops.Delta(0);
      a->b = ops.Delta(1);
      a->out = ops.Delta(last);
      a->sign_b = static_cast<float>(FloatAt(s, 0, ops));
      CheckDeltaAddDeltas(*a);
      return Step<DeltaAddDeltasArgs, RunDeltaAddDeltas>(st, a, Skip::kNoActiveInput, -1, {{&a->a, ops.Id(0)}, {&a->b, ops.Id(1)}},
                                                         {&a->out, out_id});
    }
    case LinearOp::kConcat: {
      auto a = std::make_shared<DeltaConcatArgs>();
      for (size_t i = 0; i < last; ++i) a->parts.push_back(ops.Delta(i));
      a->offsets = s.ints;
      a->out = ops.Delta(last);
      CheckDeltaConcat(*a);
      std::vector<Binding> parts;
      for (size_t i = 0; i < last; ++i) parts.push_back({&a->parts[i], ops.Id(i)});
      return Step<DeltaConcatArgs, RunDeltaConcat>(st, a, Skip::kNoActiveInput, -1, std::move(parts), {&a->out, out_id});
    }
    case LinearOp::kResize: {
      auto a = std::make_shared<DeltaResizeArgs>();
      a->x = ops.Delta(0);
      a->out = ops.Delta(last);
      a->rows = {SpanOf(Table(s.i32, 0, ops)), SpanOf(Table(s.i32, 1, ops)), SpanOf(Table(s.f64, 0, ops)), SpanOf(Table(s.i32, 2, ops))};
      a->cols = {SpanOf(Table(s.i32, 3, ops)), SpanOf(Table(s.i32, 4, ops)), SpanOf(Table(s.f64, 1, ops)), SpanOf(Table(s.i32, 5, ops))};
      CheckDeltaResize(*a);
      return Step<DeltaResizeArgs, RunDeltaResize>(st, a, Skip::kNoActiveInput, -1, {{&a->x, ops.Id(0)}}, {&a->out, out_id});
    }
    case LinearOp::kPad: {
      auto a = std::make_shared<DeltaPadArgs>();
      a->x = ops.Delta(0);
      a->out = ops.Delta(last);
      a->rows = {SpanOf(Table(s.i32, 0, ops)), SpanOf(Table(s.i32, 1, ops)), SpanOf(Table(s.i32, 2, ops))};
      a->cols = {SpanOf(Table(s.i32, 3, ops)), SpanOf(Table(s.i32, 4, ops)), SpanOf(Table(s.i32, 5, ops))};
      CheckDeltaPad(*a);
      return Step<DeltaPadArgs, RunDeltaPad>(st, a, Skip::kNoActiveInput, -1, {{&a->x, ops.Id(0)}}, {&a->out, out_id});
    }
  }
  ops.Fail("has an unknown linear op code " + std::to_string(s.op));
}

}  // namespace

std::unique_ptr<ProgramStep> MakeDeltaStep(StepSpec& s, const std::vector<ValueSpec>& values, ProgramStorage& st,
                                           const ConvOptions& options) {
  const Operands ops(s, values, st);
  switch (s.kind) {
    case StepKind::kSparsify: {  // input, reference, output
      auto a = std::make_shared<SparsifyArgs>();
      a->x = ops.Tensor(0);
      a->reference = ops.Tensor(1, true);
      a->threshold = FloatAt(s, 0, ops);
      a->out = ops.Delta(2);
      CheckSparsify(*a);
      return Step<SparsifyArgs, RunSparsify>(st, a, Skip::kInputUnchanged, ops.Id(0), {}, {&a->out, ops.Id(2)});
    }
    case StepKind::kAccumulate: {  // input, target
      auto a = std::make_shared<AccumulateArgs>();
      a->delta = ops.Delta(0);
      a->target = ops.Tensor(1, true);
      CheckAccumulate(*a);
      return std::make_unique<AccumulateStep>(st, a, ops.Id(0), ops.Id(1));
    }
    case StepKind::kActivation: {  // input, accumulated, emitted, output
      auto a = std::make_shared<DeltaActivationArgs>();
      a->in = ops.Delta(0);
      a->accumulated = ops.Tensor(1, true);
      a->emitted = ops.Tensor(2, true);
      a->out = ops.Delta(3);
      a->kind = static_cast<int32_t>(IntAt(s, 0, ops));
      a->a = FloatAt(s, 0, ops);
      a->b = FloatAt(s, 1, ops);
      a->threshold = FloatAt(s, 2, ops);
      a->slope = SpanOf(Table(s.f32, 0, ops));
      CheckDeltaActivation(*a);
      return Step<DeltaActivationArgs, RunDeltaActivation>(st, a, Skip::kNoActiveInput, -1, {{&a->in, ops.Id(0)}}, {&a->out, ops.Id(3)});
    }
    case StepKind::kMaxPool: {  // input, accumulated, emitted, output
      auto a = std::make_shared<DeltaPoolArgs>();
      a->x = ops.Delta(0);
      a->accumulated = ops.Tensor(1, true);
      a->emitted = ops.Tensor(2, true);
      a->out = ops.Delta(3);
      a->geom = s.ints;
      a->threshold = FloatAt(s, 0, ops);
      CheckDeltaMaxPool(*a);
      return Step<DeltaPoolArgs, RunDeltaMaxPool>(st, a, Skip::kNoActiveInput, -1, {{&a->x, ops.Id(0)}}, {&a->out, ops.Id(3)});
    }
    case StepKind::kBinary: {  // input 0, input 1, accumulated 0 | -1, accumulated 1 | -1, emitted, output
      auto a = std::make_shared<DeltaBinaryArgs>();
      a->op = static_cast<int32_t>(IntAt(s, 0, ops));
      a->threshold = FloatAt(s, 0, ops);
      a->emitted = ops.Tensor(4, true);
      a->out = ops.Delta(5);
      std::vector<Binding> varying;
      DeltaOperand* operands[2] = {&a->a, &a->b};
      for (size_t i = 0; i < 2; ++i) {
        DeltaOperand& o = *operands[i];
        o.strides = SpanOf(Table(s.i32, i, ops));
        o.varying = ops.IsDelta(i);
        if (o.varying) {
          o.delta = ops.Delta(i);
          o.data = ops.Tensor(2 + i, true);
        } else {
          if (ops.Id(2 + i) != -1) ops.Fail("keeps state for a constant operand");
          o.data = ops.Constant(i);
        }
      }
      CheckDeltaBinary(*a);
      if (a->a.varying) varying.push_back({&a->a.delta, ops.Id(0)});
      if (a->b.varying) varying.push_back({&a->b.delta, ops.Id(1)});
      if (varying.empty()) ops.Fail("has no varying operand");
      return Step<DeltaBinaryArgs, RunDeltaBinary>(st, a, Skip::kNoActiveInput, -1, std::move(varying), {&a->out, ops.Id(5)});
    }
    case StepKind::kLinear:
      return MakeLinear(s, ops, st, options);
    case StepKind::kDense:
    case StepKind::kCopy:
    case StepKind::kTiles:
      break;
  }
  ops.Fail("is not a delta step");
}

}  // namespace md
