// Tile arithmetic shared by every delta kernel. A feature map is cut into 8x8-pixel tiles, so the
// activity of one tile is one 64-bit mask (bit y*8+x), which a warp builds with two ballots on the
// device. Kernels work on compacted lists of active tiles: a tile whose mask is zero is skipped
// without reading its pixels.
#pragma once

#include "hd.h"

namespace mdcuda {

constexpr int kTile = 8;                    // tile side in pixels
constexpr int kTilePixels = kTile * kTile;  // one bit per pixel of a 64-bit mask

/** Tile grid of one image of an NHWC map. */
struct TileGrid {
  int batch;
  int height;
  int width;
  int tiles_y;
  int tiles_x;
};

MD_HD int CeilDiv(int a, int b) { return (a + b - 1) / b; }

MD_HD TileGrid MakeTileGrid(int batch, int height, int width) {
  return TileGrid{batch, height, width, CeilDiv(height, kTile), CeilDiv(width, kTile)};
}

MD_HD int TileCount(const TileGrid& g) { return g.batch * g.tiles_y * g.tiles_x; }

/** The tile holding pixel (n, y, x), numbered n-major, then row, then column. */
MD_HD int TileOfPixel(const TileGrid& g, int n, int y, int x) { return (n * g.tiles_y + y / kTile) * g.tiles_x + x / kTile; }

/** The bit of pixel (y, x) in its tile's mask. */
MD_HD uint64_t PixelBit(int y, int x) { return uint64_t{1} << ((y % kTile) * kTile + (x % kTile)); }

/** Whether a tile has any active pixel. */
MD_HD bool TileActive(uint64_t mask) { return mask != 0; }

/** Number of active pixels of a tile. */
MD_HD int TilePopulation(uint64_t mask) {
#if defined(__CUDA_ARCH__)
  return __popcll(mask);
#else
  return __builtin_popcountll(mask);
#endif
}

/** Index (0..63) of the lowest set bit of a non-zero tile mask: the next active pixel to visit. */
MD_HD int LowestBit(uint64_t mask) {
#if defined(__CUDA_ARCH__)
  return __ffsll(static_cast<long long>(mask)) - 1;
#else
  return __builtin_ctzll(mask);
#endif
}

/** A tile's pixel rectangle, clipped to the image: rows [y0, y1), columns [x0, x1) of image n. */
struct TileRect {
  int n;
  int y0;
  int y1;
  int x0;
  int x1;
};

MD_HD TileRect RectOfTile(const TileGrid& g, int tile) {
  const int per_image = g.tiles_y * g.tiles_x;
  const int n = tile / per_image;
  const int rest = tile - n * per_image;
  const int ty = rest / g.tiles_x;
  const int tx = rest - ty * g.tiles_x;
  const int y0 = ty * kTile;
  const int x0 = tx * kTile;
  return TileRect{n, y0, y0 + kTile < g.height ? y0 + kTile : g.height, x0, x0 + kTile < g.width ? x0 + kTile : g.width};
}

/** Pixel index (n, y, x flattened) of bit `bit` of tile rectangle `r` (bits count from the tile's origin). */
MD_HD int64_t PixelOfBit(const TileGrid& g, const TileRect& r, int bit) {
  return (static_cast<int64_t>(r.n) * g.height + r.y0 + bit / kTile) * g.width + r.x0 + bit % kTile;
}

/** The 64-bit activity mask of a tile, from one mask byte per pixel (pixels outside the image stay 0). */
MD_HD uint64_t TileMaskFromPixels(const TileGrid& g, const uint8_t* pixel_mask, int tile) {
  const TileRect r = RectOfTile(g, tile);
  uint64_t mask = 0;
  for (int y = r.y0; y < r.y1; y++) {
    for (int x = r.x0; x < r.x1; x++) {
      if (pixel_mask[(static_cast<int64_t>(r.n) * g.height + y) * g.width + x] != 0) mask |= PixelBit(y, x);
    }
  }
  return mask;
}

/**
 * Output rows a window op (kernel k, stride s, dilation d, leading pad p) computes from input row
 * `iy`: every o with o*s - p + t*d = iy for some tap t in [0, k). Returned as the closed range
 * [lo, hi] of outputs whose window spans iy (some of them may miss it between dilated taps; the
 * per-element code checks the exact tap), clipped to [0, out_size). Empty when lo > hi.
 */
struct Span {
  int lo;
  int hi;
};

MD_HD Span OutputSpanOfInput(int iy, int k, int s, int d, int p, int out_size) {
  // o*s >= iy + p - (k-1)*d  and  o*s <= iy + p
  const int first = iy + p - (k - 1) * d;
  int lo = first <= 0 ? 0 : CeilDiv(first, s);
  const int last = iy + p;
  int hi = last < 0 ? -1 : last / s;
  if (hi > out_size - 1) hi = out_size - 1;
  if (lo < 0) lo = 0;
  return Span{lo, hi};
}

/**
 * The output tiles an input tile can reach through a window op: the rectangle of output tiles
 * covering the output spans of the tile's first and last rows and columns. A kernel marks these as
 * candidates; the per-pixel code then activates exactly the outputs with a tap on an active input.
 */
struct TileSpan {
  int ty0;
  int ty1;  // inclusive
  int tx0;
  int tx1;  // inclusive
};

MD_HD TileSpan OutputTilesOfInputRect(const TileRect& r, int kh, int kw, int sh, int sw, int dh, int dw, int pad_top, int pad_left,
                                      int out_h, int out_w) {
  const Span top = OutputSpanOfInput(r.y0, kh, sh, dh, pad_top, out_h);
  const Span bottom = OutputSpanOfInput(r.y1 - 1, kh, sh, dh, pad_top, out_h);
  const Span left = OutputSpanOfInput(r.x0, kw, sw, dw, pad_left, out_w);
  const Span right = OutputSpanOfInput(r.x1 - 1, kw, sw, dw, pad_left, out_w);
  const int ylo = top.lo;
  const int yhi = bottom.hi;
  const int xlo = left.lo;
  const int xhi = right.hi;
  if (ylo > yhi || xlo > xhi) return TileSpan{0, -1, 0, -1};
  return TileSpan{ylo / kTile, yhi / kTile, xlo / kTile, xhi / kTile};
}

/**
 * Input coordinate read by output `o` through tap `t`: o*s - p + t*d (may be outside the image,
 * which reads padding: zero for convolutions).
 */
MD_HD int InputOfTap(int o, int t, int s, int d, int p) { return o * s - p + t * d; }

}  // namespace mdcuda
