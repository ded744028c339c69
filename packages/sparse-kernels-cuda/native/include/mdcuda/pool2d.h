// Pooling per output element, dense and delta (NHWC), with the reference's window rules: windows
// cover [o*stride - pad, o*stride - pad + kernel); positions outside the input never win a max;
// average divisors follow ONNX/PyTorch (countIncludePad counts the padded input but not the
// ceil-mode overhang). Sums in double, as the reference.
#pragma once

#include "delta_pixel.h"
#include "hd.h"
#include "tiles.h"

namespace mdcuda {

/** The lowest float32, what a window covering no input yields (as onnxruntime). */
constexpr float kLowestFloat = -3.4028234663852886e38f;

struct PoolGeometry {
  int batch;
  int in_h;
  int in_w;
  int channels;
  int out_h;
  int out_w;
  int kh;
  int kw;
  int sh;
  int sw;
  int pad_top;
  int pad_left;
  int pad_bottom;
  int pad_right;
  bool count_include_pad;
};

MD_HD int MaxInt(int a, int b) { return a > b ? a : b; }
MD_HD int MinInt(int a, int b) { return a < b ? a : b; }

/** Max over the window of output (n, oy, ox), channel ch. */
MD_HD float MaxPoolElement(const PoolGeometry& g, const float* x, int n, int oy, int ox, int ch) {
  const int y_start = oy * g.sh - g.pad_top;
  const int x_start = ox * g.sw - g.pad_left;
  float best = kLowestFloat;
  for (int iy = MaxInt(y_start, 0); iy < MinInt(y_start + g.kh, g.in_h); iy++) {
    for (int ix = MaxInt(x_start, 0); ix < MinInt(x_start + g.kw, g.in_w); ix++) {
      const float v = x[((static_cast<int64_t>(n) * g.in_h + iy) * g.in_w + ix) * g.channels + ch];
      if (v > best) best = v;
    }
  }
  return best;
}

/** 1 / divisor of the average window at (oy, ox); 0 for a window wholly outside the input. */
MD_HD double AvgPoolInverseDivisor(const PoolGeometry& g, int oy, int ox) {
  const int y_start = oy * g.sh - g.pad_top;
  const int x_start = ox * g.sw - g.pad_left;
  const int count = g.count_include_pad ? MaxInt(0, MinInt(y_start + g.kh, g.in_h + g.pad_bottom) - y_start) *
                                              MaxInt(0, MinInt(x_start + g.kw, g.in_w + g.pad_right) - x_start)
                                        : MaxInt(0, MinInt(y_start + g.kh, g.in_h) - MaxInt(y_start, 0)) *
                                              MaxInt(0, MinInt(x_start + g.kw, g.in_w) - MaxInt(x_start, 0));
  return count > 0 ? 1.0 / count : 0.0;
}

MD_HD float AvgPoolElement(const PoolGeometry& g, const float* x, int n, int oy, int ox, int ch) {
  const int y_start = oy * g.sh - g.pad_top;
  const int x_start = ox * g.sw - g.pad_left;
  double sum = 0;
  for (int iy = MaxInt(y_start, 0); iy < MinInt(y_start + g.kh, g.in_h); iy++) {
    for (int ix = MaxInt(x_start, 0); ix < MinInt(x_start + g.kw, g.in_w); ix++) {
      sum += x[((static_cast<int64_t>(n) * g.in_h + iy) * g.in_w + ix) * g.channels + ch];
    }
  }
  return static_cast<float>(sum * AvgPoolInverseDivisor(g, oy, ox));
}

/** Mean over the image of channel ch: GlobalAvgPool's one output per (n, ch). */
MD_HD float GlobalAvgElement(const float* x, int height, int width, int channels, int n, int ch) {
  double sum = 0;
  const int64_t plane = static_cast<int64_t>(height) * width;
  for (int64_t p = 0; p < plane; p++) sum += x[(n * plane + p) * channels + ch];
  return static_cast<float>(sum / static_cast<double>(plane));
}

/** Whether the window of (n, oy, ox) holds an active input pixel. */
MD_HD bool WindowHasActive(const PoolGeometry& g, const uint8_t* mask, int n, int oy, int ox) {
  const int y_start = oy * g.sh - g.pad_top;
  const int x_start = ox * g.sw - g.pad_left;
  for (int iy = MaxInt(y_start, 0); iy < MinInt(y_start + g.kh, g.in_h); iy++) {
    for (int ix = MaxInt(x_start, 0); ix < MinInt(x_start + g.kw, g.in_w); ix++) {
      if (mask[(static_cast<int64_t>(n) * g.in_h + iy) * g.in_w + ix] != 0) return true;
    }
  }
  return false;
}

/**
 * Max pooling on deltas, one output pixel (after the deltas were accumulated into
 * `accumulated`): a window holding an active input is recomputed and emitted with truncation.
 * Returns whether the pixel is emitted; `out` receives its channels either way.
 */
MD_HD bool MaxPoolDeltaPixel(const PoolGeometry& g, const uint8_t* in_mask, const float* accumulated, float* emitted, float* out, int n,
                             int oy, int ox, double threshold) {
  if (!WindowHasActive(g, in_mask, n, oy, ox)) return false;
  for (int ch = 0; ch < g.channels; ch++) out[ch] = MaxPoolElement(g, accumulated, n, oy, ox, ch);
  return TruncatePixel(out, emitted, g.channels, threshold);
}

/**
 * Average pooling of a delta, one output pixel: every active input under the window adds
 * delta * (1 / divisor of this window), accumulated in float as the reference scatters it.
 * Returns whether any active input is under the window (the output pixel is then active).
 */
MD_HD bool AvgPoolDeltaPixel(const PoolGeometry& g, const float* x, const uint8_t* mask, int n, int oy, int ox, float* out) {
  const int y_start = oy * g.sh - g.pad_top;
  const int x_start = ox * g.sw - g.pad_left;
  const double inv = AvgPoolInverseDivisor(g, oy, ox);
  bool touched = false;
  for (int ch = 0; ch < g.channels; ch++) out[ch] = 0.0f;
  for (int iy = MaxInt(y_start, 0); iy < MinInt(y_start + g.kh, g.in_h); iy++) {
    for (int ix = MaxInt(x_start, 0); ix < MinInt(x_start + g.kw, g.in_w); ix++) {
      const int64_t p = (static_cast<int64_t>(n) * g.in_h + iy) * g.in_w + ix;
      if (mask[p] == 0) continue;
      touched = true;
      for (int ch = 0; ch < g.channels; ch++) out[ch] += static_cast<float>(x[p * g.channels + ch] * inv);
    }
  }
  return touched;
}

/** One active input pixel's share of a global average of a delta: delta / (H*W), per channel. */
MD_HD float GlobalAvgDeltaShare(float delta, int64_t plane) {
  return static_cast<float>(static_cast<double>(delta) / static_cast<double>(plane));
}

}  // namespace mdcuda
