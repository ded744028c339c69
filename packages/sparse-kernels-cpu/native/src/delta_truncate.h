// Accumulate-and-truncate, shared by the stateful delta kernels (activation, binary, max pool).
//
// On entry `out` lists candidate pixels whose newly computed outputs y sit in out.values. A
// candidate is emitted where max_c |y - emitted| > threshold (compared in double, as the
// TypeScript reference does): its values become y - emitted and `emitted` takes y. Others leave
// the mask and the list, so a change below the threshold stays pending, never lost.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "delta_buffer.h"
#include "thread_pool.h"

namespace md {

inline void EmitWithTruncation(DeltaView& out, float* emitted, double threshold) {
  const int64_t c = out.c;
  const int64_t count = out.count;
  std::vector<uint8_t> keep(static_cast<size_t>(count));
  parallel_for(0, count, GrainFor(3 * c), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const int64_t base = static_cast<int64_t>(out.active[i]) * c;
      float* v = out.values + base;
      float* em = emitted + base;
      double max_abs = 0;
      for (int64_t ch = 0; ch < c; ++ch) {
        const double d = std::fabs(static_cast<double>(v[ch]) - static_cast<double>(em[ch]));
        if (d > max_abs) max_abs = d;
      }
      const bool emit = max_abs > threshold;
      keep[i] = emit;
      if (emit) {
        for (int64_t ch = 0; ch < c; ++ch) {
          const float y = v[ch];
          v[ch] = y - em[ch];
          em[ch] = y;
        }
      }
    }
  });
  int64_t kept = 0;
  for (int64_t i = 0; i < count; ++i) {
    const int32_t p = out.active[i];
    if (keep[i]) out.active[kept++] = p;
    else out.mask[p] = 0;
  }
  out.count = kept;
}

}  // namespace md
