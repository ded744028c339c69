// Resize (nearest or bilinear) of the H and W axes of an NHWC map, through per-axis tap tables
// computed once on the host by core's resizeTaps (the one definition of which pixels every
// backend samples: output i reads input lo[i] and hi[i], weight[i] on the second) and
// resizeInverseRanges (the outputs reading each input). The blend is the reference's, in double.
#pragma once

#include "hd.h"
#include "tiles.h"

namespace mdcuda {

/** Taps of one axis and, for each input index, the [first, last] output reading it (first > last: none). */
struct ResizeAxis {
  const int* lo;
  const int* hi;
  const double* weight;
  const int* inverse;  // 2 * input size
};

struct ResizeGeometry {
  int batch;
  int in_h;
  int in_w;
  int channels;
  int out_h;
  int out_w;
  ResizeAxis rows;
  ResizeAxis cols;
};

MD_HD double Blend(double d00, double d01, double d10, double d11, double wy, double wx) {
  const double top = d00 + wx * (d01 - d00);
  const double bottom = d10 + wx * (d11 - d10);
  return top + wy * (bottom - top);
}

MD_HD float ResizeElement(const ResizeGeometry& g, const float* x, int n, int oy, int ox, int ch) {
  const int64_t r0 = (static_cast<int64_t>(n) * g.in_h + g.rows.lo[oy]) * g.in_w;
  const int64_t r1 = (static_cast<int64_t>(n) * g.in_h + g.rows.hi[oy]) * g.in_w;
  const int c0 = g.cols.lo[ox], c1 = g.cols.hi[ox];
  const int c = g.channels;
  return static_cast<float>(Blend(x[(r0 + c0) * c + ch], x[(r0 + c1) * c + ch], x[(r1 + c0) * c + ch], x[(r1 + c1) * c + ch],
                                  g.rows.weight[oy], g.cols.weight[ox]));
}

/**
 * One output pixel of a resized delta: the dense blend with 0 for inactive inputs. Active when one
 * of its taps reads an active input (a second tap of weight 0 reads nothing). Returns that.
 */
MD_HD bool ResizeDeltaPixel(const ResizeGeometry& g, const float* x, const uint8_t* mask, int n, int oy, int ox, float* out) {
  const int64_t r0 = (static_cast<int64_t>(n) * g.in_h + g.rows.lo[oy]) * g.in_w;
  const int64_t r1 = (static_cast<int64_t>(n) * g.in_h + g.rows.hi[oy]) * g.in_w;
  const int c0 = g.cols.lo[ox], c1 = g.cols.hi[ox];
  const double wy = g.rows.weight[oy], wx = g.cols.weight[ox];
  const bool a00 = mask[r0 + c0] != 0, a01 = mask[r0 + c1] != 0, a10 = mask[r1 + c0] != 0, a11 = mask[r1 + c1] != 0;
  const bool touched = a00 || (wx != 0 && a01) || (wy != 0 && (a10 || (wx != 0 && a11)));
  if (!touched) return false;
  const int c = g.channels;
  for (int ch = 0; ch < c; ch++) {
    const double d00 = a00 ? x[(r0 + c0) * c + ch] : 0.0, d01 = a01 ? x[(r0 + c1) * c + ch] : 0.0;
    const double d10 = a10 ? x[(r1 + c0) * c + ch] : 0.0, d11 = a11 ? x[(r1 + c1) * c + ch] : 0.0;
    out[ch] = static_cast<float>(Blend(d00, d01, d10, d11, wy, wx));
  }
  return true;
}

/** The output tiles the inputs of an input tile are read by (from the inverse ranges of its rows and columns). */
MD_HD TileSpan ResizeOutputTilesOfInputRect(const ResizeGeometry& g, const TileRect& r) {
  int ylo = g.out_h, yhi = -1, xlo = g.out_w, xhi = -1;
  for (int y = r.y0; y < r.y1; y++) {
    if (g.rows.inverse[2 * y] <= g.rows.inverse[2 * y + 1]) {
      if (g.rows.inverse[2 * y] < ylo) ylo = g.rows.inverse[2 * y];
      if (g.rows.inverse[2 * y + 1] > yhi) yhi = g.rows.inverse[2 * y + 1];
    }
  }
  for (int x = r.x0; x < r.x1; x++) {
    if (g.cols.inverse[2 * x] <= g.cols.inverse[2 * x + 1]) {
      if (g.cols.inverse[2 * x] < xlo) xlo = g.cols.inverse[2 * x];
      if (g.cols.inverse[2 * x + 1] > xhi) xhi = g.cols.inverse[2 * x + 1];
    }
  }
  if (ylo > yhi || xlo > xhi) return TileSpan{0, -1, 0, -1};
  return TileSpan{ylo / kTile, yhi / kTile, xlo / kTile, xhi / kTile};
}

}  // namespace mdcuda
