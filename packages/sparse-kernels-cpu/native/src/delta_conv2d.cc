// Delta Conv2D entry points: weight packing and the convolution itself, which marks the outputs
// the active inputs reach and hands them to one of the paths of delta_conv2d.h.
#include <memory>
#include <vector>

#include "delta_buffer.h"
#include "delta_conv2d.h"
#include "delta_ops.h"
#include "dense_packed_gemm.h"

namespace md {
namespace {

// Marks every output reached by an active input, as the reference does (input order x taps).
void MarkOutputs(const ConvGeom& g, const DeltaView& x, DeltaView& out) {
  const int64_t plane = g.in_h * g.in_w;
  for (int64_t i = 0; i < x.count; ++i) {
    const int64_t p = x.active[i];
    const auto [n, iy, ix] = SplitPixel(p, plane, g.in_w);
    for (int64_t ky = 0; ky < g.kh; ++ky) {
      const int64_t ty = iy + g.pt - ky * g.dh;
      if (ty < 0 || ty % g.sh != 0) continue;
      const int64_t oy = ty / g.sh;
      if (oy >= g.out_h) continue;
      for (int64_t kx = 0; kx < g.kw; ++kx) {
        const int64_t tx = ix + g.pl - kx * g.dw;
        if (tx < 0 || tx % g.sw != 0) continue;
        const int64_t ox = tx / g.sw;
        if (ox >= g.out_w) continue;
        MarkActive(out, (n * g.out_h + oy) * g.out_w + ox);
      }
    }
  }
}

int64_t Conv2dDelta(const ConvGeom& g, const float* w, const PackedConv* pk, const DeltaView& x, DeltaView& out, int32_t path) {
  ClearDelta(out);
  if (x.count == 0) return 0;
  MarkOutputs(g, x, out);
  if (out.count == 0) return 0;
  if (g.cin_pg == 1 && path != 2) {
    Depthwise(g, w, x, out);
  } else {
    const bool output_driven = pk == nullptr || path == 2 || (path == 0 && !PreferInputDriven(g, x.count, out.count));
    if (!output_driven) InputDriven(g, *pk, x, out);
    else if (pk && UsePackedGemm() && !pk->window_gemm.empty()) OutputDrivenImplicit(g, *pk, x, out);
    else OutputDriven(g, w, x, out);
  }
  return out.count;
}

void PackedFinalizer(Napi::Env, PackedConv* pk) { delete pk; }

// deltaPackConv2d(weight: Float32Array, dims: Int32Array [kh, kw, cinPerGroup, cout, groups, sh, sw, dh, dw]): Promise<External>
Napi::Value PackEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto w = F32(info[0], "weight");
  auto dims = I32(info[1], "dims");
  if (dims.length != 9) throw Napi::RangeError::New(env, "deltaPackConv2d: dims needs 9 entries");
  const int32_t* d = dims.data;
  for (int i = 0; i < 9; ++i) {
    if (d[i] < 1) throw Napi::RangeError::New(env, "deltaPackConv2d: dims must be positive");
  }
  if (static_cast<int64_t>(w.length) != int64_t{d[0]} * d[1] * d[2] * d[3] || d[3] % d[4] != 0) {
    throw Napi::RangeError::New(env, "deltaPackConv2d: weight size does not match dims");
  }
  auto holder = std::make_shared<std::unique_ptr<PackedConv>>();
  std::vector<int32_t> dv(d, d + 9);
  return AsyncKernel::Start(
      env, "deltaPackConv2d", {info[0]},
      [holder, w, dv]() { *holder = Pack(w.data, dv[0], dv[1], dv[2], dv[3], dv[4], dv[5], dv[6], dv[7], dv[8]); },
      [holder](Napi::Env e) -> Napi::Value { return Napi::External<PackedConv>::New(e, holder->release(), PackedFinalizer); });
}

// deltaConv2d(x, weight: Float32Array, packed: External | null, geom: Int32Array [kh, kw, sh, sw, dh, dw, padTop, padLeft, groups],
//             out, path: 0 auto | 1 input-driven | 2 output-driven): Promise<number>
Napi::Value Conv2dEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeltaView x = ReadDelta(info[0], "x");
  auto w = F32(info[1], "weight");
  const PackedConv* pk = nullptr;
  if (info[2].IsExternal()) pk = info[2].As<Napi::External<PackedConv>>().Data();
  auto geom = I32(info[3], "geom");
  DeltaView out = ReadDelta(info[4], "out");
  const int32_t path = IntArg(info, 5, "path");
  if (geom.length != 9) throw Napi::RangeError::New(env, "deltaConv2d: geom needs 9 entries");
  const int32_t* gv = geom.data;
  ConvGeom g{gv[0], gv[1], gv[2], gv[3], gv[4], gv[5], gv[6], gv[7], gv[8], x.c, out.c, 0, 0, x.n, x.h, x.w, out.h, out.w};
  if (g.groups < 1 || g.cin % g.groups != 0 || g.cout % g.groups != 0 || g.kh < 1 || g.kw < 1 || g.sh < 1 || g.sw < 1 || g.dh < 1 || g.dw < 1 ||
      g.pt < 0 || g.pl < 0 || out.n != x.n) {
    throw Napi::RangeError::New(env, "deltaConv2d: invalid geometry");
  }
  g.cin_pg = g.cin / g.groups;
  g.cout_pg = g.cout / g.groups;
  if (static_cast<int64_t>(w.length) != g.kh * g.kw * g.cin_pg * g.cout) throw Napi::RangeError::New(env, "deltaConv2d: weight size does not match");
  if (pk && (pk->kh != g.kh || pk->kw != g.kw || pk->sh != g.sh || pk->sw != g.sw || pk->dh != g.dh || pk->dw != g.dw || pk->groups != g.groups ||
             pk->cin_pg != g.cin_pg || pk->cout != g.cout)) {
    throw Napi::RangeError::New(env, "deltaConv2d: packed weights were packed for another geometry");
  }
  std::vector<Napi::Value> keep{info[0], info[1], info[3], info[4]};
  if (pk) keep.push_back(info[2]);
  return StartCounted(env, "deltaConv2d", std::move(keep), [=]() mutable { return Conv2dDelta(g, w.data, pk, x, out, path); },
                      x.count * g.kh * g.kw * g.cin_pg * g.cout);
}

}  // namespace

void RegisterDeltaConv2d(Napi::Env env, Napi::Object exports) {
  exports.Set("deltaPackConv2d", Napi::Function::New(env, PackEntry, "deltaPackConv2d"));
  exports.Set("deltaConv2d", Napi::Function::New(env, Conv2dEntry, "deltaConv2d"));
}

}  // namespace md
