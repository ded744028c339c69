#include "tile_rects.h"

#include <algorithm>

namespace md {
namespace {

// Overlapping or touching spans merged, in order; empty spans dropped.
void MergeSpans(std::vector<TileSpan>& spans, std::vector<TileSpan>& runs) {
  runs.clear();
  std::stable_sort(spans.begin(), spans.end(), [](const TileSpan& p, const TileSpan& q) { return p.from < q.from; });
  for (const TileSpan& s : spans) {
    if (s.to <= s.from) continue;
    if (!runs.empty() && s.from <= runs.back().to)
      runs.back().to = std::max(runs.back().to, s.to);
    else
      runs.push_back(s);
  }
}

bool SameRuns(const std::vector<TileSpan>& a, const std::vector<TileSpan>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].from != b[i].from || a[i].to != b[i].to) return false;
  }
  return true;
}

}  // namespace

void TileRects(const std::vector<TileSpan>& rows, const std::vector<TileSpan>& cols, const float* blocks, std::vector<TileRect>& rects) {
  rects.clear();
  std::vector<int64_t> cuts;
  cuts.reserve(rows.size() * 2);
  for (const TileSpan& r : rows) {
    cuts.push_back(r.from);
    cuts.push_back(r.to);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  // The band above, still open for extension downwards.
  bool open = false;
  int64_t open_y0 = 0, open_y1 = 0;
  std::vector<TileSpan> open_runs, spans, runs;
  auto flush = [&] {
    if (open) {
      for (const TileSpan& run : open_runs) rects.push_back({open_y0, open_y1, run.from, run.to});
    }
    open = false;
  };
  const size_t ncols = cols.size();
  for (size_t i = 0; i + 1 < cuts.size(); ++i) {
    const int64_t b0 = cuts[i], b1 = cuts[i + 1];
    spans.clear();
    for (size_t r = 0; r < rows.size(); ++r) {
      if (rows[r].from > b0 || rows[r].to < b1) continue;
      for (size_t c = 0; c < ncols; ++c) {
        if (blocks[r * ncols + c] != 0.f) spans.push_back(cols[c]);
      }
    }
    MergeSpans(spans, runs);
    if (open && open_y1 == b0 && SameRuns(open_runs, runs)) {
      open_y1 = b1;
      continue;
    }
    flush();
    if (!runs.empty()) {
      open = true;
      open_y0 = b0;
      open_y1 = b1;
      open_runs = runs;
    }
  }
  flush();
}

}  // namespace md
