// libFuzzer harness: the dense kernels on fuzz-derived small shapes, strides, pads, dilations,
// groups and activations, each call checked first exactly as the addon checks it (dense_ops.h).
// Geometry is mostly self-consistent (as TypeScript computes it) and now and then perturbed;
// AddressSanitizer and UndefinedBehaviorSanitizer turn any out-of-bounds access or undefined
// behaviour of an accepted call into a crash.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "dense_conv2d.h"
#include "dense_ops.h"
#include "fuzz_input.h"

namespace md::fuzz {
namespace {

int64_t Floor(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// out = floor((in + pads - extent) / stride) + 1, the convolution / pooling output size.
int64_t WindowOut(int64_t in, int64_t pads, int64_t kernel, int64_t stride, int64_t dilation) {
  if (stride < 1 || dilation < 1 || kernel < 1) return 0;
  return std::max<int64_t>(0, Floor(in + pads - ((kernel - 1) * dilation + 1), stride) + 1);
}

// Harness arithmetic on wild values must not overflow itself: saturating multiply and add.
int64_t Mul(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_mul_overflow(a, b, &r) ? ((a < 0) != (b < 0) ? INT64_MIN : INT64_MAX) : r;
}
int64_t Add(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_add_overflow(a, b, &r) ? (a < 0 ? INT64_MIN : INT64_MAX) : r;
}

int64_t SafeProduct(std::initializer_list<int64_t> v) {
  int64_t r = 1;
  for (int64_t x : v) {
    if (x < 0 || x > Input::kMaxArray || __builtin_mul_overflow(r, x, &r) || r > Input::kMaxArray) return Input::kMaxArray + 1;
  }
  return r;
}

Activation AnyActivation(Input& in, int64_t channels) {
  Activation act;
  act.kind = static_cast<ActKind>(in.OneIn(16) ? in.In<int32_t>(-2, 12) : in.In<int32_t>(0, 8));
  act.a = in.Floats(1).data[0];
  act.b = act.a + 1.f;
  if (act.kind == ActKind::kPrelu || in.OneIn(8)) {
    const F32Span slope = in.Floats(in.Length(in.Bool() ? 1 : channels));
    act.slope = slope.data;
    act.slope_len = static_cast<int64_t>(slope.length);
  }
  return act;
}

ConvOptions AnyOptions(Input& in) {
  static const int64_t kBlocks[] = {256, 1024, 64 * 1024};
  ConvOptions o;
  o.force_blas = in.OneIn(4);
  o.implicit = !in.OneIn(4);
  o.block_floats = kBlocks[in.In<int>(0, 2)];
  return o;
}

struct ConvShape {
  int64_t batch, in_h, in_w, in_c, out_h, out_w, out_c, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, groups;
};

ConvShape AnyConvShape(Input& in, bool transposed) {
  ConvShape s{};
  s.batch = in.Dim(0, 2);
  s.in_h = in.Dim(0, 7);
  s.in_w = in.Dim(0, 7);
  s.groups = in.Dim(1, 3);
  // Now and then wide enough for 16-column GEMM panels and several of them.
  const int64_t cin_pg = in.OneIn(4) ? in.In<int64_t>(1, 20) : in.Dim(1, 4);
  const int64_t cout_pg = in.OneIn(4) ? in.In<int64_t>(1, 40) : in.Dim(1, 4);
  if (in.OneIn(3)) {  // depthwise with a channel multiplier
    s.in_c = s.groups;
    s.out_c = s.groups * cout_pg;
  } else {
    s.in_c = s.groups * cin_pg;
    s.out_c = s.groups * cout_pg;
  }
  s.kh = in.Dim(1, 4), s.kw = in.Dim(1, 4);
  s.sh = in.Dim(1, 3), s.sw = in.Dim(1, 3);
  s.dh = in.Dim(1, 3), s.dw = in.Dim(1, 3);
  s.pt = in.Dim(0, 3), s.pl = in.Dim(0, 3), s.pb = in.Dim(0, 3), s.pr = in.Dim(0, 3);
  if (transposed && in.OneIn(4)) {  // kernel == stride, no pads or dilation: the tiling path
    s.groups = 1, s.in_c = cin_pg, s.out_c = cout_pg;
    s.sh = s.kh, s.sw = s.kw, s.dh = s.dw = 1, s.pt = s.pl = s.pb = s.pr = 0;
  }
  if (!transposed) {
    s.out_h = WindowOut(s.in_h, s.pt + s.pb, s.kh, s.sh, s.dh);
    s.out_w = WindowOut(s.in_w, s.pl + s.pr, s.kw, s.sw, s.dw);
  } else {
    s.out_h = std::max<int64_t>(0, Add(Add(Mul(s.in_h - 1, s.sh), Mul(s.kh - 1, s.dh)), 1 - s.pt - s.pb));
    s.out_w = std::max<int64_t>(0, Add(Add(Mul(s.in_w - 1, s.sw), Mul(s.kw - 1, s.dw)), 1 - s.pl - s.pr));
  }
  s.out_h = in.Maybe(s.out_h);
  s.out_w = in.Maybe(s.out_w);
  return s;
}

std::vector<int64_t> ConvGeometryVector(Input& in, const ConvShape& s) {
  std::vector<int64_t> v{s.batch, s.in_h, s.in_w, s.in_c, s.out_h, s.out_w, s.out_c, s.kh,
                         s.kw,    s.sh,   s.sw,   s.dh,   s.dw,    s.pt,    s.pl,    s.groups};
  if (in.OneIn(32)) v.resize(in.In<size_t>(0, 17));
  return v;
}

void FuzzConv2D(Input& in) {
  const ConvShape s = AnyConvShape(in, false);
  Conv2DArgs a;
  a.geometry = ConvGeometryVector(in, s);
  const int64_t cin_pg = s.groups > 0 ? s.in_c / s.groups : 0;
  a.x = in.Floats(in.Length(SafeProduct({s.batch, s.in_h, s.in_w, s.in_c})));
  a.w = in.Floats(in.Length(SafeProduct({s.kh, s.kw, cin_pg, s.out_c})));
  if (in.Bool()) a.bias = in.Floats(in.Length(s.out_c));
  a.out = in.Floats(in.Length(SafeProduct({s.batch, s.out_h, s.out_w, s.out_c})));
  a.act = AnyActivation(in, s.out_c);
  a.options = AnyOptions(in);
  // Pre-packed weights, sometimes made for another geometry (the check must notice).
  std::unique_ptr<PackedConvWeights> packed;
  if (in.Bool()) {
    Conv2DArgs p = a;
    if (in.OneIn(4) && p.geometry.size() == ConvGeometry::kInts) p.geometry[6] = in.Dim(1, 8);  // another Cout
    try {
      CheckConv2DPack(p);
      if (!p.g.depthwise()) packed = std::make_unique<PackedConvWeights>(PackConvWeights(p.g, p.w.data, p.bias.data));
    } catch (const ArgError&) {
    }
    a.packed = packed.get();
  }
  CheckThenRun([&] { CheckConv2D(a); }, [&] { RunConv2D(a); });
}

void FuzzConvTranspose2D(Input& in) {
  const ConvShape s = AnyConvShape(in, true);
  ConvTranspose2DArgs a;
  a.geometry = ConvGeometryVector(in, s);
  const int64_t cout_pg = s.groups > 0 ? s.out_c / s.groups : 0;
  a.x = in.Floats(in.Length(SafeProduct({s.batch, s.in_h, s.in_w, s.in_c})));
  a.w = in.Floats(in.Length(SafeProduct({s.kh, s.kw, s.in_c, cout_pg})));
  if (in.Bool()) a.bias = in.Floats(in.Length(s.out_c));
  a.out = in.Floats(in.Length(SafeProduct({s.batch, s.out_h, s.out_w, s.out_c})));
  a.act = AnyActivation(in, s.out_c);
  CheckThenRun([&] { CheckConvTranspose2D(a); }, [&] { RunConvTranspose2D(a); });
}

void FuzzPool2D(Input& in) {
  const int64_t batch = in.Dim(0, 2), in_h = in.Dim(0, 7), in_w = in.Dim(0, 7), c = in.Dim(1, 5);
  const int64_t kh = in.Dim(1, 4), kw = in.Dim(1, 4), sh = in.Dim(1, 3), sw = in.Dim(1, 3);
  const int64_t pt = in.Dim(0, 3), pl = in.Dim(0, 3), pb = in.Dim(0, 3), pr = in.Dim(0, 3);
  // Ceil mode adds up to stride - 1 of overhang.
  const int64_t out_h = in.Maybe(WindowOut(in_h, pt + pb + (in.Bool() ? sh - 1 : 0), kh, sh, 1));
  const int64_t out_w = in.Maybe(WindowOut(in_w, pl + pr + (in.Bool() ? sw - 1 : 0), kw, sw, 1));
  Pool2DArgs a;
  a.geometry = {batch, in_h, in_w, c, out_h, out_w, kh, kw, sh, sw, pt, pl, pb, pr};
  if (in.OneIn(32)) a.geometry.resize(in.In<size_t>(0, 15));
  a.x = in.Floats(in.Length(SafeProduct({batch, in_h, in_w, c})));
  a.out = in.Floats(in.Length(SafeProduct({batch, out_h, out_w, c})));
  a.kind = in.OneIn(16) ? in.In<int32_t>(-1, 3) : in.In<int32_t>(0, 1);
  a.count_include_pad = in.Bool();
  CheckThenRun([&] { CheckPool2D(a); }, [&] { RunPool2D(a); });
}

void FuzzGlobalAvgPool(Input& in) {
  GlobalAvgPoolArgs a;
  a.batch = in.Dim(0, 3), a.pixels = in.Dim(0, 300), a.channels = in.Dim(0, 5);
  a.x = in.Floats(in.Length(SafeProduct({a.batch, a.pixels, a.channels})));
  a.out = in.Floats(in.Length(SafeProduct({a.batch, a.channels})));
  CheckThenRun([&] { CheckGlobalAvgPool(a); }, [&] { RunGlobalAvgPool(a); });
}

void FuzzActivation(Input& in) {
  ActivationArgs a;
  a.channels = in.Dim(1, 6);
  const int64_t pixels = in.Dim(0, 40);
  a.x = in.Floats(in.Length(SafeProduct({pixels, a.channels})));
  a.out = in.Floats(in.Length(static_cast<int64_t>(a.x.length)));
  a.act = AnyActivation(in, a.channels);
  CheckThenRun([&] { CheckActivationKernel(a); }, [&] { RunActivation(a); });
}

void FuzzBatchNorm(Input& in) {
  BatchNormArgs a;
  const int64_t c = in.Dim(1, 6), pixels = in.Dim(0, 40);
  a.mul = in.Floats(in.Length(c));
  a.add = in.Floats(in.Length(c));
  a.x = in.Floats(in.Length(SafeProduct({pixels, c})));
  a.out = in.Floats(in.Length(static_cast<int64_t>(a.x.length)));
  CheckThenRun([&] { CheckBatchNorm(a); }, [&] { RunBatchNorm(a); });
}

// Strides of an operand of `shape` broadcast into `out` (0 where it has size 1), NHWC-contiguous.
std::vector<int64_t> BroadcastStrides(const std::vector<int64_t>& shape, const std::vector<int64_t>& out, int64_t* length) {
  std::vector<int64_t> strides(out.size(), 0);
  int64_t stride = 1;
  for (size_t i = out.size(); i-- > 0;) {
    strides[i] = shape[i] == 1 && out[i] != 1 ? 0 : stride;
    stride = Mul(stride, shape[i]);
  }
  *length = stride;
  return strides;
}

void FuzzBinary(Input& in) {
  BinaryArgs a;
  const size_t rank = in.In<size_t>(1, 4);
  std::vector<int64_t> shape_a(rank), shape_b(rank);
  for (size_t i = 0; i < rank; ++i) {
    a.shape.push_back(in.Dim(1, 4));
    shape_a[i] = in.Bool() ? a.shape[i] : 1;
    shape_b[i] = in.Bool() ? a.shape[i] : 1;
  }
  int64_t len_a = 0, len_b = 0;
  a.sa = BroadcastStrides(shape_a, a.shape, &len_a);
  a.sb = BroadcastStrides(shape_b, a.shape, &len_b);
  for (auto& s : a.sa) s = in.Maybe(s);
  for (auto& s : a.sb) s = in.Maybe(s);
  if (in.OneIn(32)) a.sb.resize(in.In<size_t>(0, 5));
  a.a = in.Floats(in.Length(len_a));
  a.b = in.Floats(in.Length(len_b));
  a.out = in.Floats(in.Length(SafeProduct({a.shape[0], rank > 1 ? a.shape[1] : 1, rank > 2 ? a.shape[2] : 1, rank > 3 ? a.shape[3] : 1})));
  a.op = in.OneIn(16) ? in.In<int32_t>(-1, 7) : in.In<int32_t>(0, 5);
  a.act = AnyActivation(in, a.shape.back());
  CheckThenRun([&] { CheckBinary(a); }, [&] { RunBinary(a); });
}

void FuzzConcat(Input& in) {
  ConcatArgs a;
  a.outer = in.Dim(0, 5);
  const size_t parts = in.In<size_t>(0, 4);
  int64_t row = 0;
  for (size_t i = 0; i < parts; ++i) {
    const int64_t chunk = in.Dim(0, 6);
    a.chunks.push_back(chunk);
    a.inputs.push_back(in.Floats(in.Length(SafeProduct({a.outer, chunk}))));
    row += chunk;
  }
  if (in.OneIn(32)) a.chunks.resize(in.In<size_t>(0, 5));
  a.out = in.Floats(in.Length(SafeProduct({a.outer, row})));
  CheckThenRun([&] { CheckConcat(a); }, [&] { RunConcat(a); });
}

void FuzzPad(Input& in) {
  PadArgs a;
  const size_t rank = in.In<size_t>(1, 4);
  std::vector<int64_t> in_shape(rank);
  for (size_t d = 0; d < rank; ++d) {
    in_shape[d] = in.Dim(0, 5);
    // Pads may be negative (a crop); the output keeps at least zero positions.
    const int64_t before = in.In<int64_t>(-2, 3), after = in.In<int64_t>(-2, 3);
    a.shape.push_back(in.Maybe(std::max<int64_t>(0, in_shape[d] + before + after)));
  }
  int64_t stride = 1;
  a.strides.assign(rank, 0);
  for (size_t d = rank; d-- > 0;) {
    a.strides[d] = in.Maybe(stride);
    stride = Mul(stride, std::max<int64_t>(0, in_shape[d]));
  }
  for (size_t d = 0; d < rank; ++d) {
    for (int64_t o = 0; o < a.shape[d] && a.maps.size() < static_cast<size_t>(Input::kMaxArray); ++o) {
      // A source index inside the input, or the constant (-1), or rarely anything.
      const int64_t src = in_shape[d] > 0 && in.Bool() ? static_cast<int64_t>(in.Next() % in_shape[d]) : -1;
      a.maps.push_back(static_cast<int32_t>(in.OneIn(16) ? in.Dim(-3, 9) : src));
    }
  }
  a.x = in.Floats(in.Length(std::min<int64_t>(stride, Input::kMaxArray + 1)));
  int64_t size = 1;
  for (int64_t s : a.shape) size = SafeProduct({size, s});
  a.out = in.Floats(in.Length(size));
  a.value = in.Floats(1).data[0];
  CheckThenRun([&] { CheckPad(a); }, [&] { RunPad(a); });
}

void FuzzResize(Input& in) {
  ResizeArgs a;
  const int64_t batch = in.Dim(0, 2), in_h = in.Dim(0, 5), in_w = in.Dim(0, 5), c = in.Dim(1, 4), out_h = in.Dim(0, 9),
                out_w = in.Dim(0, 9);
  a.geometry = {batch, in_h, in_w, c, out_h, out_w};
  if (in.OneIn(32)) a.geometry.resize(in.In<size_t>(0, 7));
  a.x = in.Floats(in.Length(SafeProduct({batch, in_h, in_w, c})));
  a.out = in.Floats(in.Length(SafeProduct({batch, out_h, out_w, c})));
  const int32_t hi_h = static_cast<int32_t>(std::max<int64_t>(0, std::min<int64_t>(in_h, 64) - 1));
  const int32_t hi_w = static_cast<int32_t>(std::max<int64_t>(0, std::min<int64_t>(in_w, 64) - 1));
  const bool wild = in.OneIn(8);
  a.row_lo = in.Ints(in.Length(out_h), wild ? -2 : 0, wild ? hi_h + 2 : hi_h);
  a.row_hi = in.Ints(in.Length(out_h), 0, hi_h);
  a.row_weight = in.Floats(in.Length(out_h));
  a.col_lo = in.Ints(in.Length(out_w), 0, hi_w);
  a.col_hi = in.Ints(in.Length(out_w), wild ? -2 : 0, wild ? hi_w + 2 : hi_w);
  a.col_weight = in.Floats(in.Length(out_w));
  CheckThenRun([&] { CheckResize(a); }, [&] { RunResize(a); });
}

void FuzzGemm(Input& in) {
  GemmArgs a;
  const int64_t m = in.Dim(0, 6), k = in.Dim(0, 6), n = in.Dim(0, 6);
  const bool with_c = in.Bool();
  // C broadcast by rows, by columns, or full.
  const int mode = in.In<int>(0, 2);
  const int64_t c_row = mode == 1 ? 0 : n, c_col = mode == 2 ? 0 : 1;
  a.geometry = {m, k, n, in.In<int64_t>(0, 1), in.In<int64_t>(0, 1), in.Maybe(c_row), in.Maybe(c_col)};
  if (in.OneIn(32)) a.geometry.resize(in.In<size_t>(0, 8));
  a.a = in.Floats(in.Length(SafeProduct({m, k})));
  a.b = in.Floats(in.Length(SafeProduct({k, n})));
  if (with_c) a.c = in.Floats(in.Length(mode == 0 ? SafeProduct({m, n}) : mode == 1 ? n : m));
  a.out = in.Floats(in.Length(SafeProduct({m, n})));
  a.alpha = in.Floats(1).data[0];
  a.beta = in.Floats(1).data[0];
  a.act = AnyActivation(in, n);
  CheckThenRun([&] { CheckGemm(a); }, [&] { RunGemm(a); });
}

void FuzzMatMul(Input& in) {
  MatMulArgs a;
  const int64_t m = in.Dim(0, 5), k = in.Dim(0, 5), n = in.Dim(0, 5), batches = in.Dim(0, 3);
  const int64_t channels = in.Bool() ? std::max<int64_t>(1, n) : 1;
  a.geometry = {m, k, n, batches, in.Maybe(channels)};
  const int64_t a_len = SafeProduct({std::max<int64_t>(1, batches), m, k}),
                b_len = SafeProduct({k, n}) * (in.Bool() ? std::max<int64_t>(1, batches) : 1);
  a.a = in.Floats(in.Length(a_len));
  a.b = in.Floats(in.Length(b_len));
  for (int64_t i = 0; i < std::min<int64_t>(batches, 8); ++i) {
    a.a_offsets.push_back(in.Maybe(Mul(i, Mul(m, k))));
    a.b_offsets.push_back(in.Maybe(b_len > Mul(k, n) ? Mul(i, Mul(k, n)) : 0));
  }
  a.out = in.Floats(in.Length(SafeProduct({batches, m, n})));
  a.act = AnyActivation(in, channels);
  CheckThenRun([&] { CheckMatMul(a); }, [&] { RunMatMul(a); });
}

// Slice / DepthToSpace / SpaceToDepth: a gather from x with signed strides and a base offset, mostly
// inside x (a slice with steps of either sign, as TypeScript computes it) and now and then off.
void FuzzStridedCopy(Input& in) {
  StridedCopyArgs a;
  const size_t rank = in.In<size_t>(1, 4);
  std::vector<int64_t> in_shape(rank);
  int64_t in_len = 1;
  for (size_t i = 0; i < rank; ++i) in_len = Mul(in_len, in_shape[i] = in.Dim(0, 6));
  int64_t stride = 1, base = 0, out_len = 1;
  a.shape.resize(rank);
  a.strides.resize(rank);
  for (size_t i = rank; i-- > 0;) {
    const int64_t d = in_shape[i];
    const int64_t step = in.Bool() ? in.In<int64_t>(1, 3) : -in.In<int64_t>(1, 3);
    const int64_t start = d > 0 ? in.In<int64_t>(0, d - 1) : 0;
    // How many outputs fit from `start` in the step's direction.
    const int64_t room = d <= 0 ? 0 : (step > 0 ? (d - start + step - 1) / step : (start - step) / -step);
    a.shape[i] = in.Maybe(in.In<int64_t>(0, room));
    a.strides[i] = in.Maybe(Mul(step, stride));
    base = Add(base, Mul(start, stride));
    stride = Mul(stride, d);
    out_len = Mul(out_len, a.shape[i]);
  }
  a.base = in.Maybe(base);
  if (in.OneIn(32)) a.strides.resize(in.In<size_t>(0, 5));
  a.x = in.Floats(in.Length(in_len));
  a.out = in.Floats(in.Length(out_len));
  CheckThenRun([&] { CheckStridedCopy(a); }, [&] { RunStridedCopy(a); });
}

void FuzzReduce(Input& in) {
  ReduceArgs a;
  const size_t rank = in.In<size_t>(1, 4);
  int64_t in_len = 1, out_len = 1;
  for (size_t i = 0; i < rank; ++i) {
    const int64_t d = in.Dim(0, 6);
    const int64_t flag = in.Bool() ? 1 : 0;
    a.shape.push_back(d);
    a.reduced.push_back(in.Maybe(flag));
    in_len = Mul(in_len, d);
    if (!flag) out_len = Mul(out_len, d);
  }
  if (in.OneIn(32)) a.reduced.resize(in.In<size_t>(0, 5));
  a.kind = in.OneIn(16) ? in.In<int32_t>(-1, 11) : in.In<int32_t>(0, 9);
  a.x = in.Floats(in.Length(in_len));
  a.out = in.Floats(in.Length(out_len));
  CheckThenRun([&] { CheckReduce(a); }, [&] { RunReduce(a); });
}

}  // namespace
}  // namespace md::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace md::fuzz;
  InitOnce();
  Input in(data, size);
  switch (in.In<int>(0, 13)) {
    case 0:
      FuzzConv2D(in);
      break;
    case 1:
      FuzzConvTranspose2D(in);
      break;
    case 2:
      FuzzPool2D(in);
      break;
    case 3:
      FuzzGlobalAvgPool(in);
      break;
    case 4:
      FuzzActivation(in);
      break;
    case 5:
      FuzzBatchNorm(in);
      break;
    case 6:
      FuzzBinary(in);
      break;
    case 7:
      FuzzConcat(in);
      break;
    case 8:
      FuzzPad(in);
      break;
    case 9:
      FuzzResize(in);
      break;
    case 10:
      FuzzGemm(in);
      break;
    case 12:
      FuzzStridedCopy(in);
      break;
    case 13:
      FuzzReduce(in);
      break;
    default:
      FuzzMatMul(in);
      break;
  }
  return 0;
}
