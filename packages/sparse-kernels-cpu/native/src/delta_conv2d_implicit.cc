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

#include "delta_conv2d.h"
#include "dense_packed_gemm.h"
#include "thread_pool.h"

namespace md {
namespace {

// Input columns between two runs' windows above which they get separate slabs: copying a gap
// costs kh*Cin floats per column, a slab of its own a few hundred nanoseconds.
constexpr int64_t kMaxSlabGap = 16;

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
      if (ix >= 0 && ix < g.in_w && x.mask[p_row + ix]) std::memcpy(dst, x.values + (p_row + ix) * g.cin, sizeof(float) * g.cin);
      else std::memset(dst, 0, sizeof(float) * g.cin);
    }
  }
}

}  // namespace

void OutputDrivenImplicit(const ConvGeom& g, const PackedConv& pk, const DeltaView& x, DeltaView& out) {
  if (g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.pt == 0 && g.pl == 0 && g.groups == 1 && x.count == x.pixels && out.pixels == x.pixels) {
    // A pointwise conv with every pixel active: the delta as it lies is the GEMM's input.
    parallel_for(0, x.pixels, 192, [&](int64_t r0, int64_t r1) {
      PackedGemm(x.values + r0 * g.cin, g.cin, pk.window_gemm[0], r1 - r0, out.values + r0 * g.cout, g.cout);
    });
    return;
  }
  const int64_t taps = g.kh * g.kw;
  parallel_for(0, g.batch * g.out_h, 1, [&](int64_t r0, int64_t r1) {
    std::vector<Run> runs;
    std::vector<float> slab;
    std::vector<int64_t> tap_off(static_cast<size_t>(taps));
    std::vector<const float*> a_rows;
    std::vector<float*> c_rows;
    for (int64_t r = r0; r < r1; ++r) {
      RowRuns(g, out, r, runs);
      const int64_t n = r / g.out_h;
      const int64_t oy = r - n * g.out_h;
      for (size_t first = 0; first < runs.size();) {
        // A segment: runs whose windows lie close together share one slab; a wide gap (the two
        // side strips of a moved viewport) starts another, so the gap is never copied.
        size_t last = first;
        while (last + 1 < runs.size() && (runs[last + 1].x0 - runs[last].x1) * g.sw <= kMaxSlabGap) ++last;
        const int64_t c0 = runs[first].x0 * g.sw;  // padded columns [c0, c0 + cols) read by the segment
        const int64_t cols = (runs[last].x1 - 1) * g.sw + (g.kw - 1) * g.dw + 1 - c0;
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
          for (size_t k = first; k <= last; ++k) {
            for (int64_t ox = runs[k].x0; ox < runs[k].x1; ++ox) {
              a_rows.push_back(slab.data() + (ox * g.sw - c0) * g.cin + gr * g.cin_pg);
              c_rows.push_back(out.values + (r * g.out_w + ox) * g.cout + gr * g.cout_pg);
            }
          }
          PackedGemmRows(a_rows.data(), tap_off.data(), taps, g.cin_pg, pk.window_gemm[gr], static_cast<int64_t>(a_rows.size()), c_rows.data());
        }
        first = last + 1;
      }
    }
  });
}

}  // namespace md
