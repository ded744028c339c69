// Resize (nearest or bilinear, any coordinate mode) of a delta. Resampling is linear in the input,
// so the output delta is the dense formula on the input delta with 0 at inactive pixels. The
// per-axis tap tables come from TypeScript (the dense oracle's float32 coordinate rules); here:
// mark every output whose taps read an active input, then gather each marked output in parallel.
#include <cstring>

#include "delta_ops.h"
#include "thread_pool.h"

namespace md {
namespace {

struct Taps {
  const int32_t* lo;
  const int32_t* hi;
  const double* weight;
  const int32_t* range;  // per input: [first, last] output reading it
};

// Whether output o reads input i (a second tap of weight 0 does not count).
inline bool Reads(const Taps& t, int64_t o, int64_t i) { return t.lo[o] == i || (t.hi[o] == i && t.weight[o] != 0); }

int64_t ResizeDelta(const Taps& rows, const Taps& cols, const DeltaView& x, DeltaView& out) {
  ClearDelta(out);
  const int64_t plane = x.h * x.w;
  for (int64_t i = 0; i < x.count; ++i) {
    const int64_t p = x.active[i];
    const auto [n, iy, ix] = SplitPixel(p, plane, x.w);
    for (int64_t oy = rows.range[2 * iy]; oy <= rows.range[2 * iy + 1]; ++oy) {
      if (!Reads(rows, oy, iy)) continue;
      const int64_t row = (n * out.h + oy) * out.w;
      for (int64_t ox = cols.range[2 * ix]; ox <= cols.range[2 * ix + 1]; ++ox) {
        if (Reads(cols, ox, ix)) MarkActive(out, row + ox);
      }
    }
  }
  const int64_t c = x.c;
  const int64_t out_plane = out.h * out.w;
  parallel_for(0, out.count, GrainFor(8 * c), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const int64_t q = out.active[i];
      const auto [n, oy, ox] = SplitPixel(q, out_plane, out.w);
      const int64_t r0 = (n * x.h + rows.lo[oy]) * x.w;
      const int64_t r1 = (n * x.h + rows.hi[oy]) * x.w;
      const int64_t c0 = cols.lo[ox], c1 = cols.hi[ox];
      // Inactive inputs did not change: they contribute a zero delta and are never read.
      const float* p00 = x.mask[r0 + c0] ? x.values + (r0 + c0) * c : nullptr;
      const float* p01 = x.mask[r0 + c1] ? x.values + (r0 + c1) * c : nullptr;
      const float* p10 = x.mask[r1 + c0] ? x.values + (r1 + c0) * c : nullptr;
      const float* p11 = x.mask[r1 + c1] ? x.values + (r1 + c1) * c : nullptr;
      const double wy = rows.weight[oy], wx = cols.weight[ox];
      float* o = out.values + q * c;
      for (int64_t ch = 0; ch < c; ++ch) {
        const double d00 = p00 ? p00[ch] : 0.0, d01 = p01 ? p01[ch] : 0.0, d10 = p10 ? p10[ch] : 0.0, d11 = p11 ? p11[ch] : 0.0;
        const double top = d00 + wx * (d01 - d00);
        const double bottom = d10 + wx * (d11 - d10);
        o[ch] = static_cast<float>(top + wy * (bottom - top));
      }
    }
  });
  return out.count;
}

}  // namespace

int64_t RunDeltaResize(DeltaResizeArgs& a) {
  const Taps rows{a.rows.lo.data, a.rows.hi.data, a.rows.weight.data, a.rows.range.data};
  const Taps cols{a.cols.lo.data, a.cols.hi.data, a.cols.weight.data, a.cols.range.data};
  return ResizeDelta(rows, cols, a.x, a.out);
}

}  // namespace md
