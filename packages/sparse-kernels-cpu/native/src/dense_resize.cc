// Resize of H and W (NHWC) with taps precomputed in TypeScript: every output pixel blends four
// source pixels (the two rows and columns of its taps; nearest mode has lo == hi and weight 0),
// with the channels innermost.
#include "dense_ops.h"
#include "thread_pool.h"

namespace md {

void RunResize(const ResizeArgs& a) {
  if (a.out.length == 0) return;  // (a zero width or channel count under millions of rows)
  const auto& v = a.geometry;
  const int64_t batch = v[0], in_h = v[1], in_w = v[2], c = v[3], out_h = v[4], out_w = v[5];
  const float* x = a.x.data;
  const int32_t *row_lo = a.row_lo.data, *row_hi = a.row_hi.data, *col_lo = a.col_lo.data, *col_hi = a.col_hi.data;
  const float *row_wt = a.row_weight.data, *col_wt = a.col_weight.data;
  float* out = a.out.data;
  parallel_for(0, batch * out_h, 1, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t n = r / out_h;
      const int64_t oy = r - n * out_h;
      const float* row0 = x + ((n * in_h + row_lo[oy]) * in_w) * c;
      const float* row1 = x + ((n * in_h + row_hi[oy]) * in_w) * c;
      const float wy = row_wt[oy];
      float* o = out + r * out_w * c;
      for (int64_t ox = 0; ox < out_w; ++ox, o += c) {
        const float* __restrict p00 = row0 + col_lo[ox] * c;
        const float* __restrict p01 = row0 + col_hi[ox] * c;
        const float* __restrict p10 = row1 + col_lo[ox] * c;
        const float* __restrict p11 = row1 + col_hi[ox] * c;
        const float wx = col_wt[ox];
        float* __restrict oo = o;
        for (int64_t ch = 0; ch < c; ++ch) {
          const float top = p00[ch] + wx * (p01[ch] - p00[ch]);
          const float bottom = p10[ch] + wx * (p11[ch] - p10[ch]);
          oo[ch] = top + wy * (bottom - top);
        }
      }
    }
  });
}

}  // namespace md
