// Convolution arithmetic per output element, dense and delta, for any kernel size, stride,
// dilation, padding and group count (NHWC input, weight [kh, kw, Cin/groups, Cout], as core's
// Conv2DAttrs). Pads are explicit here: the case writer and the program compiler resolve `same-*`.
#pragma once

#include "activation.h"
#include "hd.h"
#include "tiles.h"

namespace mdcuda {

/** Everything that fixes a convolution's shapes. */
struct Conv2dGeometry {
  int batch;
  int in_h;
  int in_w;
  int in_c;
  int out_h;
  int out_w;
  int out_c;
  int kh;
  int kw;
  int sh;
  int sw;
  int dh;
  int dw;
  int pad_top;
  int pad_left;
  int groups;
};

MD_HD int CinPerGroup(const Conv2dGeometry& g) { return g.in_c / g.groups; }
MD_HD int CoutPerGroup(const Conv2dGeometry& g) { return g.out_c / g.groups; }

/**
 * Pre-activation of output (n, oy, ox, co) of a dense convolution: bias plus the sum over taps
 * inside the image (padding reads zero). Accumulates in float, as cuDNN's fp32 path does.
 */
MD_HD float Conv2dDenseElement(const Conv2dGeometry& g, const float* x, const float* w, const float* bias, int n, int oy, int ox, int co) {
  const int cin_g = CinPerGroup(g);
  const int group = co / CoutPerGroup(g);
  float sum = bias != nullptr ? bias[co] : 0.0f;
  for (int ky = 0; ky < g.kh; ky++) {
    const int iy = InputOfTap(oy, ky, g.sh, g.dh, g.pad_top);
    if (iy < 0 || iy >= g.in_h) continue;
    for (int kx = 0; kx < g.kw; kx++) {
      const int ix = InputOfTap(ox, kx, g.sw, g.dw, g.pad_left);
      if (ix < 0 || ix >= g.in_w) continue;
      const float* xp = x + (static_cast<int64_t>((n * g.in_h + iy) * g.in_w + ix)) * g.in_c + group * cin_g;
      const float* wp = w + static_cast<int64_t>((ky * g.kw + kx) * cin_g) * g.out_c + co;
      for (int ci = 0; ci < cin_g; ci++) sum += xp[ci] * wp[static_cast<int64_t>(ci) * g.out_c];
    }
  }
  return sum;
}

/**
 * One output pixel of a convolution of a delta (no bias: it cancels in a difference). Gathers from
 * the active inputs only (`mask` one byte per input pixel) and writes all out_c channels of output
 * pixel (n, oy, ox) to `out`; returns whether any tap reached an active input, which is exactly
 * when the reference (which scatters from active inputs) activates the output pixel.
 */
MD_HD bool Conv2dDeltaPixel(const Conv2dGeometry& g, const float* x, const uint8_t* mask, const float* w, int n, int oy, int ox,
                            float* out) {
  const int cin_g = CinPerGroup(g);
  const int cout_g = CoutPerGroup(g);
  bool touched = false;
  for (int co = 0; co < g.out_c; co++) out[co] = 0.0f;
  for (int ky = 0; ky < g.kh; ky++) {
    const int iy = InputOfTap(oy, ky, g.sh, g.dh, g.pad_top);
    if (iy < 0 || iy >= g.in_h) continue;
    for (int kx = 0; kx < g.kw; kx++) {
      const int ix = InputOfTap(ox, kx, g.sw, g.dw, g.pad_left);
      if (ix < 0 || ix >= g.in_w) continue;
      const int64_t p = (static_cast<int64_t>(n) * g.in_h + iy) * g.in_w + ix;
      if (mask[p] == 0) continue;
      touched = true;
      const float* xp = x + p * g.in_c;
      const float* wtap = w + static_cast<int64_t>((ky * g.kw + kx) * cin_g) * g.out_c;
      for (int grp = 0; grp < g.groups; grp++) {
        for (int ci = 0; ci < cin_g; ci++) {
          const float d = xp[grp * cin_g + ci];
          const float* wrow = wtap + static_cast<int64_t>(ci) * g.out_c + grp * cout_g;
          float* orow = out + grp * cout_g;
          for (int co = 0; co < cout_g; co++) orow[co] += d * wrow[co];
        }
      }
    }
  }
  return touched;
}

}  // namespace mdcuda
