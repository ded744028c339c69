// Accumulate-and-truncate, shared by the stateful delta kernels (activation, binary, max pool).
//
// A candidate pixel holds its newly computed output y in out.values. It is emitted where
// max_c |y - emitted| > threshold (compared in double, as the TypeScript reference does): its
// values become y - emitted and `emitted` takes y. Others leave the mask and the list, so a change
// below the threshold stays pending, never lost. Kernels call TruncatePixel right after computing
// a pixel (while it is in cache) and CompactKept once at the end.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "delta_buffer.h"

namespace md {

// Decides one candidate pixel; returns whether it is emitted.
inline bool TruncatePixel(float* v, float* em, int64_t c, double threshold) {
  double max_abs = 0;
  for (int64_t ch = 0; ch < c; ++ch) {
    const double d = std::fabs(static_cast<double>(v[ch]) - static_cast<double>(em[ch]));
    if (d > max_abs) max_abs = d;
  }
  if (!(max_abs > threshold)) return false;
  for (int64_t ch = 0; ch < c; ++ch) {
    const float y = v[ch];
    v[ch] = y - em[ch];
    em[ch] = y;
  }
  return true;
}

// Drops the candidates not kept (keep[i] for out.active[i]) from the mask and the list, in order.
inline void CompactKept(DeltaView& out, const std::vector<uint8_t>& keep) {
  int64_t kept = 0;
  for (int64_t i = 0; i < out.count; ++i) {
    const int32_t p = out.active[i];
    if (keep[i])
      out.active[kept++] = p;
    else
      out.mask[p] = 0;
  }
  out.count = kept;
}

}  // namespace md
