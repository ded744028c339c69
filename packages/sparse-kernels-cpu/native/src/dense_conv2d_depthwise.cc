// Depthwise convolution (groups == Cin, Cout = Cin * multiplier): each output channel reads one
// input channel, so there is no reduction over channels and no GEMM shape; the loop runs over
// output pixels with the channels innermost, contiguous in x, weight and out, which vectorizes.
#include <algorithm>

#include "dense_conv2d.h"
#include "thread_pool.h"

namespace md {
namespace {

// Loops over a register block are unrolled so its accumulators live in vector registers.
#define MD_DW_UNROLL _Pragma("GCC unroll 32")

// Channel multiplier > 1: output channel c * mult + j reads input channel c.
inline void MulAddMultiplier(float* __restrict out, const float* __restrict x, const float* __restrict w, int64_t in_c, int64_t mult) {
  for (int64_t c = 0; c < in_c; ++c) {
    const float xv = x[c];
    float* __restrict o = out + c * mult;
    const float* __restrict wc = w + c * mult;
    for (int64_t j = 0; j < mult; ++j) o[j] += xv * wc[j];
  }
}

// Channels [c0, c0 + W) of one output pixel over the taps [ky0, ky1) x [kx0, kx1): W
// accumulators (W / 8 vectors) stay in registers and are stored once. `xpix` points at channel 0
// of input pixel (iy0, ix0) (it may lie outside the input; only in-range taps are read).
template <int W>
inline void DepthwiseBlock(const ConvGeometry& g, const float* xpix, const float* w, const float* bias, float* __restrict o, int64_t ky0, int64_t ky1,
                           int64_t kx0, int64_t kx1, int64_t c0) {
  const int64_t c = g.out_c;
  const int64_t row_step = g.dh * g.in_w * c, col_step = g.dw * c;
  float acc[W];
  MD_DW_UNROLL for (int j = 0; j < W; ++j) acc[j] = bias ? bias[c0 + j] : 0.f;
  for (int64_t ky = ky0; ky < ky1; ++ky) {
    const float* xp = xpix + ky * row_step + kx0 * col_step + c0;
    const float* wp = w + (ky * g.kw + kx0) * c + c0;
    for (int64_t kx = kx0; kx < kx1; ++kx, xp += col_step, wp += c) {
      const float* __restrict xv = xp;
      const float* __restrict wv = wp;
      MD_DW_UNROLL for (int j = 0; j < W; ++j) acc[j] += xv[j] * wv[j];
    }
  }
  MD_DW_UNROLL for (int j = 0; j < W; ++j) o[c0 + j] = acc[j];
}

// First and one-past-last tap along an axis that land inside the input, for a window starting at
// input coordinate `start`.
inline void TapRange(int64_t start, int64_t k, int64_t d, int64_t in, int64_t* t0, int64_t* t1) {
  *t0 = 0;
  *t1 = k;
  while (*t0 < *t1 && start + *t0 * d < 0) ++*t0;
  while (*t1 > *t0 && start + (*t1 - 1) * d >= in) --*t1;
}

// Multiplier 1, one output row: channel blocks of 32, then 8, then single channels, each
// accumulated over every tap in registers and stored once (instead of a load and a store of the
// output per tap). Tap ranges are computed per row (vertical) and only at the borders
// (horizontal).
void DepthwiseRow(const ConvGeometry& g, const float* x, const float* w, const float* bias, float* orow, int64_t n, int64_t oy) {
  const int64_t c = g.out_c;
  const int64_t iy0 = oy * g.sh - g.pad_top;
  int64_t ky0, ky1;
  TapRange(iy0, g.kh, g.dh, g.in_h, &ky0, &ky1);
  for (int64_t ox = 0; ox < g.out_w; ++ox) {
    const int64_t ix0 = ox * g.sw - g.pad_left;
    int64_t kx0 = 0, kx1 = g.kw;
    if (ix0 < 0 || ix0 + (g.kw - 1) * g.dw >= g.in_w) TapRange(ix0, g.kw, g.dw, g.in_w, &kx0, &kx1);
    float* o = orow + ox * c;
    // Pointer arithmetic only; the taps read are all inside the input.
    const float* xpix = x + ((n * g.in_h + iy0) * g.in_w + ix0) * c;
    int64_t c0 = 0;
    for (; c0 + 32 <= c; c0 += 32) DepthwiseBlock<32>(g, xpix, w, bias, o, ky0, ky1, kx0, kx1, c0);
    if (c0 + 16 <= c) {
      DepthwiseBlock<16>(g, xpix, w, bias, o, ky0, ky1, kx0, kx1, c0);
      c0 += 16;
    }
    if (c0 + 8 <= c) {
      DepthwiseBlock<8>(g, xpix, w, bias, o, ky0, ky1, kx0, kx1, c0);
      c0 += 8;
    }
    for (; c0 < c; ++c0) DepthwiseBlock<1>(g, xpix, w, bias, o, ky0, ky1, kx0, kx1, c0);
  }
}

}  // namespace

void Conv2DDepthwise(const ConvGeometry& g, const float* x, const float* w, const float* bias, float* out, const Activation& act) {
  const int64_t mult = g.out_c / g.in_c;
  const int64_t rows = g.batch * g.out_h;
  // A row of output pixels is the unit of work: enough to amortize scheduling, small enough to balance.
  parallel_for(0, rows, 1, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t n = r / g.out_h;
      const int64_t oy = r - n * g.out_h;
      float* orow = out + r * g.out_w * g.out_c;
      if (mult == 1) {
        DepthwiseRow(g, x, w, bias, orow, n, oy);
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
