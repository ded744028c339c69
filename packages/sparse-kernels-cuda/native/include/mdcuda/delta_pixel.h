// Per-pixel arithmetic of the delta steps that keep state: sparsify (threshold against a
// reference), accumulate, and accumulate-and-truncate (activation). One call handles the channels
// of one pixel; the kernels call them from one thread per active pixel, the host test from a loop.
#pragma once

#include <cmath>

#include "activation.h"
#include "hd.h"

namespace mdcuda {

/**
 * Sparsify one pixel: active where max over channels |x - reference| > threshold; then the delta
 * is x - reference and the reference takes x. Below the threshold nothing is written, so small
 * changes stay as residue until they add up. Returns whether the pixel is active.
 */
MD_HD bool SparsifyPixel(const float* x, float* reference, float* delta, int channels, double threshold) {
  // Differences in double, as the reference computes them: a change exactly at the threshold must
  // stay inactive, and a float difference could round onto it.
  double max_abs = 0.0;
  for (int c = 0; c < channels; c++) {
    const double d = fabs(static_cast<double>(x[c]) - reference[c]);
    if (d > max_abs) max_abs = d;
  }
  if (!(max_abs > threshold)) return false;
  for (int c = 0; c < channels; c++) {
    delta[c] = static_cast<float>(static_cast<double>(x[c]) - reference[c]);
    reference[c] = x[c];
  }
  return true;
}

/** target += delta over one pixel's channels. */
MD_HD void AccumulatePixel(const float* delta, float* target, int channels) {
  for (int c = 0; c < channels; c++) target[c] += delta[c];
}

/**
 * Truncation of one candidate pixel whose new outputs are in `y`: emitted where max over channels
 * |y - emitted| > threshold (a NaN difference counts as above every threshold), then `y` becomes
 * y - emitted and `emitted` takes y. Otherwise nothing changes and the pixel is dropped.
 */
MD_HD bool TruncatePixel(float* y, float* emitted, int channels, double threshold) {
  double max_abs = 0.0;
  bool nan = false;
  for (int c = 0; c < channels; c++) {
    const double d = fabs(static_cast<double>(y[c]) - emitted[c]);
    if (d != d) nan = true;
    if (d > max_abs) max_abs = d;
  }
  if (!nan && max_abs <= threshold) return false;
  for (int c = 0; c < channels; c++) {
    const float v = y[c];
    y[c] = static_cast<float>(static_cast<double>(v) - emitted[c]);
    emitted[c] = v;
  }
  return true;
}

/**
 * Activation step on one active input pixel: accumulated += delta, y = activation(accumulated)
 * into `out`, then truncation against `emitted`. Returns whether the output pixel is emitted.
 */
MD_HD bool ActivationDeltaPixel(const Activation& act, const float* delta, float* accumulated, float* emitted, float* out, int channels,
                                double threshold) {
  for (int c = 0; c < channels; c++) {
    const float a = accumulated[c] + delta[c];
    accumulated[c] = a;
    out[c] = static_cast<float>(ApplyActivation(act, a, c));
  }
  return TruncatePixel(out, emitted, channels, threshold);
}

}  // namespace mdcuda
