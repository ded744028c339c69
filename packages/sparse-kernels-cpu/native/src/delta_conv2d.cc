// Delta Conv2D: weight packing and the convolution itself, which marks the outputs the active
// inputs reach and hands them to one of the paths of delta_conv2d.h.
#include <memory>
#include <vector>

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

int64_t Conv2dDelta(const ConvGeom& g, const float* w, const PackedConv* pk, const DeltaView& x, DeltaView& out, int32_t path,
                    const ConvOptions& options) {
  ClearDelta(out);
  if (x.count == 0) return 0;
  MarkOutputs(g, x, out);
  if (out.count == 0) return 0;
  if (g.cin_pg == 1 && path != 2) {
    Depthwise(g, w, x, out);
  } else {
    const bool output_driven = pk == nullptr || path == 2 || (path == 0 && !PreferInputDriven(g, x.count, out.count));
    if (!output_driven)
      InputDriven(g, *pk, x, out, options);
    else if (pk && UsePackedGemm(options) && !pk->window_gemm.empty() && ImplicitSlabFits(g))
      OutputDrivenImplicit(g, *pk, x, out);
    else
      OutputDriven(g, w, x, out);
  }
  return out.count;
}

}  // namespace

std::unique_ptr<PackedConv> RunDeltaPack(const DeltaPackArgs& a) {
  const auto& d = a.dims;
  return Pack(a.w.data, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8]);
}

int64_t RunDeltaConv2d(DeltaConv2dArgs& a) { return Conv2dDelta(a.g, a.w.data, a.packed, a.x, a.out, a.path, a.options); }

}  // namespace md
