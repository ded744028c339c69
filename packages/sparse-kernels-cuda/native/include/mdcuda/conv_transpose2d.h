// Transposed convolution per output element, dense and delta (NHWC input, weight
// [kh, kw, Cin, Cout/groups], as core's ConvTranspose2DAttrs). Input pixel iy lands on full-output
// row iy*stride + ky*dilation; the leading pads crop the full output. The geometry reuses
// Conv2dGeometry's fields with these meanings (out_h/out_w already include the output padding).
#pragma once

#include "conv2d.h"
#include "hd.h"
#include "tiles.h"

namespace mdcuda {

/** Input row read by output `o` through tap `t`, or -1 when no input lands there. */
MD_HD int TransposedInputOfTap(int o, int t, int s, int d, int p, int in_size) {
  const int full = o + p - t * d;
  if (full < 0 || full % s != 0) return -1;
  const int i = full / s;
  return i < in_size ? i : -1;
}

/** Pre-activation of output (n, oy, ox, co): bias plus every tap that lands an input on it. */
MD_HD float ConvTranspose2dDenseElement(const Conv2dGeometry& g, const float* x, const float* w, const float* bias, int n, int oy, int ox,
                                        int co) {
  const int cin_g = CinPerGroup(g);
  const int cout_g = CoutPerGroup(g);
  const int group = co / cout_g;
  const int co_in_group = co - group * cout_g;
  float sum = bias != nullptr ? bias[co] : 0.0f;
  for (int ky = 0; ky < g.kh; ky++) {
    const int iy = TransposedInputOfTap(oy, ky, g.sh, g.dh, g.pad_top, g.in_h);
    if (iy < 0) continue;
    for (int kx = 0; kx < g.kw; kx++) {
      const int ix = TransposedInputOfTap(ox, kx, g.sw, g.dw, g.pad_left, g.in_w);
      if (ix < 0) continue;
      const float* xp = x + (static_cast<int64_t>((n * g.in_h + iy) * g.in_w + ix)) * g.in_c + group * cin_g;
      const float* wp = w + (static_cast<int64_t>((ky * g.kw + kx) * g.in_c) + group * cin_g) * cout_g + co_in_group;
      for (int ci = 0; ci < cin_g; ci++) sum += xp[ci] * wp[static_cast<int64_t>(ci) * cout_g];
    }
  }
  return sum;
}

/** One output pixel of a transposed convolution of a delta (no bias); returns whether an active input reached it. */
MD_HD bool ConvTranspose2dDeltaPixel(const Conv2dGeometry& g, const float* x, const uint8_t* mask, const float* w, int n, int oy, int ox,
                                     float* out) {
  const int cin_g = CinPerGroup(g);
  const int cout_g = CoutPerGroup(g);
  bool touched = false;
  for (int co = 0; co < g.out_c; co++) out[co] = 0.0f;
  for (int ky = 0; ky < g.kh; ky++) {
    const int iy = TransposedInputOfTap(oy, ky, g.sh, g.dh, g.pad_top, g.in_h);
    if (iy < 0) continue;
    for (int kx = 0; kx < g.kw; kx++) {
      const int ix = TransposedInputOfTap(ox, kx, g.sw, g.dw, g.pad_left, g.in_w);
      if (ix < 0) continue;
      const int64_t p = (static_cast<int64_t>(n) * g.in_h + iy) * g.in_w + ix;
      if (mask[p] == 0) continue;
      touched = true;
      const float* xp = x + p * g.in_c;
      for (int grp = 0; grp < g.groups; grp++) {
        for (int ci = 0; ci < cin_g; ci++) {
          const float d = xp[grp * cin_g + ci];
          const float* wrow = w + (static_cast<int64_t>((ky * g.kw + kx) * g.in_c) + grp * cin_g + ci) * cout_g;
          float* orow = out + grp * cout_g;
          for (int co = 0; co < cout_g; co++) orow[co] += d * wrow[co];
        }
      }
    }
  }
  return touched;
}

/** Output rows input row `iy` lands on: [iy*s - p, iy*s + (k-1)*d - p], clipped. */
MD_HD Span TransposedOutputSpanOfInput(int iy, int k, int s, int d, int p, int out_size) {
  int lo = iy * s - p;
  int hi = iy * s + (k - 1) * d - p;
  if (lo < 0) lo = 0;
  if (hi > out_size - 1) hi = out_size - 1;
  return Span{lo, hi};
}

/** The output tiles an input tile can reach through a transposed convolution. */
MD_HD TileSpan TransposedOutputTilesOfInputRect(const TileRect& r, const Conv2dGeometry& g) {
  const Span top = TransposedOutputSpanOfInput(r.y0, g.kh, g.sh, g.dh, g.pad_top, g.out_h);
  const Span bottom = TransposedOutputSpanOfInput(r.y1 - 1, g.kh, g.sh, g.dh, g.pad_top, g.out_h);
  const Span left = TransposedOutputSpanOfInput(r.x0, g.kw, g.sw, g.dw, g.pad_left, g.out_w);
  const Span right = TransposedOutputSpanOfInput(r.x1 - 1, g.kw, g.sw, g.dw, g.pad_left, g.out_w);
  if (top.lo > bottom.hi || left.lo > right.hi) return TileSpan{0, -1, 0, -1};
  return TileSpan{top.lo / kTile, bottom.hi / kTile, left.lo / kTile, right.hi / kTile};
}

}  // namespace mdcuda
