// The argument checks of the delta kernels (see delta_ops.h). Every DeltaBuffer goes through
// CheckDelta (arrays fit the shape, listed pixels are pixel indices); each kernel then checks how
// its views, tables and geometry relate, so that every index a kernel computes stays inside the
// arrays it reads and writes.
#include <algorithm>
#include <string>

#include "checked_math.h"
#include "common_conv_geometry.h"
#include "delta_ops.h"

namespace md {
namespace {

void ExpectCount(const std::vector<int64_t>& v, size_t count, const char* what) {
  if (v.size() != count) RangeFail(std::string(what) + " needs " + std::to_string(count) + " entries, got " + std::to_string(v.size()));
}

int64_t SizeOf(const DeltaView& d) { return d.pixels * d.c; }

// Strides the input-driven packing may have: one class of input pixels per (row, column) stride
// residue, so sh * sw classes are allocated per packing and per call.
constexpr int64_t kMaxStrideClasses = 1 << 16;

// The fields shared by Conv2D and ConvTranspose2D: geom [kh, kw, sh, sw, dh, dw, pt, pl, groups].
ConvGeom ReadConvGeom(const std::vector<int64_t>& v, const DeltaView& x, const DeltaView& out, const char* kernel) {
  ExpectCount(v, 9, (std::string(kernel) + ": geom").c_str());
  for (int64_t value : v) {
    if (value > kMaxExtent) RangeFail(std::string(kernel) + ": geometry values must be at most 2^31 - 1");
  }
  ConvGeom g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], x.c, out.c, 0, 0, x.n, x.h, x.w, out.h, out.w};
  // At least one channel each: with none, the weights are empty whatever the kernel size, and a
  // kernel of 2^31 taps would pass the weight check and be walked per active pixel.
  if (g.cin < 1 || g.cout < 1) RangeFail(std::string(kernel) + ": x and out need at least one channel");
  if (g.groups < 1 || g.cin % g.groups != 0 || g.cout % g.groups != 0 || g.kh < 1 || g.kw < 1 || g.sh < 1 || g.sw < 1 || g.dh < 1 ||
      g.dw < 1 || g.pt < 0 || g.pl < 0 || out.n != x.n) {
    RangeFail(std::string(kernel) + ": invalid geometry");
  }
  g.cin_pg = g.cin / g.groups;
  g.cout_pg = g.cout / g.groups;
  return g;
}

}  // namespace

void CheckSparsify(SparsifyArgs& a) {
  CheckDelta(a.out, "out");
  if (static_cast<int64_t>(a.x.length) != SizeOf(a.out) || a.reference.length != a.x.length) {
    RangeFail("deltaSparsify: x, reference and out differ in size");
  }
}

void CheckAccumulate(AccumulateArgs& a) {
  CheckDelta(a.delta, "delta");
  if (static_cast<int64_t>(a.target.length) != SizeOf(a.delta)) RangeFail("deltaAccumulate: target differs in size from the delta");
}

void CheckDeltaActivation(DeltaActivationArgs& a) {
  CheckDelta(a.in, "delta");
  CheckDelta(a.out, "out");
  if (a.kind < 0 || a.kind > static_cast<int32_t>(DeltaActKind::Last))
    RangeFail("deltaActivation: unknown activation code " + std::to_string(a.kind));
  a.spec.kind = static_cast<DeltaActKind>(a.kind);
  a.spec.a = a.a;
  a.spec.b = a.b;
  a.spec.slope = a.slope.data;
  a.spec.slope_len = static_cast<int64_t>(a.slope.length);
  if (a.spec.kind == DeltaActKind::Prelu && a.spec.slope_len != 1 && a.spec.slope_len != a.in.c) {
    RangeFail("deltaActivation: prelu slope needs 1 value or one per channel");
  }
  const int64_t size = SizeOf(a.in);
  if (a.out.pixels != a.in.pixels || a.out.c != a.in.c || static_cast<int64_t>(a.accumulated.length) != size ||
      static_cast<int64_t>(a.emitted.length) != size) {
    RangeFail("deltaActivation: delta, state and out differ in size");
  }
}

void CheckDeltaPack(const DeltaPackArgs& a) {
  ExpectCount(a.dims, 9, "deltaPackConv2d: dims");
  for (int64_t d : a.dims) {
    if (d < 1 || d > kMaxExtent) RangeFail("deltaPackConv2d: dims must be from 1 to 2^31 - 1");
  }
  const auto& d = a.dims;
  if (static_cast<int64_t>(a.w.length) != CheckedProduct({d[0], d[1], d[2], d[3]}, "the weight size") || d[3] % d[4] != 0) {
    RangeFail("deltaPackConv2d: weight size does not match dims");
  }
  if (CheckedMul(d[5], d[6], "the stride classes") > kMaxStrideClasses) {
    RangeFail("deltaPackConv2d: strides " + std::to_string(d[5]) + "x" + std::to_string(d[6]) +
              " are too large; strideH * strideW must be at most 65536");
  }
}

void CheckDeltaConv2d(DeltaConv2dArgs& a) {
  CheckDelta(a.x, "x");
  CheckDelta(a.out, "out");
  ConvGeom g = ReadConvGeom(a.geom, a.x, a.out, "deltaConv2d");
  if (a.path < 0 || a.path > 2) RangeFail("deltaConv2d: path must be 0 (auto), 1 (input-driven) or 2 (output-driven)");
  if (static_cast<int64_t>(a.w.length) != CheckedProduct({g.kh, g.kw, g.cin_pg, g.cout}, "the weight size")) {
    RangeFail("deltaConv2d: weight size does not match");
  }
  CheckWindowSpan(g.out_h, g.kh, g.sh, g.dh, "deltaConv2d's vertical window");
  CheckWindowSpan(g.out_w, g.kw, g.sw, g.dw, "deltaConv2d's horizontal window");
  const PackedConv* pk = a.packed;
  if (pk && (pk->kh != g.kh || pk->kw != g.kw || pk->sh != g.sh || pk->sw != g.sw || pk->dh != g.dh || pk->dw != g.dw ||
             pk->groups != g.groups || pk->cin_pg != g.cin_pg || pk->cout != g.cout)) {
    RangeFail("deltaConv2d: packed weights were packed for another geometry");
  }
  a.g = g;
}

int64_t DeltaConv2dWork(const DeltaConv2dArgs& a) {
  return SaturatingMul(a.x.count, SaturatingMul(a.g.kh * a.g.kw * a.g.cin_pg, a.g.cout));
}

void CheckDeltaConvTranspose(DeltaConvTransposeArgs& a) {
  CheckDelta(a.x, "x");
  CheckDelta(a.out, "out");
  ConvGeom g = ReadConvGeom(a.geom, a.x, a.out, "deltaConvTranspose2d");
  if (static_cast<int64_t>(a.w.length) != CheckedProduct({g.kh, g.kw, g.cin, g.cout_pg}, "the weight size")) {
    RangeFail("deltaConvTranspose2d: weight size does not match");
  }
  CheckWindowSpan(g.in_h, g.kh, g.sh, g.dh, "deltaConvTranspose2d's vertical window");
  CheckWindowSpan(g.in_w, g.kw, g.sw, g.dw, "deltaConvTranspose2d's horizontal window");
  a.g = g;
}

namespace {

void CheckDeltaPoolCommon(DeltaPoolArgs& a) {
  CheckDelta(a.x, "x");
  CheckDelta(a.out, "out");
  ExpectCount(a.geom, 9, "pool geometry");
  const auto& d = a.geom;
  for (int64_t value : d) {
    if (value > kMaxExtent) RangeFail("pool geometry values must be at most 2^31 - 1");
  }
  DeltaPoolGeom g{d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8] != 0, a.x.h, a.x.w, a.out.h, a.out.w};
  if (g.kh < 1 || g.kw < 1 || g.sh < 1 || g.sw < 1 || g.pt < 0 || g.pl < 0 || g.pb < 0 || g.pr < 0 || a.out.n != a.x.n ||
      a.out.c != a.x.c) {
    RangeFail("invalid pool geometry");
  }
  CheckWindowSpan(g.out_h, g.kh, g.sh, 1, "the pooling's vertical window");
  CheckWindowSpan(g.out_w, g.kw, g.sw, 1, "the pooling's horizontal window");
  a.g = g;
}

}  // namespace

void CheckDeltaAvgPool(DeltaPoolArgs& a) { CheckDeltaPoolCommon(a); }

void CheckDeltaMaxPool(DeltaPoolArgs& a) {
  CheckDeltaPoolCommon(a);
  if (static_cast<int64_t>(a.accumulated.length) != SizeOf(a.x) || static_cast<int64_t>(a.emitted.length) != SizeOf(a.out)) {
    RangeFail("deltaMaxPool2d: state sizes do not match");
  }
}

int64_t DeltaPoolWork(const DeltaPoolArgs& a, bool is_max) {
  const int64_t window = SaturatingMul(a.g.kh, a.g.kw);
  const int64_t per_pixel = is_max ? SaturatingMul(window, window) : window;
  return SaturatingMul(SaturatingMul(a.x.count, per_pixel), a.x.c);
}

void CheckDeltaGlobalAvgPool(DeltaGlobalAvgPoolArgs& a) {
  CheckDelta(a.x, "x");
  CheckDelta(a.out, "out");
  if (a.out.pixels != a.x.n || a.out.c != a.x.c) RangeFail("deltaGlobalAvgPool: out must be [N,1,1,C]");
}

void CheckDeltaScale(DeltaScaleArgs& a) {
  CheckDelta(a.x, "x");
  CheckDelta(a.out, "out");
  if (a.mode < 0 || a.mode > 3 || a.k_strides.length != 4 || a.out.pixels != a.x.pixels || a.out.c != a.x.c)
    RangeFail("deltaScale: invalid arguments");
  if (a.mode == 3 && static_cast<int64_t>(a.mul.length) != a.x.c) RangeFail("deltaScale: mul needs one value per channel");
  if (a.mode == 1 || a.mode == 2) {
    const int32_t* ks = a.k_strides.data;
    if (ks[0] < 0 || ks[1] < 0 || ks[2] < 0 || ks[3] < 0) RangeFail("deltaScale: constant operand strides must be >= 0");
    // The largest offset read, over the pixels the kernel may visit (those of x's shape).
    const int64_t dims[4] = {a.x.n, a.x.h, a.x.w, a.x.c};
    int64_t last = 0;
    for (int k = 0; k < 4; ++k)
      last = CheckedAdd(last, CheckedMul(dims[k] - 1, ks[k], "the constant's last offset"), "the constant's last offset");
    if (last >= static_cast<int64_t>(a.k.length)) RangeFail("deltaScale: constant operand strides exceed it");
  }
}

void CheckDeltaAddDeltas(DeltaAddDeltasArgs& a) {
  CheckDelta(a.a, "a");
  CheckDelta(a.b, "b");
  CheckDelta(a.out, "out");
  if (a.a.pixels != a.out.pixels || a.b.pixels != a.out.pixels || a.a.c != a.out.c || a.b.c != a.out.c)
    RangeFail("deltaAddDeltas: shapes differ");
}

void CheckDeltaConcat(DeltaConcatArgs& a) {
  CheckDelta(a.out, "out");
  if (a.offsets.size() != a.parts.size()) RangeFail("deltaConcat: one offset per part");
  for (size_t i = 0; i < a.parts.size(); ++i) {
    CheckDelta(a.parts[i], "part");
    if (a.parts[i].pixels != a.out.pixels || a.offsets[i] < 0 || a.offsets[i] > a.out.c - a.parts[i].c)
      RangeFail("deltaConcat: part does not fit the output");
  }
}

namespace {

void CheckResizeAxis(const DeltaResizeAxis& t, int64_t in_size, int64_t out_size) {
  if (static_cast<int64_t>(t.lo.length) != out_size || static_cast<int64_t>(t.hi.length) != out_size ||
      static_cast<int64_t>(t.weight.length) != out_size || static_cast<int64_t>(t.range.length) != 2 * in_size) {
    RangeFail("deltaResize: tap tables do not fit the shapes");
  }
  for (int64_t o = 0; o < out_size; ++o) {
    if (t.lo.data[o] < 0 || t.lo.data[o] >= in_size || t.hi.data[o] < 0 || t.hi.data[o] >= in_size)
      RangeFail("deltaResize: tap out of range");
  }
  for (int64_t i = 0; i < in_size; ++i) {
    if (t.range.data[2 * i] < 0 || t.range.data[2 * i + 1] >= out_size) RangeFail("deltaResize: range out of bounds");
  }
}

}  // namespace

void CheckDeltaResize(DeltaResizeArgs& a) {
  CheckDelta(a.x, "x");
  CheckDelta(a.out, "out");
  if (a.out.n != a.x.n || a.out.c != a.x.c || a.x.h == 0 || a.x.w == 0) RangeFail("deltaResize: shapes do not match");
  CheckResizeAxis(a.rows, a.x.h, a.out.h);
  CheckResizeAxis(a.cols, a.x.w, a.out.w);
}

namespace {

// The map sends each output to one input (or the constant); the CSR lists, per input, the
// outputs that copy it. The kernel marks outputs from the CSR and then reads their source through
// the map, so the two must agree: every listed output maps back to its input.
void CheckPadAxis(const DeltaPadAxis& t, int64_t in_size, int64_t out_size) {
  if (static_cast<int64_t>(t.map.length) != out_size || static_cast<int64_t>(t.start.length) != in_size + 1) {
    RangeFail("deltaPad: axis tables do not fit the shapes");
  }
  if (t.start.data[0] != 0 || static_cast<int64_t>(t.outputs.length) != t.start.data[in_size])
    RangeFail("deltaPad: axis tables do not fit the shapes");
  for (int64_t o = 0; o < out_size; ++o) {
    if (t.map.data[o] < -1 || t.map.data[o] >= in_size) RangeFail("deltaPad: map out of range");
  }
  // Rising all the way first: then every [start[i], start[i + 1]) lies inside outputs.
  for (int64_t i = 0; i < in_size; ++i) {
    if (t.start.data[i + 1] < t.start.data[i]) RangeFail("deltaPad: start must rise from 0");
  }
  for (int64_t i = 0; i < in_size; ++i) {
    for (int32_t k = t.start.data[i]; k < t.start.data[i + 1]; ++k) {
      const int32_t o = t.outputs.data[k];
      if (o < 0 || o >= out_size) RangeFail("deltaPad: outputs out of range");
      if (t.map.data[o] != i)
        RangeFail("deltaPad: output " + std::to_string(o) + " is listed under input " + std::to_string(i) + " but maps to " +
                  std::to_string(t.map.data[o]));
    }
  }
}

}  // namespace

void CheckDeltaPad(DeltaPadArgs& a) {
  CheckDelta(a.x, "x");
  CheckDelta(a.out, "out");
  if (a.out.n != a.x.n || a.out.c != a.x.c) RangeFail("deltaPad: shapes do not match");
  CheckPadAxis(a.rows, a.x.h, a.out.h);
  CheckPadAxis(a.cols, a.x.w, a.out.w);
}

namespace {

void CheckOperand(DeltaOperand& o, const DeltaView& out) {
  if (o.varying) CheckDelta(o.delta, "operand");
  if (o.strides.length != 4) RangeFail("deltaBinary: strides need 4 entries");
  int64_t last = 0;
  const int64_t dims[4] = {out.n, out.h, out.w, out.c};
  for (int k = 0; k < 4; ++k) {
    if (o.strides.data[k] < 0) RangeFail("deltaBinary: negative stride");
    last = CheckedAdd(last, CheckedMul(dims[k] - 1, o.strides.data[k], "the operand's last offset"), "the operand's last offset");
  }
  if (last >= static_cast<int64_t>(o.data.length)) RangeFail("deltaBinary: operand strides exceed its data");
  if (o.varying && static_cast<int64_t>(o.data.length) != SizeOf(o.delta))
    RangeFail("deltaBinary: accumulated operand differs in size from its delta");
  if (o.varying && o.delta.c != out.c && o.delta.c != 1) RangeFail("deltaBinary: operand channels do not broadcast");
}

}  // namespace

void CheckDeltaBinary(DeltaBinaryArgs& a) {
  if (a.op < 0 || a.op > 3) RangeFail("deltaBinary: unknown op code");
  CheckDelta(a.out, "out");
  CheckOperand(a.a, a.out);
  CheckOperand(a.b, a.out);
  if (static_cast<int64_t>(a.emitted.length) != SizeOf(a.out)) RangeFail("deltaBinary: emitted differs in size from out");
}

int64_t DeltaBinaryWork(const DeltaBinaryArgs& a) {
  int64_t work = 0;
  for (const DeltaOperand* o : {&a.a, &a.b}) {
    if (!o->varying) continue;
    const DeltaView& d = o->delta;
    work += SaturatingMul(SaturatingMul(d.count, a.out.pixels / std::max<int64_t>(1, d.pixels)), a.out.c * 4);
  }
  return work;
}

}  // namespace md
