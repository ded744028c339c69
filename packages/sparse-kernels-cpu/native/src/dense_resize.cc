// Resize of H and W (NHWC) with taps precomputed in TypeScript: every output pixel blends four
// source pixels (the two rows and columns of its taps; nearest mode has lo == hi and weight 0),
// with the channels innermost.
#include <napi.h>

#include <vector>

#include "async_kernel.h"
#include "common_args.h"
#include "dense_entry_points.h"
#include "thread_pool.h"

namespace md {

// resize(x, out, geometry [batch, inH, inW, c, outH, outW], rowLo, rowHi, rowWeight, colLo, colHi, colWeight)
Napi::Value ResizeEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto x = F32(info[0], "x");
  auto out = F32(info[1], "out");
  const auto gv = Ints(info[2], 6, "geometry");
  ExpectAtLeast(env, gv, 0, "geometry");
  const int64_t batch = gv[0], in_h = gv[1], in_w = gv[2], c = gv[3], out_h = gv[4], out_w = gv[5];
  auto row_lo = I32(info[3], "rowLo");
  auto row_hi = I32(info[4], "rowHi");
  auto row_wt = F32(info[5], "rowWeight");
  auto col_lo = I32(info[6], "colLo");
  auto col_hi = I32(info[7], "colHi");
  auto col_wt = F32(info[8], "colWeight");
  ExpectLength(env, x.length, batch * in_h * in_w * c, "x");
  ExpectLength(env, out.length, batch * out_h * out_w * c, "out");
  ExpectLength(env, row_lo.length, out_h, "rowLo");
  ExpectLength(env, row_hi.length, out_h, "rowHi");
  ExpectLength(env, row_wt.length, out_h, "rowWeight");
  ExpectLength(env, col_lo.length, out_w, "colLo");
  ExpectLength(env, col_hi.length, out_w, "colHi");
  ExpectLength(env, col_wt.length, out_w, "colWeight");
  for (int64_t i = 0; i < out_h; ++i) {
    if (row_lo.data[i] < 0 || row_lo.data[i] >= in_h || row_hi.data[i] < 0 || row_hi.data[i] >= in_h) throw Napi::RangeError::New(env, "resize: a row tap is outside the input");
  }
  for (int64_t i = 0; i < out_w; ++i) {
    if (col_lo.data[i] < 0 || col_lo.data[i] >= in_w || col_hi.data[i] < 0 || col_hi.data[i] >= in_w) throw Napi::RangeError::New(env, "resize: a column tap is outside the input");
  }
  return AsyncKernel::Start(env, "resize", {info[0], info[1], info[3], info[4], info[5], info[6], info[7], info[8]}, [=] {
    parallel_for(0, batch * out_h, 1, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        const int64_t n = r / out_h;
        const int64_t oy = r - n * out_h;
        const float* row0 = x.data + ((n * in_h + row_lo.data[oy]) * in_w) * c;
        const float* row1 = x.data + ((n * in_h + row_hi.data[oy]) * in_w) * c;
        const float wy = row_wt.data[oy];
        float* o = out.data + r * out_w * c;
        for (int64_t ox = 0; ox < out_w; ++ox, o += c) {
          const float* __restrict p00 = row0 + col_lo.data[ox] * c;
          const float* __restrict p01 = row0 + col_hi.data[ox] * c;
          const float* __restrict p10 = row1 + col_lo.data[ox] * c;
          const float* __restrict p11 = row1 + col_hi.data[ox] * c;
          const float wx = col_wt.data[ox];
          float* __restrict oo = o;
          for (int64_t ch = 0; ch < c; ++ch) {
            const float top = p00[ch] + wx * (p01[ch] - p00[ch]);
            const float bottom = p10[ch] + wx * (p11[ch] - p10[ch]);
            oo[ch] = top + wy * (bottom - top);
          }
        }
      }
    });
  }, nullptr, RunInline(static_cast<int64_t>(out.length) * 2));
}

}  // namespace md
