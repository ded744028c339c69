// Transposed convolution on NHWC, weight [kh, kw, Cin, Cout/groups], written as a gather over
// output pixels: output (oy, ox) receives input (iy, ix) through tap (ky, kx) when
// oy + padTop = iy * strideH + ky * dilationH (same for x). Each output pixel accumulates all its
// channels in place, the innermost loop over contiguous weights and outputs.
#include <algorithm>
#include <utility>
#include <vector>

#include "common_activation.h"
#include "common_conv_geometry.h"
#include "dense_ops.h"
#include "dense_packed_gemm.h"
#include "thread_pool.h"

namespace md {
namespace {

// For each output coordinate along one axis, the (tap, input coordinate) pairs that reach it:
// output o receives input i through tap k when o + pad = i * stride + k * dilation. Built once
// per call so the pixel loop has no divisions.
struct AxisTaps {
  std::vector<int64_t> begin;                      // size out + 1: pairs of output o are [begin[o], begin[o+1])
  std::vector<std::pair<int64_t, int64_t>> pairs;  // (tap, input coordinate)
};

AxisTaps BuildTaps(int64_t out, int64_t in, int64_t kernel, int64_t stride, int64_t dilation, int64_t pad) {
  AxisTaps t;
  t.begin.reserve(static_cast<size_t>(out + 1));
  for (int64_t o = 0; o < out; ++o) {
    t.begin.push_back(static_cast<int64_t>(t.pairs.size()));
    for (int64_t k = 0; k < kernel; ++k) {
      const int64_t d = o + pad - k * dilation;
      if (d < 0 || d % stride != 0) continue;
      const int64_t i = d / stride;
      if (i < in) t.pairs.emplace_back(k, i);
    }
  }
  t.begin.push_back(static_cast<int64_t>(t.pairs.size()));
  return t;
}

// sum_i x[i] * w[i] with eight independent partial sums, so the loop vectorizes without
// reassociating a single accumulator.
inline float Dot(const float* __restrict x, const float* __restrict w, int64_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int j = 0; j < 8; ++j) acc[j] += x[i + j] * w[i + j];
  }
  float sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
  for (; i < n; ++i) sum += x[i] * w[i];
  return sum;
}

// Kernel == stride, no dilation, pads or output padding, one group (the 2x2 stride-2 upsampling
// of segmentation heads): the taps tile the output without overlap, so each tap is one GEMM of an
// input row [inW, Cin] with the tap's weights [Cin, Cout] whose result rows land `stride` pixels
// apart in an output row (ldc = strideW * Cout), each output pixel written exactly once.
bool IsTiling(const ConvGeometry& g) {
  return g.groups == 1 && g.sh == g.kh && g.sw == g.kw && g.dh == 1 && g.dw == 1 && g.pad_top == 0 && g.pad_left == 0 &&
         g.out_h == g.in_h * g.sh && g.out_w == g.in_w * g.sw;
}

std::vector<PackedB> PackTaps(const ConvGeometry& g, const float* w, const float* bias) {
  std::vector<PackedB> taps;
  for (int64_t tap = 0; tap < g.kh * g.kw; ++tap) taps.push_back(PackB(w + tap * g.in_c * g.out_c, g.out_c, g.in_c, g.out_c, bias));
  return taps;
}

void ConvTranspose2DTiling(const ConvGeometry& g, const float* x, const std::vector<PackedB>& taps, float* out, const Activation& act) {
  parallel_for(0, g.batch * g.in_h, 1, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t n = r / g.in_h;
      const int64_t iy = r - n * g.in_h;
      const float* a = x + r * g.in_w * g.in_c;
      float* rows = out + (n * g.out_h + iy * g.sh) * g.out_w * g.out_c;
      for (int64_t ky = 0; ky < g.kh; ++ky) {
        for (int64_t kx = 0; kx < g.kw; ++kx) {
          PackedGemm(a, g.in_c, taps[ky * g.kw + kx], g.in_w, rows + (ky * g.out_w + kx) * g.out_c, g.sw * g.out_c);
        }
      }
      act.apply(rows, g.sh * g.out_w, g.out_c);
    }
  });
}

void ConvTranspose2D(const ConvGeometry& g, const float* x, const float* w, const float* bias, float* out, const Activation& act,
                     const std::vector<PackedB>* packed_taps) {
  if (IsTiling(g)) {
    if (packed_taps && packed_taps->size() == static_cast<size_t>(g.kh * g.kw)) {
      ConvTranspose2DTiling(g, x, *packed_taps, out, act);
    } else {
      ConvTranspose2DTiling(g, x, PackTaps(g, w, bias), out, act);
    }
    return;
  }
  const int64_t cin_g = g.in_c / g.groups;
  const int64_t cout_g = g.out_c / g.groups;
  const AxisTaps rows_taps = BuildTaps(g.out_h, g.in_h, g.kh, g.sh, g.dh, g.pad_top);
  const AxisTaps cols_taps = BuildTaps(g.out_w, g.in_w, g.kw, g.sw, g.dw, g.pad_left);
  parallel_for(0, g.batch * g.out_h, 1, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t n = r / g.out_h;
      const int64_t oy = r - n * g.out_h;
      float* orow = out + r * g.out_w * g.out_c;
      for (int64_t ox = 0; ox < g.out_w; ++ox) {
        float* __restrict o = orow + ox * g.out_c;
        if (bias) {
          std::copy(bias, bias + g.out_c, o);
        } else {
          std::fill(o, o + g.out_c, 0.f);
        }
        for (int64_t ty = rows_taps.begin[oy]; ty < rows_taps.begin[oy + 1]; ++ty) {
          const auto [ky, iy] = rows_taps.pairs[ty];
          for (int64_t tx = cols_taps.begin[ox]; tx < cols_taps.begin[ox + 1]; ++tx) {
            const auto [kx, ix] = cols_taps.pairs[tx];
            const float* xp = x + ((n * g.in_h + iy) * g.in_w + ix) * g.in_c;
            const float* wt = w + (ky * g.kw + kx) * g.in_c * cout_g;
            for (int64_t grp = 0; grp < g.groups; ++grp) {
              float* __restrict og = o + grp * cout_g;
              const float* xg = xp + grp * cin_g;
              const float* wg = wt + grp * cin_g * cout_g;
              if (cout_g == 1) {
                // One output channel per group: the tap's weights are contiguous over the group's
                // input channels and the output value is a dot product.
                og[0] += Dot(xg, wg, cin_g);
                continue;
              }
              for (int64_t ci = 0; ci < cin_g; ++ci) {
                const float xv = xg[ci];
                const float* __restrict wr = wg + ci * cout_g;
                for (int64_t co = 0; co < cout_g; ++co) og[co] += xv * wr[co];
              }
            }
          }
        }
      }
      act.apply(orow, g.out_w, g.out_c);
    }
  });
}

}  // namespace

void RunConvTranspose2D(const ConvTranspose2DArgs& a) {
  if (a.out.length == 0) return;  // (a zero output width under millions of rows)
  ConvTranspose2D(a.g, a.x.data, a.w.data, a.bias.data, a.out.data, a.act, a.taps);
}

std::vector<PackedB> ConvTranspose2DTaps(const ConvTranspose2DArgs& a) {
  if (!IsTiling(a.g)) return {};
  return PackTaps(a.g, a.w.data, a.bias.data);
}

}  // namespace md
