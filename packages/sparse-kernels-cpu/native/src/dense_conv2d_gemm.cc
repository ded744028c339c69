// Convolution as GEMM: out[pixels, Cout] = im2col(x)[pixels, kh*kw*Cin/g] x W[kh*kw*Cin/g, Cout]
// per group. The weight layout [kh, kw, Cin/g, Cout] already is that row-major K x Cout matrix,
// and a group's columns are a sub-matrix with leading dimension Cout. Each parallel chunk builds
// the im2col rows of one block of output pixels in a buffer that stays in cache, multiplies it
// with a single-threaded GEMM (the packed kernel, weights packed once per weight tensor; or, under
// MD_CONV_GEMM=blas, Sgemm, which packs them on every call), then applies the activation while the
// block is hot.
#include <algorithm>
#include <cstring>
#include <vector>

#include "dense_conv2d.h"
#include "dense_packed_gemm.h"
#include "dense_sgemm.h"
#include "thread_pool.h"

namespace md {
namespace {

// im2col rows [r0, r0 + rows) of group `grp`: for output pixel r, K = kh*kw*cin_g values ordered
// (ky, kx, ci), zero where the tap falls in the padding.
void Im2Col(const ConvGeometry& g, const float* x, int64_t grp, int64_t r0, int64_t rows, float* col) {
  const int64_t cin_g = g.cin_per_group();
  const int64_t k = g.kh * g.kw * cin_g;
  const int64_t plane = g.out_h * g.out_w;
  for (int64_t i = 0; i < rows; ++i) {
    const int64_t r = r0 + i;
    const int64_t n = r / plane;
    const int64_t rem = r - n * plane;
    const int64_t oy = rem / g.out_w;
    const int64_t ox = rem - oy * g.out_w;
    float* dst = col + i * k;
    const int64_t iy0 = oy * g.sh - g.pad_top;
    const int64_t ix0 = ox * g.sw - g.pad_left;
    for (int64_t ky = 0; ky < g.kh; ++ky) {
      const int64_t iy = iy0 + ky * g.dh;
      if (iy < 0 || iy >= g.in_h) {
        std::memset(dst, 0, sizeof(float) * g.kw * cin_g);
        dst += g.kw * cin_g;
        continue;
      }
      const float* xrow = x + ((n * g.in_h + iy) * g.in_w) * g.in_c + grp * cin_g;
      for (int64_t kx = 0; kx < g.kw; ++kx, dst += cin_g) {
        const int64_t ix = ix0 + kx * g.dw;
        const bool inside = ix >= 0 && ix < g.in_w;
        if (cin_g < 16) {
          // A few channels (an RGB stem): a plain loop beats a memcpy call per tap.
          const float* src = xrow + ix * g.in_c;
          for (int64_t ci = 0; ci < cin_g; ++ci) dst[ci] = inside ? src[ci] : 0.f;
        } else if (inside) {
          std::memcpy(dst, xrow + ix * g.in_c, sizeof(float) * cin_g);
        } else {
          std::memset(dst, 0, sizeof(float) * cin_g);
        }
      }
    }
  }
}

// Rows per block: as many as fit the im2col budget (options.block_floats, about 256 KiB by
// default, so a block and the packed weights share L2), but at least two blocks per thread when
// the output allows, and a block count that is a multiple of the thread count so no thread is
// left with one extra block at the end.
int64_t BlockRows(int64_t m, int64_t k, int64_t block_floats) {
  constexpr int64_t kMinRows = 16;
  const int64_t threads = num_threads();
  const int64_t cap = std::max<int64_t>(kMinRows, block_floats / std::max<int64_t>(k, 1));
  int64_t blocks = std::max<int64_t>((m + cap - 1) / cap, std::min<int64_t>(threads * 2, (m + kMinRows - 1) / kMinRows));
  blocks = (blocks + threads - 1) / threads * threads;
  return std::max<int64_t>(1, (m + blocks - 1) / blocks);
}

void AddBias(float* __restrict out, const float* __restrict bias, int64_t rows, int64_t channels) {
  for (int64_t r = 0; r < rows; ++r) {
    float* __restrict row = out + r * channels;
    for (int64_t c = 0; c < channels; ++c) row[c] += bias[c];
  }
}

}  // namespace

PackedConvWeights PackConvWeights(const ConvGeometry& g, const float* w, const float* bias) {
  PackedConvWeights p;
  p.k = g.kh * g.kw * g.cin_per_group();
  p.cout_g = g.cout_per_group();
  p.groups = g.groups;
  p.has_bias = bias != nullptr;
  // A group's weights are the columns [grp * cout_g, (grp + 1) * cout_g) of the K x Cout matrix.
  for (int64_t grp = 0; grp < g.groups; ++grp) {
    p.per_group.push_back(PackB(w + grp * p.cout_g, g.out_c, p.k, p.cout_g, bias ? bias + grp * p.cout_g : nullptr));
  }
  return p;
}

namespace {

// Output coordinates [lo, hi) along one axis whose every tap falls inside the input.
void InteriorRange(int64_t out, int64_t in, int64_t k, int64_t s, int64_t d, int64_t pad, int64_t* lo, int64_t* hi) {
  *lo = std::min(out, (pad + s - 1) / s);
  const int64_t last = in - 1 + pad - (k - 1) * d;  // o * s <= last
  *hi = last < 0 ? *lo : std::max(*lo, std::min(out, last / s + 1));
}

// Implicit GEMM: output pixels whose taps are all inside the input read their rows straight from
// x (one slice of Cin/g values per tap, PackedGemmTaps), so the im2col copy, which costs as much
// as the multiply when Cout is small, disappears for all but the border pixels, which still go
// through a one-row im2col. One output row is the unit of work.
void Conv2DImplicit(const ConvGeometry& g, const float* x, const PackedConvWeights& weights, float* out, const Activation& act) {
  const int64_t cin_g = g.cin_per_group();
  const int64_t cout_g = g.cout_per_group();
  const int64_t k = g.kh * g.kw * cin_g;
  const int64_t taps = g.kh * g.kw;
  std::vector<int64_t> tap_off(static_cast<size_t>(taps));
  for (int64_t ky = 0; ky < g.kh; ++ky) {
    for (int64_t kx = 0; kx < g.kw; ++kx) tap_off[ky * g.kw + kx] = (ky * g.dh * g.in_w + kx * g.dw) * g.in_c;
  }
  int64_t oy_lo, oy_hi, ox_lo, ox_hi;
  InteriorRange(g.out_h, g.in_h, g.kh, g.sh, g.dh, g.pad_top, &oy_lo, &oy_hi);
  InteriorRange(g.out_w, g.in_w, g.kw, g.sw, g.dw, g.pad_left, &ox_lo, &ox_hi);
  parallel_for(0, g.batch * g.out_h, 1, [&](int64_t r0, int64_t r1) {
    std::vector<float> col;
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t n = r / g.out_h;
      const int64_t oy = r - n * g.out_h;
      float* orow = out + r * g.out_w * g.out_c;
      auto im2col_segment = [&](int64_t ox0, int64_t ox1) {
        if (ox1 <= ox0) return;
        col.resize(static_cast<size_t>(g.out_w * k));
        for (int64_t grp = 0; grp < g.groups; ++grp) {
          Im2Col(g, x, grp, r * g.out_w + ox0, ox1 - ox0, col.data());
          PackedGemm(col.data(), k, weights.per_group[grp], ox1 - ox0, orow + ox0 * g.out_c + grp * cout_g, g.out_c);
        }
      };
      if (oy < oy_lo || oy >= oy_hi || ox_hi <= ox_lo) {
        im2col_segment(0, g.out_w);
      } else {
        im2col_segment(0, ox_lo);
        const float* base = x + ((n * g.in_h + oy * g.sh - g.pad_top) * g.in_w + ox_lo * g.sw - g.pad_left) * g.in_c;
        for (int64_t grp = 0; grp < g.groups; ++grp) {
          PackedGemmTaps(base + grp * cin_g, g.sw * g.in_c, tap_off.data(), taps, cin_g, weights.per_group[grp], ox_hi - ox_lo,
                         orow + ox_lo * g.out_c + grp * cout_g, g.out_c);
        }
        im2col_segment(ox_hi, g.out_w);
      }
      act.apply(orow, g.out_w, g.out_c);
    }
  });
}

// A 1x1 convolution with few pixels and many output channels (the end of a MobileNet: 17x17 or
// 10x10 maps, hundreds of channels): too few row blocks to keep every thread busy, and each block
// would read all the weights. Threads take column panels instead, so each weight is read once;
// the activation follows once every column of the output is written.
void Conv2DPointwiseByColumns(const ConvGeometry& g, const float* x, const PackedB& b, float* out, const Activation& act) {
  const int64_t m = g.out_pixels();
  const int64_t panels = static_cast<int64_t>(b.panel_offset.size());
  const int64_t parts = std::min<int64_t>(panels, 4 * num_threads());
  parallel_for(0, parts, 1, [&](int64_t q0, int64_t q1) {
    for (int64_t q = q0; q < q1; ++q) {
      PackedGemmPanels(x, g.in_c, b, static_cast<size_t>(panels * q / parts), static_cast<size_t>(panels * (q + 1) / parts), m, out,
                       g.out_c);
    }
  });
  if (!act.none()) {
    parallel_for(0, m, std::max<int64_t>(1, 16384 / g.out_c),
                 [&](int64_t r0, int64_t r1) { act.apply(out + r0 * g.out_c, r1 - r0, g.out_c); });
  }
}

// The implicit path wins on every shape measured (even a 3-channel RGB stem, where im2col's
// copy dominates); MD_CONV_IMPLICIT=0 turns it off (read when the call starts, for tests and
// comparisons).
bool UseImplicit(const ConvGeometry& g, const ConvOptions& options) { return options.implicit && !g.pointwise(); }

}  // namespace

void Conv2DGemm(const ConvGeometry& g, const float* x, const float* w, const float* bias, float* out, const Activation& act,
                const PackedConvWeights* pre_packed, const ConvOptions& options) {
  const int64_t m = g.out_pixels();
  const int64_t cin_g = g.cin_per_group();
  const int64_t cout_g = g.cout_per_group();
  const int64_t k = g.kh * g.kw * cin_g;
  const bool direct = g.pointwise();  // x itself is the im2col matrix (leading dimension in_c)
  const int64_t block = BlockRows(m, k, options.block_floats);
  const int64_t blocks = (m + block - 1) / block;
  const bool packed = UsePackedGemm(options);
  PackedConvWeights local;
  if (packed && !pre_packed) local = PackConvWeights(g, w, bias);
  const PackedConvWeights* weights = pre_packed ? pre_packed : &local;
  if (packed && UseImplicit(g, options)) {
    Conv2DImplicit(g, x, *weights, out, act);
    return;
  }
  if (packed && direct && g.groups == 1 && blocks < 2 * num_threads() && weights->per_group[0].panel_offset.size() > 1) {
    Conv2DPointwiseByColumns(g, x, weights->per_group[0], out, act);
    return;
  }
  parallel_for(0, blocks, 1, [&](int64_t b0, int64_t b1) {
    std::vector<float> col(direct ? 0 : static_cast<size_t>(block * k));
    for (int64_t b = b0; b < b1; ++b) {
      const int64_t r0 = b * block;
      const int64_t rows = std::min(block, m - r0);
      float* c = out + r0 * g.out_c;
      for (int64_t grp = 0; grp < g.groups; ++grp) {
        const float* a = direct ? x + r0 * g.in_c + grp * cin_g : col.data();
        const int64_t lda = direct ? g.in_c : k;
        if (!direct) Im2Col(g, x, grp, r0, rows, col.data());
        if (packed) {
          PackedGemm(a, lda, weights->per_group[grp], rows, c + grp * cout_g, g.out_c);
        } else {
          Sgemm(false, false, rows, cout_g, k, a, lda, w + grp * cout_g, g.out_c, c + grp * cout_g, g.out_c);
        }
      }
      if (bias && !packed) AddBias(c, bias, rows, g.out_c);
      act.apply(c, rows, g.out_c);
    }
  });
}

}  // namespace md
