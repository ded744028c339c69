// Transposed convolution of a delta (bias cancels). Output-driven: each output reached by an
// active input gathers, per tap, the input pixel that lands on it (iy*stride + ky*dilation - pad
// = oy), so outputs are computed in parallel without write conflicts.
#include <cstring>

#include "delta_ops.h"
#include "thread_pool.h"

namespace md {
namespace {

int64_t ConvTransposeDelta(const ConvGeom& g, const float* w, const DeltaView& x, DeltaView& out) {
  ClearDelta(out);
  const int64_t plane = g.in_h * g.in_w;
  for (int64_t i = 0; i < x.count; ++i) {
    const int64_t p = x.active[i];
    const auto [n, iy, ix] = SplitPixel(p, plane, g.in_w);
    for (int64_t ky = 0; ky < g.kh; ++ky) {
      const int64_t oy = iy * g.sh + ky * g.dh - g.pt;
      if (oy < 0 || oy >= g.out_h) continue;
      for (int64_t kx = 0; kx < g.kw; ++kx) {
        const int64_t ox = ix * g.sw + kx * g.dw - g.pl;
        if (ox < 0 || ox >= g.out_w) continue;
        MarkActive(out, (n * g.out_h + oy) * g.out_w + ox);
      }
    }
  }
  const int64_t out_plane = g.out_h * g.out_w;
  parallel_for(0, out.count, GrainFor(g.kh * g.kw * g.cin_pg * g.cout / 4), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const int64_t q = out.active[i];
      const auto [n, oy, ox] = SplitPixel(q, out_plane, g.out_w);
      float* o = out.values + q * g.cout;
      std::memset(o, 0, sizeof(float) * g.cout);
      for (int64_t ky = 0; ky < g.kh; ++ky) {
        const int64_t ty = oy + g.pt - ky * g.dh;
        if (ty < 0 || ty % g.sh != 0 || ty / g.sh >= g.in_h) continue;
        const int64_t iy = ty / g.sh;
        for (int64_t kx = 0; kx < g.kw; ++kx) {
          const int64_t tx = ox + g.pl - kx * g.dw;
          if (tx < 0 || tx % g.sw != 0 || tx / g.sw >= g.in_w) continue;
          const int64_t p = (n * g.in_h + iy) * g.in_w + tx / g.sw;
          if (!x.mask[p]) continue;
          const float* xv = x.values + p * g.cin;
          const float* wt = w + (ky * g.kw + kx) * g.cin * g.cout_pg;
          for (int64_t gr = 0; gr < g.groups; ++gr) {
            float* og = o + gr * g.cout_pg;
            for (int64_t ci = gr * g.cin_pg; ci < (gr + 1) * g.cin_pg; ++ci) {
              const float d = xv[ci];
              const float* wr = wt + ci * g.cout_pg;
              for (int64_t j = 0; j < g.cout_pg; ++j) og[j] += d * wr[j];
            }
          }
        }
      }
    }
  });
  return out.count;
}

}  // namespace

int64_t RunDeltaConvTranspose(DeltaConvTransposeArgs& a) { return ConvTransposeDelta(a.g, a.w.data, a.x, a.out); }

}  // namespace md
