// Per-channel and broadcast scaling: inference BatchNorm (folded per channel in double, as the
// reference folds it), and the linear delta steps whose output mask is their input's: Mul or Div
// by a broadcast constant, BatchNorm's scale (bias and mean cancel in a difference), Identity.
#pragma once

#include <cmath>

#include "hd.h"

namespace mdcuda {

/** BatchNorm folded into y = x * mul + add for one channel. */
MD_HD void BatchNormFold(float scale, float bias, float mean, float variance, double epsilon, double* mul, double* add) {
  *mul = scale / sqrt(static_cast<double>(variance) + epsilon);
  *add = bias - mean * *mul;
}

MD_HD float BatchNormElement(float x, double mul, double add) { return static_cast<float>(x * mul + add); }

/**
 * A linear scaling of an NHWC delta: by `mul[ch]` (per channel, double; BatchNorm), or by (or
 * through division by) a constant `k` broadcast with `k_strides` over [N,H,W,C], or neither (copy).
 */
struct ScaleGeometry {
  int height;
  int width;
  int channels;
  const double* mul;
  const float* k;
  int64_t k_strides[4];
  bool divide;
};

/** One active pixel `p` of a scaled delta. */
MD_HD void ScaleDeltaPixel(const ScaleGeometry& g, const float* x, int64_t p, float* out) {
  const int64_t plane = static_cast<int64_t>(g.height) * g.width;
  const int64_t n = p / plane;
  const int64_t rest = p - n * plane;
  const int64_t y = rest / g.width;
  const int64_t k_base = n * g.k_strides[0] + y * g.k_strides[1] + (rest - y * g.width) * g.k_strides[2];
  const float* xp = x + p * g.channels;
  for (int ch = 0; ch < g.channels; ch++) {
    if (g.mul != nullptr) {
      out[ch] = static_cast<float>(xp[ch] * g.mul[ch]);
    } else if (g.k != nullptr) {
      const double k = g.k[k_base + ch * g.k_strides[3]];
      out[ch] = static_cast<float>(g.divide ? xp[ch] / k : xp[ch] * k);
    } else {
      out[ch] = xp[ch];
    }
  }
}

}  // namespace mdcuda
