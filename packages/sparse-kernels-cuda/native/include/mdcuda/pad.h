// Pad through per-axis index maps computed once on the host by core's padAxisMap (output index ->
// input index, or -1 for the pad constant; crops and reflect/edge mirroring included), so the
// native code has core's one definition of Pad.
#pragma once

#include "binary.h"
#include "hd.h"
#include "tiles.h"

namespace mdcuda {

constexpr int kPadConstant = -1;

/** A dense Pad of rank <= kMaxRank: `maps` holds the axes' maps one after another (`map_offsets[d]` where axis d starts). */
struct PadGeometry {
  int rank;
  int64_t in_dims[kMaxRank];
  int64_t out_dims[kMaxRank];
  int map_offsets[kMaxRank];
  const int* maps;
  float value;
};

/** Output element `i` of a dense Pad. */
MD_HD float PadElement(const PadGeometry& g, const float* x, int64_t i) {
  int64_t offset = 0, stride = 1;
  for (int d = g.rank - 1; d >= 0; d--) {
    const int64_t k = i % g.out_dims[d];
    i /= g.out_dims[d];
    const int src = g.maps[g.map_offsets[d] + k];
    if (src == kPadConstant) return g.value;
    offset += src * stride;
    stride *= g.in_dims[d];
  }
  return x[offset];
}

/**
 * A Pad of a delta on H and W (NHWC): `rows`/`cols` map output rows/columns to input ones (-1: the
 * constant), `row_inverse`/`col_inverse` give each input index the [first, last] output reading it.
 */
struct PadDeltaGeometry {
  int batch;
  int in_h;
  int in_w;
  int channels;
  int out_h;
  int out_w;
  const int* rows;
  const int* cols;
  const int* row_inverse;
  const int* col_inverse;
};

/** One output pixel of a padded delta: a copy of its source pixel when that is active; the constant never changes. */
MD_HD bool PadDeltaPixel(const PadDeltaGeometry& g, const float* x, const uint8_t* mask, int n, int oy, int ox, float* out) {
  const int iy = g.rows[oy], ix = g.cols[ox];
  if (iy == kPadConstant || ix == kPadConstant) return false;
  const int64_t p = (static_cast<int64_t>(n) * g.in_h + iy) * g.in_w + ix;
  if (mask[p] == 0) return false;
  for (int ch = 0; ch < g.channels; ch++) out[ch] = x[p * g.channels + ch];
  return true;
}

/** The output tiles that copy pixels of an input tile (a superset for reflect padding, whose copies are not contiguous). */
MD_HD TileSpan PadOutputTilesOfInputRect(const PadDeltaGeometry& g, const TileRect& r) {
  int ylo = g.out_h, yhi = -1, xlo = g.out_w, xhi = -1;
  for (int y = r.y0; y < r.y1; y++) {
    if (g.row_inverse[2 * y] <= g.row_inverse[2 * y + 1]) {
      ylo = g.row_inverse[2 * y] < ylo ? g.row_inverse[2 * y] : ylo;
      yhi = g.row_inverse[2 * y + 1] > yhi ? g.row_inverse[2 * y + 1] : yhi;
    }
  }
  for (int x = r.x0; x < r.x1; x++) {
    if (g.col_inverse[2 * x] <= g.col_inverse[2 * x + 1]) {
      xlo = g.col_inverse[2 * x] < xlo ? g.col_inverse[2 * x] : xlo;
      xhi = g.col_inverse[2 * x + 1] > xhi ? g.col_inverse[2 * x + 1] : xhi;
    }
  }
  if (ylo > yhi || xlo > xhi) return TileSpan{0, -1, 0, -1};
  return TileSpan{ylo / kTile, yhi / kTile, xlo / kTile, xhi / kTile};
}

}  // namespace mdcuda
