// Depthwise convolution (groups == Cin, Cout = Cin * multiplier): each output channel reads one
// input channel, so there is no reduction over channels and no GEMM shape; the loop runs over
// output pixels with the channels innermost, contiguous in x, weight and out, which vectorizes.
//
// The multiplier-1 row loop (dense_conv2d_depthwise_row.inc) is compiled per instruction set: the
// baseline copy below, the AVX2 one in dense_conv2d_depthwise_avx2.cc; the kernel table chosen at
// load (cpu_isa.h) says which runs.
#include <algorithm>

#include "cpu_isa.h"
#include "dense_conv2d.h"
#include "thread_pool.h"

namespace md {

namespace baseline {
#include "dense_conv2d_depthwise_row.inc"
}  // namespace baseline

namespace {

// Channel multiplier > 1: output channel c * mult + j reads input channel c.
inline void MulAddMultiplier(float* __restrict out, const float* __restrict x, const float* __restrict w, int64_t in_c, int64_t mult) {
  for (int64_t c = 0; c < in_c; ++c) {
    const float xv = x[c];
    float* __restrict o = out + c * mult;
    const float* __restrict wc = w + c * mult;
    for (int64_t j = 0; j < mult; ++j) o[j] += xv * wc[j];
  }
}

}  // namespace

void Conv2DDepthwise(const ConvGeometry& g, const float* x, const float* w, const float* bias, float* out, const Activation& act) {
  const int64_t mult = g.out_c / g.in_c;
  const int64_t rows = g.batch * g.out_h;
  const DepthwiseRowArgs row_args{g.in_h, g.in_w, g.out_c, g.out_w, g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.pad_top, g.pad_left, x, w, bias};
  const auto depthwise_row = Kernels().depthwise_row;
  // A row of output pixels is the unit of work: enough to amortize scheduling, small enough to balance.
  parallel_for(0, rows, 1, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t n = r / g.out_h;
      const int64_t oy = r - n * g.out_h;
      float* orow = out + r * g.out_w * g.out_c;
      if (mult == 1) {
        depthwise_row(row_args, orow, n, oy);
        act.apply(orow, g.out_w, g.out_c);
        continue;
      }
      for (int64_t ox = 0; ox < g.out_w; ++ox) {
        float* o = orow + ox * g.out_c;
        if (bias) {
          std::copy(bias, bias + g.out_c, o);
        } else {
          std::fill(o, o + g.out_c, 0.f);
        }
        for (int64_t ky = 0; ky < g.kh; ++ky) {
          const int64_t iy = oy * g.sh - g.pad_top + ky * g.dh;
          if (iy < 0 || iy >= g.in_h) continue;
          const float* xrow = x + (n * g.in_h + iy) * g.in_w * g.in_c;
          for (int64_t kx = 0; kx < g.kw; ++kx) {
            const int64_t ix = ox * g.sw - g.pad_left + kx * g.dw;
            if (ix < 0 || ix >= g.in_w) continue;
            MulAddMultiplier(o, xrow + ix * g.in_c, w + (ky * g.kw + kx) * g.out_c, g.in_c, mult);
          }
        }
      }
      act.apply(orow, g.out_w, g.out_c);
    }
  });
}

}  // namespace md
