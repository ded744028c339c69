// The output-driven delta convolution on the packed AVX2 GEMM, without im2col.
//
// The im2col path (delta_conv2d_gemm.cc) copies every reached output's whole window, taps x Cin
// floats per output, before its GEMM: nine copies of each input value for a 3x3 kernel, which is
// what kept the delta convolution at 1.3x dense time with every pixel active. Here each output
// row with reached outputs gets a slab per cluster of nearby runs of them: the kh input rows
// their windows read, across the columns the runs span, with inactive inputs (whose values are
// stale) and the padding written as zeros. The cluster's reached outputs are then one implicit
// GEMM (PackedGemmRows: one Cin slice per tap, each output's row of A a pointer into the slab)
// written straight into the output's values. Each input value is copied kh times instead of
// kh*kw, the slab stays in cache between copy and multiply, and the GEMM is the dense
// convolution's own kernel.
#include <algorithm>
#include <cstring>
#include <vector>

#include "checked_math.h"
#include "delta_conv2d.h"
#include "dense_packed_gemm.h"
#include "thread_pool.h"

namespace md {
namespace {

// Input columns between two runs' windows above which they get separate slabs: copying a gap
// costs kh*Cin floats per column, a slab of its own a few hundred nanoseconds.
constexpr int64_t kMaxSlabGap = 16;

// Floats one slab may hold (32 MiB): whole output rows of ordinary layers fit (3 rows of 3842
// columns of 512 channels is 5.9M floats); a large stride splits a row into several slabs, and a
// dilation so large that one window alone exceeds it takes the im2col path (ImplicitSlabFits).
constexpr int64_t kMaxSlabFloats = int64_t{1} << 23;

struct Run {
  int64_t x0, x1;  // output columns [x0, x1)
};

// Runs of reached outputs in output row `r` (batch * out_h rows), from the output mask.
void RowRuns(const ConvGeom& g, const DeltaView& out, int64_t r, std::vector<Run>& runs) {
  runs.clear();
  const uint8_t* m = out.mask + r * g.out_w;
  for (int64_t x = 0; x < g.out_w;) {
    if (!m[x]) {
      ++x;
      continue;
    }
    const int64_t x0 = x;
    while (x < g.out_w && m[x]) ++x;
    runs.push_back({x0, x});
  }
}

// Writes the slab of output row (n, oy): kh rows of `cols` padded columns starting at padded
// column c0 (padded column = input column + pad_left), Cin floats each, active inputs copied and
// everything else zero.
void FillSlab(const ConvGeom& g, const DeltaView& x, int64_t n, int64_t oy, int64_t c0, int64_t cols, float* slab) {
  for (int64_t ky = 0; ky < g.kh; ++ky) {
    float* row = slab + ky * cols * g.cin;
    const int64_t iy = oy * g.sh - g.pt + ky * g.dh;
    if (iy < 0 || iy >= g.in_h) {
      std::memset(row, 0, sizeof(float) * cols * g.cin);
      continue;
    }
    const int64_t p_row = (n * g.in_h + iy) * g.in_w;
    for (int64_t c = 0; c < cols; ++c) {
      const int64_t ix = c0 + c - g.pl;
      float* dst = row + c * g.cin;
      if (ix >= 0 && ix < g.in_w && x.mask[p_row + ix])
        std::memcpy(dst, x.values + (p_row + ix) * g.cin, sizeof(float) * g.cin);
      else
        std::memset(dst, 0, sizeof(float) * g.cin);
    }
  }
}

}  // namespace

bool ImplicitSlabFits(const ConvGeom& g) {
  const int64_t ext_w = (g.kw - 1) * g.dw + 1;
  return SaturatingMul(SaturatingMul(g.kh, ext_w), g.cin) <= kMaxSlabFloats;
}

void OutputDrivenImplicit(const ConvGeom& g, const PackedConv& pk, const DeltaView& x, DeltaView& out) {
  if (g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.pt == 0 && g.pl == 0 && g.groups == 1 && x.count == x.pixels &&
      out.pixels == x.pixels) {
    // A pointwise conv with every pixel active: the delta as it lies is the GEMM's input.
    parallel_for(0, x.pixels, 192, [&](int64_t r0, int64_t r1) {
      PackedGemm(x.values + r0 * g.cin, g.cin, pk.window_gemm[0], r1 - r0, out.values + r0 * g.cout, g.cout);
    });
    return;
  }
  const int64_t taps = g.kh * g.kw;
  const int64_t ext_w = (g.kw - 1) * g.dw + 1;
  const int64_t max_cols = std::max(ext_w, kMaxSlabFloats / std::max<int64_t>(1, g.kh * g.cin));
  parallel_for(0, g.batch * g.out_h, 1, [&](int64_t r0, int64_t r1) {
    std::vector<Run> runs, segment;
    std::vector<float> slab;
    std::vector<int64_t> tap_off(static_cast<size_t>(taps));
    std::vector<const float*> a_rows;
    std::vector<float*> c_rows;
    for (int64_t r = r0; r < r1; ++r) {
      RowRuns(g, out, r, runs);
      const int64_t n = r / g.out_h;
      const int64_t oy = r - n * g.out_h;
      // Segments: runs whose windows lie close together share one slab; a wide gap (the two side
      // strips of a moved viewport) starts another, so the gap is never copied; and a segment
      // ends where its slab would exceed max_cols columns (a run may continue in the next one).
      size_t k = 0;
      int64_t x0 = runs.empty() ? 0 : runs[0].x0;
      while (k < runs.size()) {
        segment.clear();
        const int64_t seg_x0 = x0;
        const int64_t max_x1 = seg_x0 + (max_cols - ext_w) / g.sw + 1;  // outputs [seg_x0, max_x1) fit
        for (;;) {
          const int64_t x1 = std::min(runs[k].x1, max_x1);
          segment.push_back({x0, x1});
          if (x1 < runs[k].x1) {
            x0 = x1;
            break;
          }
          ++k;
          if (k < runs.size()) x0 = runs[k].x0;
          if (k == runs.size() || (runs[k].x0 - runs[k - 1].x1) * g.sw > kMaxSlabGap || runs[k].x0 >= max_x1) break;
        }
        const int64_t c0 = seg_x0 * g.sw;  // padded columns [c0, c0 + cols) read by the segment
        const int64_t cols = (segment.back().x1 - 1) * g.sw + ext_w - c0;
        slab.resize(static_cast<size_t>(g.kh * cols * g.cin));
        FillSlab(g, x, n, oy, c0, cols, slab.data());
        for (int64_t ky = 0; ky < g.kh; ++ky) {
          for (int64_t kx = 0; kx < g.kw; ++kx) tap_off[ky * g.kw + kx] = (ky * cols + kx * g.dw) * g.cin;
        }
        // Every reached output of the segment in one indirection GEMM per group, so that short
        // runs (thin edges of change) still fill whole register tiles.
        for (int64_t gr = 0; gr < g.groups; ++gr) {
          a_rows.clear();
          c_rows.clear();
          for (const Run& run : segment) {
            for (int64_t ox = run.x0; ox < run.x1; ++ox) {
              a_rows.push_back(slab.data() + (ox * g.sw - c0) * g.cin + gr * g.cin_pg);
              c_rows.push_back(out.values + (r * g.out_w + ox) * g.cout + gr * g.cout_pg);
            }
          }
          PackedGemmRows(a_rows.data(), tap_off.data(), taps, g.cin_pg, pk.window_gemm[gr], static_cast<int64_t>(a_rows.size()),
                         c_rows.data());
        }
      }
    }
  });
}

}  // namespace md
