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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "delta_buffer.h"

namespace md {

// Decides one candidate pixel; returns whether it is emitted. A NaN difference counts as above
// every threshold (as in the reference): a NaN output is emitted, not dropped as "no change".
//
// The reference compares max(0, max_c |y - emitted|), NaN sticky, with the threshold: the pixel is
// emitted where that is not <= threshold, that is where 0 or some difference is not <= threshold
// (a NaN difference never is). Written as that OR, the loop has no branch; with SSE2 (every
// x86-64) four channels at a time in double lanes, which the compiler does not vectorize itself.
inline bool TruncatePixel(float* v, float* em, int64_t c, double threshold) {
  int above = !(0.0 <= threshold);
  int64_t ch = 0;
#if defined(__SSE2__)
  const __m128d abs_mask = _mm_castsi128_pd(_mm_set1_epi64x(0x7fffffffffffffffLL));
  const __m128d t = _mm_set1_pd(threshold);
  __m128d any = _mm_setzero_pd();
  for (; ch + 4 <= c; ch += 4) {
    const __m128 y = _mm_loadu_ps(v + ch), e = _mm_loadu_ps(em + ch);
    const __m128d d0 = _mm_sub_pd(_mm_cvtps_pd(y), _mm_cvtps_pd(e));
    const __m128d d1 = _mm_sub_pd(_mm_cvtps_pd(_mm_movehl_ps(y, y)), _mm_cvtps_pd(_mm_movehl_ps(e, e)));
    any = _mm_or_pd(any, _mm_or_pd(_mm_cmpnle_pd(_mm_and_pd(d0, abs_mask), t), _mm_cmpnle_pd(_mm_and_pd(d1, abs_mask), t)));
  }
  above |= _mm_movemask_pd(any);
#endif
  for (; ch < c; ++ch) {
    const double d = std::fabs(static_cast<double>(v[ch]) - static_cast<double>(em[ch]));
    above |= !(d <= threshold);
  }
  if (!above) return false;
  for (ch = 0; ch < c; ++ch) {
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
