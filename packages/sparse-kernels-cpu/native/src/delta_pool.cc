// Pooling on deltas: average pooling is linear (each output sums its window's active deltas over
// the window's divisor); max pooling recomputes the touched windows from the accumulated input.
#include <algorithm>
#include <cfloat>
#include <cstring>
#include <vector>

#include "checked_math.h"
#include "delta_ops.h"
#include "delta_truncate.h"
#include "thread_pool.h"

namespace md {
namespace {

// Windows o along one axis containing input i: [ceil((i + pad - k + 1) / s), floor((i + pad) / s)]
// cut to [0, out); empty when first > last.
inline void WindowsContaining(int64_t i, int64_t pad, int64_t k, int64_t s, int64_t out, int64_t& first, int64_t& last) {
  const int64_t lo = i + pad - k + 1;
  first = lo <= 0 ? 0 : (lo + s - 1) / s;
  last = std::min(out - 1, (i + pad) / s);
}

// Marks every output window containing an active input (input order, like the reference).
void MarkWindows(const DeltaPoolGeom& g, const DeltaView& x, DeltaView& out) {
  // No output pixel (a zero width under a tall output): nothing to mark, however many rows.
  if (out.pixels == 0) return;
  const int64_t plane = g.in_h * g.in_w;
  for (int64_t i = 0; i < x.count; ++i) {
    const int64_t p = x.active[i];
    const auto [n, iy, ix] = SplitPixel(p, plane, g.in_w);
    int64_t y0, y1, x0, x1;
    WindowsContaining(iy, g.pt, g.kh, g.sh, g.out_h, y0, y1);
    WindowsContaining(ix, g.pl, g.kw, g.sw, g.out_w, x0, x1);
    for (int64_t oy = y0; oy <= y1; ++oy) {
      for (int64_t ox = x0; ox <= x1; ++ox) MarkActive(out, (n * g.out_h + oy) * g.out_w + ox);
    }
  }
}

// The dense kernel's divisor rule (ONNX/PyTorch): with countIncludePad, positions inside the padded
// input count, not ceil-mode overhang beyond the end padding; otherwise only positions in the input.
inline double InverseDivisor(const DeltaPoolGeom& g, int64_t oy, int64_t ox) {
  const int64_t ys = oy * g.sh - g.pt;
  const int64_t xs = ox * g.sw - g.pl;
  int64_t count;
  if (g.count_include_pad) {
    count = std::max<int64_t>(0, std::min(ys + g.kh, g.in_h + g.pb) - ys) * std::max<int64_t>(0, std::min(xs + g.kw, g.in_w + g.pr) - xs);
  } else {
    count = std::max<int64_t>(0, std::min(ys + g.kh, g.in_h) - std::max<int64_t>(ys, 0)) *
            std::max<int64_t>(0, std::min(xs + g.kw, g.in_w) - std::max<int64_t>(xs, 0));
  }
  return count > 0 ? 1.0 / static_cast<double>(count) : 0.0;
}

// Pooling windows are not bounded by any array (there are no weights): kh * kw * C saturates.
int64_t AvgPoolDelta(const DeltaPoolGeom& g, const DeltaView& x, DeltaView& out) {
  ClearDelta(out);
  MarkWindows(g, x, out);
  const int64_t c = x.c;
  const int64_t out_plane = g.out_h * g.out_w;
  parallel_for(0, out.count, GrainFor(SaturatingMul(SaturatingMul(g.kh, g.kw), c)), [&](int64_t b, int64_t e) {
    std::vector<double> acc(static_cast<size_t>(c));
    for (int64_t i = b; i < e; ++i) {
      const int64_t q = out.active[i];
      const auto [n, oy, ox] = SplitPixel(q, out_plane, g.out_w);
      const double inv = InverseDivisor(g, oy, ox);
      std::fill(acc.begin(), acc.end(), 0.0);
      const int64_t ys = oy * g.sh - g.pt, xs = ox * g.sw - g.pl;
      for (int64_t iy = std::max<int64_t>(ys, 0); iy < std::min(ys + g.kh, g.in_h); ++iy) {
        for (int64_t ix = std::max<int64_t>(xs, 0); ix < std::min(xs + g.kw, g.in_w); ++ix) {
          const int64_t p = (n * g.in_h + iy) * g.in_w + ix;
          if (!x.mask[p]) continue;
          const float* xv = x.values + p * c;
          for (int64_t ch = 0; ch < c; ++ch) acc[ch] += static_cast<double>(xv[ch]) * inv;
        }
      }
      float* o = out.values + q * c;
      for (int64_t ch = 0; ch < c; ++ch) o[ch] = static_cast<float>(acc[ch]);
    }
  });
  return out.count;
}

int64_t MaxPoolDelta(const DeltaPoolGeom& g, const DeltaView& x, float* accumulated, float* emitted, double threshold, DeltaView& out) {
  ClearDelta(out);
  const int64_t c = x.c;
  parallel_for(0, x.count, GrainFor(c), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const int64_t base = static_cast<int64_t>(x.active[i]) * c;
      for (int64_t ch = 0; ch < c; ++ch) accumulated[base + ch] += x.values[base + ch];
    }
  });
  MarkWindows(g, x, out);
  // Recompute only after every delta is in, so a window touched by several pixels sees them all;
  // padding and ceil-mode overhang never win.
  const int64_t out_plane = g.out_h * g.out_w;
  std::vector<uint8_t> keep(static_cast<size_t>(out.count));
  parallel_for(0, out.count, GrainFor(SaturatingMul(SaturatingMul(g.kh, g.kw), c)), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const int64_t q = out.active[i];
      const auto [n, oy, ox] = SplitPixel(q, out_plane, g.out_w);
      float* o = out.values + q * c;
      std::fill(o, o + c, -FLT_MAX);
      const int64_t ys = oy * g.sh - g.pt, xs = ox * g.sw - g.pl;
      for (int64_t iy = std::max<int64_t>(ys, 0); iy < std::min(ys + g.kh, g.in_h); ++iy) {
        for (int64_t ix = std::max<int64_t>(xs, 0); ix < std::min(xs + g.kw, g.in_w); ++ix) {
          const float* a = accumulated + ((n * g.in_h + iy) * g.in_w + ix) * c;
          for (int64_t ch = 0; ch < c; ++ch) o[ch] = a[ch] > o[ch] ? a[ch] : o[ch];
        }
      }
      keep[i] = TruncatePixel(o, emitted + q * c, c, threshold);
    }
  });
  CompactKept(out, keep);
  return out.count;
}

}  // namespace

int64_t RunDeltaAvgPool(DeltaPoolArgs& a) { return AvgPoolDelta(a.g, a.x, a.out); }

int64_t RunDeltaMaxPool(DeltaPoolArgs& a) { return MaxPoolDelta(a.g, a.x, a.accumulated.data, a.emitted.data, a.threshold, a.out); }

}  // namespace md
