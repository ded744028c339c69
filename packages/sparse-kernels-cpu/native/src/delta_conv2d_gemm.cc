// The two GEMM paths of the delta convolution (see delta_conv2d.h) and the choice between them.
#include <algorithm>
#include <cstring>
#include <vector>

#include "delta_conv2d.h"
#include "dense_packed_gemm.h"
#include "dense_sgemm.h"
#include "thread_pool.h"

namespace md {
namespace {

struct Scratch {
  std::vector<int64_t> row_offset;  // per input pixel: its row in Y (float offset), -1 when none
  std::vector<float> d, y;
  std::vector<int32_t> rows;
};
// One per libuv worker thread: two sessions may run kernels at the same time.
thread_local Scratch scratch;

}  // namespace

// Chooses between the input- and output-driven paths by estimated time, in nanoseconds of one
// thread's CPU time:
// - input-driven, per active input: 0.041 ns per multiply-accumulate of its GEMM row, and for
//   summing Y into the outputs 43 ns per tap plus 0.91 ns per (tap, output channel);
// - output-driven, per reached output: 0.027 ns per multiply-accumulate (the dense kernel's rate)
//   and 1.45 ns per float of its slab (kh rows of Cin values).
// Fitted by least squares on 135 points: 3x3 64->64, 64->32, 64->4, 32->12, 3->64, 5x5 64->64
// and 1x1 68->64, 128->64 at 288x384, and 1x1 256->256 at 49x49; blobs of 16 pixels, scattered
// pixels and thin random lines (the edges a small misalignment leaves); 1% to 90% of inputs
// active; 1 thread, CPU time, median of 3. Over all points the choice costs 1% more than always
// taking the faster path (7% with the constants fitted earlier for the im2col/OpenBLAS paths,
// which sent 1x1 and Cout=4 layers with most pixels active to the input-driven path at 1.5-2x
// its cost); the worst single choices are 1x1 layers with 1% of inputs active (under 2 ms).
// Blobs and high activity favour the output-driven path (a dense GEMM over reached outputs, which
// is also the dense fallback); scattered pixels and thin lines under 3x3 or 5x5 kernels, whose
// windows reach several times as many outputs as there are inputs, the input-driven one.
bool PreferInputDriven(const ConvGeom& g, int64_t n_in, int64_t n_out) {
  const double taps = static_cast<double>(g.kh * g.kw);
  const double macs_per_pixel = taps * static_cast<double>(g.cin_pg * g.cout);
  const double in_cost = static_cast<double>(n_in) * (macs_per_pixel * 0.041 + taps * (43.0 + static_cast<double>(g.cout) * 0.91));
  const double out_cost = static_cast<double>(n_out) * (macs_per_pixel * 0.027 + static_cast<double>(g.kh * g.cin) * 1.45);
  return in_cost < out_cost;
}

void InputDriven(const ConvGeom& g, const PackedConv& pk, const DeltaView& x, DeltaView& out, const ConvOptions& options) {
  Scratch& s = scratch;
  const int64_t plane = g.in_h * g.in_w;
  if (static_cast<int64_t>(s.row_offset.size()) < x.pixels) s.row_offset.resize(x.pixels, -1);
  const int64_t nclass = g.sh * g.sw;
  // Bucket the active inputs by class (stable), skipping classes without taps.
  std::vector<int64_t> class_count(nclass + 1, 0);
  s.rows.resize(x.count);
  auto class_of = [&](int64_t p) {
    const int64_t rest = p % plane;
    const int64_t iy = rest / g.in_w;
    const int64_t ix = rest - iy * g.in_w;
    return ((iy + g.pt) % g.sh) * g.sw + (ix + g.pl) % g.sw;
  };
  for (int64_t i = 0; i < x.count; ++i) class_count[class_of(x.active[i]) + 1]++;
  std::vector<int64_t> class_start(nclass + 1, 0), y_base(nclass + 1, 0);
  for (int64_t k = 0; k < nclass; ++k) {
    class_start[k + 1] = class_start[k] + class_count[k + 1];
    y_base[k + 1] = y_base[k] + class_count[k + 1] * pk.classes[k].taps * g.cout;
  }
  {
    std::vector<int64_t> fill(class_start.begin(), class_start.end() - 1);
    for (int64_t i = 0; i < x.count; ++i) {
      const int32_t p = x.active[i];
      const int64_t k = class_of(p);
      const int64_t r = fill[k]++;
      s.rows[r] = p;
      s.row_offset[p] = pk.classes[k].taps == 0 ? -1 : y_base[k] + (r - class_start[k]) * pk.classes[k].taps * g.cout;
    }
  }
  const int64_t m_total = x.count;
  s.d.resize(m_total * g.cin);
  s.y.resize(std::max<int64_t>(1, y_base[nclass]));
  float* D = s.d.data();
  float* Y = s.y.data();
  parallel_for(0, m_total, GrainFor(g.cin), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) std::memcpy(D + r * g.cin, x.values + static_cast<int64_t>(s.rows[r]) * g.cin, sizeof(float) * g.cin);
  });
  // Row blocks of D multiplied in parallel, each by a single-threaded GEMM: the class's weights as
  // packed once (pk.class_gemm), or under MD_CONV_GEMM=blas packed again by every Sgemm.
  const bool packed = UsePackedGemm(options) && !pk.class_gemm.empty();
  for (int64_t k = 0; k < nclass; ++k) {
    const int64_t m = class_count[k + 1];
    const int64_t nt = pk.classes[k].taps;
    if (m == 0 || nt == 0) continue;
    const int64_t block = 64;
    parallel_for(0, (m + block - 1) / block, 1, [&](int64_t b, int64_t e) {
      for (int64_t blk = b; blk < e; ++blk) {
        const int64_t r0 = blk * block;
        const int64_t rows = std::min(block, m - r0);
        for (int64_t gr = 0; gr < g.groups; ++gr) {
          const float* a = D + (class_start[k] + r0) * g.cin + gr * g.cin_pg;
          float* y = Y + y_base[k] + r0 * nt * g.cout + gr * nt * g.cout_pg;
          if (packed) {
            PackedGemm(a, g.cin, pk.class_gemm[k * g.groups + gr], rows, y, nt * g.cout);
          } else {
            Sgemm(false, false, rows, nt * g.cout_pg, g.cin_pg, a, g.cin,
                  pk.data.data() + pk.classes[k].offset + gr * g.cin_pg * nt * g.cout_pg, nt * g.cout_pg, y, nt * g.cout);
          }
        }
      }
    });
  }
  // Each active output sums the contributions of the active inputs its window reads.
  const int64_t out_plane = g.out_h * g.out_w;
  const int64_t* row_offset = s.row_offset.data();
  parallel_for(0, out.count, GrainFor(g.kh * g.kw * g.cout / 2), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const int64_t q = out.active[i];
      const auto [n, oy, ox] = SplitPixel(q, out_plane, g.out_w);
      float* o = out.values + q * g.cout;
      std::memset(o, 0, sizeof(float) * g.cout);
      for (int64_t ky = 0; ky < g.kh; ++ky) {
        const int64_t iy = oy * g.sh - g.pt + ky * g.dh;
        if (iy < 0 || iy >= g.in_h) continue;
        for (int64_t kx = 0; kx < g.kw; ++kx) {
          const int64_t ix = ox * g.sw - g.pl + kx * g.dw;
          if (ix < 0 || ix >= g.in_w) continue;
          const int64_t off = row_offset[(n * g.in_h + iy) * g.in_w + ix];
          if (off < 0) continue;
          const int64_t t = ky * g.kw + kx;
          const int64_t nt = pk.classes[pk.tap_class[t]].taps;
          const int64_t slot = pk.tap_slot[t];
          for (int64_t gr = 0; gr < g.groups; ++gr) {
            const float* src = Y + off + gr * nt * g.cout_pg + slot * g.cout_pg;
            float* dst = o + gr * g.cout_pg;
            for (int64_t j = 0; j < g.cout_pg; ++j) dst[j] += src[j];
          }
        }
      }
    }
  });
  for (int64_t i = 0; i < x.count; ++i) s.row_offset[x.active[i]] = -1;
}

// Output-driven without packed weights (see delta_conv2d_implicit.cc for the one with them):
// im2col of the reached outputs' windows (inactive inputs read as 0), in row blocks spread over
// the pool: each block is gathered, multiplied by a single-threaded Sgemm with the HWIO weights
// as they are, and copied to its output pixels while it is still in cache.
void OutputDriven(const ConvGeom& g, const float* w, const DeltaView& x, DeltaView& out) {
  if (g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.pt == 0 && g.pl == 0 && g.groups == 1 && x.count == x.pixels &&
      out.pixels == x.pixels) {
    // A pointwise conv with every pixel active is one GEMM on the delta as it lies (no im2col);
    // every output pixel is listed already, in any order. The weights are packed once and row
    // blocks of the product spread over the pool.
    const PackedB packed = PackOpB(w, g.cout, false, g.cin, g.cout);
    const int64_t rows = std::max<int64_t>(16, (x.pixels + 4 * num_threads() - 1) / (4 * num_threads()));
    parallel_for(0, (x.pixels + rows - 1) / rows, 1, [&](int64_t b0, int64_t b1) {
      for (int64_t b = b0; b < b1; ++b) {
        const int64_t r0 = b * rows, count = std::min(rows, x.pixels - r0);
        PackedGemm(x.values + r0 * g.cin, g.cin, packed, count, out.values + r0 * g.cout, g.cout);
      }
    });
    return;
  }
  const int64_t taps = g.kh * g.kw;
  const int64_t k_dim = taps * g.cin_pg;
  // About 128 KiB of im2col rows per block: they stay in L2 between gather and multiply.
  const int64_t block = std::max<int64_t>(16, std::min<int64_t>(512, (int64_t{1} << 15) / std::max<int64_t>(1, k_dim)));
  const int64_t out_plane = g.out_h * g.out_w;
  parallel_for(0, (out.count + block - 1) / block, 1, [&](int64_t bb, int64_t be) {
    std::vector<float> a(static_cast<size_t>(block * k_dim));
    std::vector<float> c(static_cast<size_t>(block * g.cout));
    for (int64_t blk = bb; blk < be; ++blk) {
      const int64_t b0 = blk * block;
      const int64_t rows = std::min(block, out.count - b0);
      for (int64_t gr = 0; gr < g.groups; ++gr) {
        for (int64_t r = 0; r < rows; ++r) {
          const int64_t q = out.active[b0 + r];
          const auto [n, oy, ox] = SplitPixel(q, out_plane, g.out_w);
          float* arow = a.data() + r * k_dim;
          for (int64_t ky = 0; ky < g.kh; ++ky) {
            const int64_t iy = oy * g.sh - g.pt + ky * g.dh;
            for (int64_t kx = 0; kx < g.kw; ++kx) {
              const int64_t ix = ox * g.sw - g.pl + kx * g.dw;
              float* dst = arow + (ky * g.kw + kx) * g.cin_pg;
              int64_t p = -1;
              if (iy >= 0 && iy < g.in_h && ix >= 0 && ix < g.in_w) p = (n * g.in_h + iy) * g.in_w + ix;
              if (p >= 0 && x.mask[p])
                std::memcpy(dst, x.values + p * g.cin + gr * g.cin_pg, sizeof(float) * g.cin_pg);
              else
                std::memset(dst, 0, sizeof(float) * g.cin_pg);
            }
          }
        }
        Sgemm(false, false, rows, g.cout_pg, k_dim, a.data(), k_dim, w + gr * g.cout_pg, g.cout, c.data() + gr * g.cout_pg, g.cout);
      }
      for (int64_t r = 0; r < rows; ++r) {
        std::memcpy(out.values + static_cast<int64_t>(out.active[b0 + r]) * g.cout, c.data() + r * g.cout, sizeof(float) * g.cout);
      }
    }
  });
}

}  // namespace md
