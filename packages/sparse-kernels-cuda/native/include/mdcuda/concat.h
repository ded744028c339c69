// Concat: dense along any axis (each input contributes `outer` chunks of axis_size * inner values),
// and of deltas along channels (the output is active where any varying input is; an inactive or
// constant input contributes zeros there).
#pragma once

#include "hd.h"

namespace mdcuda {

constexpr int kMaxConcatInputs = 8;

/** Up to kMaxConcatInputs inputs; for deltas `masks[j]` is null for a constant input. */
struct ConcatGeometry {
  int inputs;
  int64_t outer;
  int64_t inner;
  int64_t axis_total;
  int64_t axis_sizes[kMaxConcatInputs];
  const float* data[kMaxConcatInputs];
  const uint8_t* masks[kMaxConcatInputs];
};

/** Output element `i` of a dense Concat. */
MD_HD float ConcatElement(const ConcatGeometry& g, int64_t i) {
  const int64_t k = i % g.inner;
  int64_t a = (i / g.inner) % g.axis_total;
  const int64_t o = i / (g.inner * g.axis_total);
  for (int j = 0; j < g.inputs; j++) {
    if (a < g.axis_sizes[j]) return g.data[j][(o * g.axis_sizes[j] + a) * g.inner + k];
    a -= g.axis_sizes[j];
  }
  return 0.0f;
}

/** One pixel of a channel Concat of deltas (`axis_sizes` are channel counts); returns whether any varying input is active there. */
MD_HD bool ConcatDeltaPixel(const ConcatGeometry& g, int64_t p, float* out) {
  bool any = false;
  int64_t offset = 0;
  for (int j = 0; j < g.inputs; j++) {
    const int64_t c = g.axis_sizes[j];
    const bool on = g.masks[j] != nullptr && g.masks[j][p] != 0;
    any = any || on;
    for (int64_t ch = 0; ch < c; ch++) out[offset + ch] = on ? g.data[j][p * c + ch] : 0.0f;
    offset += c;
  }
  return any;
}

}  // namespace mdcuda
