// The region a block-mode `tiles` step updates, as few disjoint rectangles: the rule of core's
// tileRects (packages/core/src/program/tile-rects.ts), ported exactly so that the native program
// updates the very pixels the host executable does.
#pragma once

#include <cstdint>
#include <vector>

namespace md {

// Output rows [y0, y1) and columns [x0, x1).
struct TileRect {
  int64_t y0 = 0, y1 = 0, x0 = 0, x1 = 0;
};

// A block's span on a map: [from, to).
struct TileSpan {
  int64_t from = 0, to = 0;
};

// The union over executed blocks (blocks[r * cols + c] != 0) of rows[r] x cols[c]. Rows are cut
// into bands within which the same block rows apply (spans of neighbouring blocks may overlap by a
// row); each band's executed column spans are merged into runs, and touching bands with the same
// runs are merged again. `blocks` holds rows.size() * cols.size() values (the caller checks).
// `rects` is cleared and filled; every pixel of the region is in exactly one rectangle.
void TileRects(const std::vector<TileSpan>& rows, const std::vector<TileSpan>& cols, const float* blocks, std::vector<TileRect>& rects);

}  // namespace md
