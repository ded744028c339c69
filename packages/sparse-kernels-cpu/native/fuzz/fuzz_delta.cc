// libFuzzer harness: the delta kernels on fuzz-derived small shapes, strides, pads, dilations,
// groups, masks and active lists (DeltaBuffers listing some, none or all pixels, in any order,
// now and then corrupted), each call checked first exactly as the addon checks it (delta_ops.h).
// Sometimes an output shares arrays with an input, as aliased JavaScript arguments would.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "delta_ops.h"
#include "fuzz_input.h"

namespace md::fuzz {
namespace {

int64_t Mul(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_mul_overflow(a, b, &r) ? ((a < 0) != (b < 0) ? INT64_MIN : INT64_MAX) : r;
}
int64_t Add(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_add_overflow(a, b, &r) ? (a < 0 ? INT64_MIN : INT64_MAX) : r;
}
int64_t Floor(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

int64_t WindowOut(int64_t in, int64_t pads, int64_t kernel, int64_t stride, int64_t dilation) {
  if (stride < 1 || dilation < 1 || kernel < 1) return 0;
  return std::max<int64_t>(0, Floor(Add(in, pads) - Add(Mul(kernel - 1, dilation), 1), stride) + 1);
}

// Small sizes for views: wild values would only make Delta() allocate nothing useful.
int64_t Size(Input& in, int64_t lo, int64_t hi) { return std::clamp<int64_t>(in.Dim(lo, hi), 0, 12); }

// An output that sometimes shares its arrays with the input (same sizes only).
void MaybeAlias(Input& in, const DeltaView& x, DeltaView& out) {
  if (!in.OneIn(16)) return;
  if (in.Bool() && x.mask_length == out.mask_length) out.mask = x.mask;
  if (in.Bool() && x.active_length == out.active_length) out.active = x.active;
  if (in.Bool() && x.values_length == out.values_length) out.values = x.values;
}

ConvOptions AnyOptions(Input& in) {
  ConvOptions o;
  o.force_blas = in.OneIn(4);
  o.implicit = !in.OneIn(4);
  return o;
}

struct ConvShape {
  int64_t n, in_h, in_w, cin, out_h, out_w, cout, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, groups;
};

ConvShape AnyConvShape(Input& in, bool transposed) {
  ConvShape s{};
  s.n = Size(in, 0, 2);
  s.in_h = Size(in, 0, 7);
  s.in_w = Size(in, 0, 7);
  s.groups = in.Dim(1, 3);
  const int64_t g = std::clamp<int64_t>(s.groups, 1, 8);
  // Now and then wide enough for 16-column GEMM panels.
  const int64_t cin_pg = in.OneIn(4) ? in.In<int64_t>(1, 20) : in.In<int64_t>(1, 4);
  const int64_t cout_pg = in.OneIn(4) ? in.In<int64_t>(1, 24) : in.In<int64_t>(1, 4);
  s.cin = in.OneIn(3) ? g : g * cin_pg;  // depthwise (one input channel per group) or not
  s.cout = g * cout_pg;
  s.kh = in.Dim(1, 4), s.kw = in.Dim(1, 4);
  s.sh = in.Dim(1, 3), s.sw = in.Dim(1, 3);
  s.dh = in.Dim(1, 3), s.dw = in.Dim(1, 3);
  s.pt = in.Dim(0, 3), s.pl = in.Dim(0, 3), s.pb = in.Dim(0, 3), s.pr = in.Dim(0, 3);
  if (!transposed) {
    s.out_h = WindowOut(s.in_h, Add(s.pt, s.pb), s.kh, s.sh, s.dh);
    s.out_w = WindowOut(s.in_w, Add(s.pl, s.pr), s.kw, s.sw, s.dw);
  } else {
    s.out_h = std::max<int64_t>(0, Add(Add(Mul(s.in_h - 1, s.sh), Mul(s.kh - 1, s.dh)), 1 - s.pt - s.pb));
    s.out_w = std::max<int64_t>(0, Add(Add(Mul(s.in_w - 1, s.sw), Mul(s.kw - 1, s.dw)), 1 - s.pl - s.pr));
  }
  s.out_h = std::clamp<int64_t>(in.Maybe(s.out_h), 0, 16);
  s.out_w = std::clamp<int64_t>(in.Maybe(s.out_w), 0, 16);
  return s;
}

std::vector<int64_t> Geom9(Input& in, const ConvShape& s) {
  std::vector<int64_t> v{s.kh, s.kw, s.sh, s.sw, s.dh, s.dw, s.pt, s.pl, s.groups};
  if (in.OneIn(32)) v.resize(in.In<size_t>(0, 10));
  return v;
}

void FuzzSparsify(Input& in) {
  SparsifyArgs a;
  const int64_t n = Size(in, 0, 2), h = Size(in, 0, 8), w = Size(in, 0, 8), c = Size(in, 1, 4);
  a.out = in.Delta(n, h, w, c);
  a.x = in.Floats(in.Length(n * h * w * c));
  a.reference = in.Floats(in.Length(n * h * w * c));
  a.threshold = in.OneIn(8) ? -1.0 : in.In<int>(0, 3) * 0.5;
  CheckThenRun([&] { CheckSparsify(a); }, [&] { RunSparsify(a); });
}

void FuzzAccumulate(Input& in) {
  AccumulateArgs a;
  const int64_t n = Size(in, 0, 2), h = Size(in, 0, 8), w = Size(in, 0, 8), c = Size(in, 1, 4);
  a.delta = in.Delta(n, h, w, c);
  a.target = in.Floats(in.Length(n * h * w * c));
  CheckThenRun([&] { CheckAccumulate(a); }, [&] { RunAccumulate(a); });
}

void FuzzActivation(Input& in) {
  DeltaActivationArgs a;
  const int64_t n = Size(in, 0, 2), h = Size(in, 0, 8), w = Size(in, 0, 8), c = Size(in, 1, 4);
  a.in = in.Delta(n, h, w, c);
  a.out = in.Delta(n, h, w, c);
  MaybeAlias(in, a.in, a.out);
  a.kind = in.OneIn(16) ? in.In<int32_t>(-2, 10) : in.In<int32_t>(0, 7);
  a.a = in.In<int>(-2, 2) * 0.5;
  a.b = a.a + 1;
  a.slope = in.Floats(in.Length(in.Bool() ? 1 : c));
  a.accumulated = in.Floats(in.Length(n * h * w * c));
  a.emitted = in.Floats(in.Length(n * h * w * c));
  a.threshold = in.In<int>(0, 2) * 0.25;
  CheckThenRun([&] { CheckDeltaActivation(a); }, [&] { RunDeltaActivation(a); });
}

void FuzzConv2d(Input& in) {
  const ConvShape s = AnyConvShape(in, false);
  DeltaConv2dArgs a;
  a.x = in.Delta(s.n, s.in_h, s.in_w, s.cin);
  a.out = in.Delta(s.n, s.out_h, s.out_w, s.cout);
  const int64_t cin_pg = s.groups >= 1 ? s.cin / s.groups : 1;
  const int64_t w_len = Mul(Mul(Mul(s.kh, s.kw), cin_pg), s.cout);
  a.w = in.Floats(in.Length(w_len >= 0 && w_len <= Input::kMaxArray ? w_len : 0));
  a.geom = Geom9(in, s);
  a.path = in.OneIn(16) ? in.In<int32_t>(-1, 4) : in.In<int32_t>(0, 2);
  a.options = AnyOptions(in);
  std::unique_ptr<PackedConv> packed;
  if (in.Bool()) {
    DeltaPackArgs p;
    p.w = a.w;
    p.dims = {s.kh, s.kw, cin_pg, s.cout, s.groups, s.sh, s.sw, s.dh, s.dw};
    if (in.OneIn(4)) p.dims[in.In<size_t>(0, 8)] = in.Dim(1, 5);  // packed for another geometry
    try {
      CheckDeltaPack(p);
      packed = RunDeltaPack(p);
    } catch (const ArgError&) {
    }
    a.packed = packed.get();
  }
  CheckThenRun([&] { CheckDeltaConv2d(a); }, [&] { RunDeltaConv2d(a); });
}

void FuzzConvTranspose(Input& in) {
  const ConvShape s = AnyConvShape(in, true);
  DeltaConvTransposeArgs a;
  a.x = in.Delta(s.n, s.in_h, s.in_w, s.cin);
  a.out = in.Delta(s.n, s.out_h, s.out_w, s.cout);
  const int64_t cout_pg = s.groups >= 1 ? s.cout / s.groups : 1;
  const int64_t w_len = Mul(Mul(Mul(s.kh, s.kw), s.cin), cout_pg);
  a.w = in.Floats(in.Length(w_len >= 0 && w_len <= Input::kMaxArray ? w_len : 0));
  a.geom = Geom9(in, s);
  CheckThenRun([&] { CheckDeltaConvTranspose(a); }, [&] { RunDeltaConvTranspose(a); });
}

void FuzzPool(Input& in, bool is_max) {
  const int64_t n = Size(in, 0, 2), in_h = Size(in, 0, 7), in_w = Size(in, 0, 7), c = Size(in, 1, 4);
  const int64_t kh = in.Dim(1, 4), kw = in.Dim(1, 4), sh = in.Dim(1, 3), sw = in.Dim(1, 3);
  const int64_t pt = in.Dim(0, 3), pl = in.Dim(0, 3), pb = in.Dim(0, 3), pr = in.Dim(0, 3);
  const int64_t out_h = std::clamp<int64_t>(in.Maybe(WindowOut(in_h, Add(Add(pt, pb), in.Bool() ? sh - 1 : 0), kh, sh, 1)), 0, 16);
  const int64_t out_w = std::clamp<int64_t>(in.Maybe(WindowOut(in_w, Add(Add(pl, pr), in.Bool() ? sw - 1 : 0), kw, sw, 1)), 0, 16);
  DeltaPoolArgs a;
  a.x = in.Delta(n, in_h, in_w, c);
  a.out = in.Delta(n, out_h, out_w, c);
  a.geom = {kh, kw, sh, sw, pt, pl, pb, pr, in.In<int64_t>(0, 1)};
  if (in.OneIn(32)) a.geom.resize(in.In<size_t>(0, 10));
  if (is_max) {
    a.accumulated = in.Floats(in.Length(n * in_h * in_w * c));
    a.emitted = in.Floats(in.Length(n * out_h * out_w * c));
    a.threshold = in.In<int>(0, 2) * 0.25;
    CheckThenRun([&] { CheckDeltaMaxPool(a); }, [&] { RunDeltaMaxPool(a); });
  } else {
    CheckThenRun([&] { CheckDeltaAvgPool(a); }, [&] { RunDeltaAvgPool(a); });
  }
}

void FuzzGlobalAvgPool(Input& in) {
  DeltaGlobalAvgPoolArgs a;
  const int64_t n = Size(in, 0, 3), h = Size(in, 0, 8), w = Size(in, 0, 8), c = Size(in, 1, 4);
  a.x = in.Delta(n, h, w, c);
  a.out = in.Delta(n, in.Maybe(1), in.Maybe(1), c);
  CheckThenRun([&] { CheckDeltaGlobalAvgPool(a); }, [&] { RunDeltaGlobalAvgPool(a); });
}

// NHWC strides of a constant of shape `k` (each dim equal to the output's or 1) in the output frame.
void BroadcastStrides(Input& in, const int64_t out[4], I32Span* strides, F32Span* data) {
  int64_t shape[4], stride = 1;
  for (int d = 0; d < 4; ++d) shape[d] = in.Bool() ? out[d] : 1;
  *strides = in.Array<int32_t>(in.OneIn(32) ? in.In<size_t>(0, 5) : 4);
  for (int d = 3; d >= 0; --d) {
    if (static_cast<size_t>(d) < strides->length)
      strides->data[d] = static_cast<int32_t>(in.Maybe(shape[d] == 1 && out[d] != 1 ? 0 : stride));
    stride *= std::max<int64_t>(shape[d], 0);
  }
  *data = in.Floats(in.Length(stride));
}

void FuzzScale(Input& in) {
  DeltaScaleArgs a;
  const int64_t n = Size(in, 0, 2), h = Size(in, 0, 6), w = Size(in, 0, 6), c = Size(in, 1, 4);
  a.x = in.Delta(n, h, w, c);
  a.out = in.Delta(n, h, w, c);
  MaybeAlias(in, a.x, a.out);
  a.mode = in.OneIn(16) ? in.In<int32_t>(-1, 5) : in.In<int32_t>(0, 3);
  a.sign = in.Bool() ? 1.f : -1.f;
  const int64_t out[4] = {n, h, w, c};
  BroadcastStrides(in, out, &a.k_strides, &a.k);
  a.mul = in.Doubles(in.Length(c));
  CheckThenRun([&] { CheckDeltaScale(a); }, [&] { RunDeltaScale(a); });
}

void FuzzAddDeltas(Input& in) {
  DeltaAddDeltasArgs a;
  const int64_t n = Size(in, 0, 2), h = Size(in, 0, 6), w = Size(in, 0, 6), c = Size(in, 1, 4);
  a.a = in.Delta(n, h, w, c);
  a.b = in.Delta(n, h, w, c);
  a.out = in.Delta(n, h, w, c);
  MaybeAlias(in, a.a, a.out);
  a.sign_b = in.Bool() ? 1.f : -1.f;
  CheckThenRun([&] { CheckDeltaAddDeltas(a); }, [&] { RunDeltaAddDeltas(a); });
}

void FuzzConcat(Input& in) {
  DeltaConcatArgs a;
  const int64_t n = Size(in, 0, 2), h = Size(in, 0, 6), w = Size(in, 0, 6);
  const size_t parts = in.In<size_t>(0, 4);
  int64_t channels = 0;
  for (size_t i = 0; i < parts; ++i) {
    const int64_t c = in.In<int64_t>(1, 3);
    if (in.Bool()) {  // a varying part (constant parts only take channels)
      a.parts.push_back(in.Delta(n, h, w, c));
      a.offsets.push_back(in.Maybe(channels));
    }
    channels += c;
  }
  if (in.OneIn(32)) a.offsets.resize(in.In<size_t>(0, 5));
  a.out = in.Delta(n, h, w, in.Maybe(channels));
  CheckThenRun([&] { CheckDeltaConcat(a); }, [&] { RunDeltaConcat(a); });
}

// Resize taps along one axis: output o blends inputs lo and hi; range lists per input the first and
// last output reading it (first > last when none).
DeltaResizeAxis ResizeAxis(Input& in, int64_t in_size, int64_t out_size) {
  DeltaResizeAxis t;
  t.lo = in.Array<int32_t>(in.Length(out_size));
  t.hi = in.Array<int32_t>(in.Length(out_size));
  t.weight = in.Array<double>(in.Length(out_size));
  t.range = in.Array<int32_t>(in.Length(2 * in_size));
  for (size_t i = 0; i + 1 < t.range.length; i += 2) t.range.data[i] = 0, t.range.data[i + 1] = -1;
  for (size_t o = 0; o < t.lo.length && in_size > 0 && out_size > 0; ++o) {
    const int64_t lo = std::min<int64_t>(in_size - 1, static_cast<int64_t>(o) * in_size / out_size);
    const int64_t hi = std::min<int64_t>(in_size - 1, lo + 1);
    t.lo.data[o] = static_cast<int32_t>(in.OneIn(32) ? in.Dim(-2, in_size + 2) : lo);
    if (o < t.hi.length) t.hi.data[o] = static_cast<int32_t>(hi);
    if (o < t.weight.length) t.weight.data[o] = in.Bool() ? 0.5 : 0.0;
    for (int64_t i : {lo, hi}) {
      if (2 * i + 1 >= static_cast<int64_t>(t.range.length)) continue;
      int32_t* r = t.range.data + 2 * i;
      if (r[1] < r[0])
        r[0] = r[1] = static_cast<int32_t>(o);
      else
        r[0] = std::min<int32_t>(r[0], static_cast<int32_t>(o)), r[1] = std::max<int32_t>(r[1], static_cast<int32_t>(o));
    }
  }
  if (in.OneIn(16) && t.range.length > 0) t.range.data[in.Next() % t.range.length] = static_cast<int32_t>(in.Dim(-2, out_size + 2));
  return t;
}

void FuzzResize(Input& in) {
  DeltaResizeArgs a;
  const int64_t n = Size(in, 0, 2), in_h = Size(in, 0, 6), in_w = Size(in, 0, 6), c = Size(in, 1, 3);
  const int64_t out_h = Size(in, 0, 10), out_w = Size(in, 0, 10);
  a.x = in.Delta(n, in_h, in_w, c);
  a.out = in.Delta(n, out_h, out_w, c);
  a.rows = ResizeAxis(in, in_h, out_h);
  a.cols = ResizeAxis(in, in_w, out_w);
  CheckThenRun([&] { CheckDeltaResize(a); }, [&] { RunDeltaResize(a); });
}

// Pad tables along one axis (see src/delta/pad-maps.ts): map output -> input (-1: the constant),
// and per input the CSR list of outputs copying it. Modes: constant, edge, reflect.
DeltaPadAxis PadAxis(Input& in, int64_t in_size, int64_t before, int64_t after, int64_t* out_size) {
  *out_size = std::max<int64_t>(0, in_size + before + after);
  const int mode = in.In<int>(0, 2);
  std::vector<int32_t> map(static_cast<size_t>(*out_size));
  for (int64_t o = 0; o < *out_size; ++o) {
    int64_t j = o - before;
    if (j < 0 || j >= in_size) {
      if (mode == 0 || in_size == 0)
        j = -1;
      else if (mode == 1)
        j = std::clamp<int64_t>(j, 0, in_size - 1);
      else {
        const int64_t period = std::max<int64_t>(1, 2 * (in_size - 1));
        j = ((j % period) + period) % period;
        if (j >= in_size) j = period - j;
      }
    }
    map[static_cast<size_t>(o)] = static_cast<int32_t>(j);
  }
  DeltaPadAxis t;
  t.map = in.Array<int32_t>(in.Length(*out_size));
  for (size_t o = 0; o < t.map.length && o < map.size(); ++o) t.map.data[o] = map[o];
  t.start = in.Array<int32_t>(in.Length(in_size + 1));
  std::vector<int32_t> outputs;
  for (int64_t i = 0; i < in_size; ++i) {
    if (static_cast<size_t>(i) < t.start.length) t.start.data[i] = static_cast<int32_t>(outputs.size());
    for (int64_t o = 0; o < *out_size; ++o) {
      if (map[static_cast<size_t>(o)] == i) outputs.push_back(static_cast<int32_t>(o));
    }
  }
  if (static_cast<size_t>(in_size) < t.start.length) t.start.data[in_size] = static_cast<int32_t>(outputs.size());
  t.outputs = in.Array<int32_t>(in.Length(static_cast<int64_t>(outputs.size())));
  for (size_t k = 0; k < t.outputs.length && k < outputs.size(); ++k) t.outputs.data[k] = outputs[k];
  if (in.OneIn(16)) {
    const int which = in.In<int>(0, 2);
    I32Span s = which == 0 ? t.map : which == 1 ? t.start : t.outputs;
    if (s.length > 0) s.data[in.Next() % s.length] = static_cast<int32_t>(in.Dim(-2, *out_size + 2));
  }
  return t;
}

void FuzzPad(Input& in) {
  DeltaPadArgs a;
  const int64_t n = Size(in, 0, 2), in_h = Size(in, 0, 6), in_w = Size(in, 0, 6), c = Size(in, 1, 3);
  int64_t out_h = 0, out_w = 0;
  a.rows = PadAxis(in, in_h, in.In<int64_t>(-2, 3), in.In<int64_t>(-2, 3), &out_h);
  a.cols = PadAxis(in, in_w, in.In<int64_t>(-2, 3), in.In<int64_t>(-2, 3), &out_w);
  a.x = in.Delta(n, in_h, in_w, c);
  a.out = in.Delta(n, out_h, out_w, c);
  CheckThenRun([&] { CheckDeltaPad(a); }, [&] { RunDeltaPad(a); });
}

DeltaOperand Operand(Input& in, const int64_t out[4]) {
  DeltaOperand o;
  if (in.Bool()) {
    int64_t shape[4];
    for (int d = 0; d < 4; ++d) shape[d] = in.Bool() ? out[d] : 1;
    o.varying = true;
    o.delta = in.Delta(shape[0], shape[1], shape[2], shape[3]);
    o.data = in.Floats(in.Length(shape[0] * shape[1] * shape[2] * shape[3]));
    o.strides = in.Array<int32_t>(4);
    int64_t stride = 1;
    for (int d = 3; d >= 0; --d) {
      o.strides.data[d] = static_cast<int32_t>(in.Maybe(shape[d] == 1 && out[d] != 1 ? 0 : stride));
      stride *= shape[d];
    }
  } else {
    BroadcastStrides(in, out, &o.strides, &o.data);
  }
  return o;
}

void FuzzBinary(Input& in) {
  DeltaBinaryArgs a;
  const int64_t out[4] = {Size(in, 0, 2), Size(in, 0, 5), Size(in, 0, 5), Size(in, 1, 3)};
  a.op = in.OneIn(16) ? in.In<int32_t>(-1, 5) : in.In<int32_t>(0, 3);
  a.out = in.Delta(out[0], out[1], out[2], out[3]);
  a.a = Operand(in, out);
  a.b = Operand(in, out);
  a.emitted = in.Floats(in.Length(out[0] * out[1] * out[2] * out[3]));
  a.threshold = in.In<int>(0, 2) * 0.25;
  CheckThenRun([&] { CheckDeltaBinary(a); }, [&] { RunDeltaBinary(a); });
}

}  // namespace
}  // namespace md::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace md::fuzz;
  InitOnce();
  Input in(data, size);
  switch (in.In<int>(0, 13)) {
    case 0:
      FuzzSparsify(in);
      break;
    case 1:
      FuzzAccumulate(in);
      break;
    case 2:
      FuzzActivation(in);
      break;
    case 3:
      FuzzConv2d(in);
      break;
    case 4:
      FuzzConvTranspose(in);
      break;
    case 5:
      FuzzPool(in, false);
      break;
    case 6:
      FuzzPool(in, true);
      break;
    case 7:
      FuzzGlobalAvgPool(in);
      break;
    case 8:
      FuzzScale(in);
      break;
    case 9:
      FuzzAddDeltas(in);
      break;
    case 10:
      FuzzConcat(in);
      break;
    case 11:
      FuzzResize(in);
      break;
    case 12:
      FuzzPad(in);
      break;
    default:
      FuzzBinary(in);
      break;
  }
  return 0;
}
