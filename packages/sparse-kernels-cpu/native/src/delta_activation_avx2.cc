// The activation step's per-pixel pass (accumulate, activate, truncate; delta_activation.cc) in
// AVX2, for the kinds whose vector evaluation is exactly the reference's double evaluation rounded
// to float (isa_kernels.h). Reached through the kernel table of cpu_isa.h only on a CPU with AVX2
// and FMA. No multiply here feeds an add (nothing for the compiler to contract into an FMA, which
// would change a rounding): the products are selected or rounded before anything is added to them.
#include <immintrin.h>

#include "isa_kernels.h"

namespace md {
namespace avx2 {
namespace {

// DeltaActKind codes (delta_activation_fn.h).
constexpr int32_t kRelu = 0, kClip = 1, kLeakyRelu = 2, kPrelu = 3, kHardSwish = 6;

// The first n (1 to 8) lanes.
inline __m256i LaneMask(int64_t n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int32_t>(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// hardSwish in double, operation for operation as the scalar loop: x * clamp(x / 6 + 0.5, 0, 1),
// where a NaN gate passes through the clamp.
inline __m256d HardSwish(__m256d x) {
  const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1);
  __m256d g = _mm256_add_pd(_mm256_div_pd(x, _mm256_set1_pd(6)), _mm256_set1_pd(0.5));
  g = _mm256_blendv_pd(g, zero, _mm256_cmp_pd(g, zero, _CMP_LT_OQ));
  g = _mm256_blendv_pd(g, one, _mm256_cmp_pd(g, one, _CMP_GT_OQ));
  return _mm256_mul_pd(x, g);
}

// The activation of 8 accumulated values; `slope` is prelu's slopes for these channels.
template <int32_t Kind>
inline __m256 Activate(__m256 x, __m256 lo, __m256 hi, __m256 slope) {
  const __m256 zero = _mm256_setzero_ps();
  if constexpr (Kind == kRelu) {
    return _mm256_andnot_ps(_mm256_cmp_ps(x, zero, _CMP_LT_OQ), x);  // x < 0 ? 0 : x (-0 and NaN kept)
  } else if constexpr (Kind == kClip) {
    const __m256 l = _mm256_blendv_ps(x, lo, _mm256_cmp_ps(x, lo, _CMP_LT_OQ));  // x < lo ? lo : x
    return _mm256_blendv_ps(l, hi, _mm256_cmp_ps(l, hi, _CMP_GT_OQ));            // l > hi ? hi : l
  } else if constexpr (Kind == kLeakyRelu) {
    return _mm256_blendv_ps(x, _mm256_mul_ps(lo, x), _mm256_cmp_ps(x, zero, _CMP_LT_OQ));
  } else if constexpr (Kind == kPrelu) {
    return _mm256_blendv_ps(x, _mm256_mul_ps(slope, x), _mm256_cmp_ps(x, zero, _CMP_LT_OQ));
  } else {
    const __m128 y0 = _mm256_cvtpd_ps(HardSwish(_mm256_cvtps_pd(_mm256_castps256_ps128(x))));
    const __m128 y1 = _mm256_cvtpd_ps(HardSwish(_mm256_cvtps_pd(_mm256_extractf128_ps(x, 1))));
    return _mm256_insertf128_ps(_mm256_castps128_ps256(y0), y1, 1);
  }
}

// Lanes where |y - e|, in double, is above the threshold or NaN (not <= it), as 4 + 4 double masks.
inline __m256d Above(__m256 y, __m256 e, __m256d threshold) {
  const __m256d abs = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL));
  const __m256d d0 = _mm256_sub_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(y)), _mm256_cvtps_pd(_mm256_castps256_ps128(e)));
  const __m256d d1 = _mm256_sub_pd(_mm256_cvtps_pd(_mm256_extractf128_ps(y, 1)), _mm256_cvtps_pd(_mm256_extractf128_ps(e, 1)));
  return _mm256_or_pd(_mm256_cmp_pd(_mm256_and_pd(d0, abs), threshold, _CMP_NLE_UQ),
                      _mm256_cmp_pd(_mm256_and_pd(d1, abs), threshold, _CMP_NLE_UQ));
}

template <int32_t Kind>
void Pixels(const DeltaActPixelsArgs& a, int64_t begin, int64_t end) {
  const int64_t c = a.c;
  const int64_t full = c & ~int64_t{7};
  const int64_t rest = c - full;
  const __m256i tail = LaneMask(rest > 0 ? rest : 8);
  // The tail's lanes as double masks (low and high four channels).
  const __m256d tail0 = _mm256_castsi256_pd(_mm256_cvtepi32_epi64(_mm256_castsi256_si128(tail)));
  const __m256d tail1 = _mm256_castsi256_pd(_mm256_cvtepi32_epi64(_mm256_extracti128_si256(tail, 1)));
  const __m256 lo = _mm256_set1_ps(a.lo), hi = _mm256_set1_ps(a.hi);
  const bool one_slope = a.slope_len == 1;
  const __m256 slope1 = Kind == kPrelu ? _mm256_set1_ps(a.slope[0]) : _mm256_setzero_ps();
  const __m256d threshold = _mm256_set1_pd(a.threshold);
  for (int64_t i = begin; i < end; ++i) {
    const int64_t base = static_cast<int64_t>(a.pixels[i]) * c;
    const float* d = a.in + base;
    float* acc = a.accumulated + base;
    float* o = a.out + base;
    float* em = a.emitted + base;
    __m256d above = _mm256_setzero_pd();
    int64_t ch = 0;
    for (; ch < full; ch += 8) {
      const __m256 x = _mm256_add_ps(_mm256_loadu_ps(acc + ch), _mm256_loadu_ps(d + ch));
      _mm256_storeu_ps(acc + ch, x);
      const __m256 slope = Kind == kPrelu && !one_slope ? _mm256_loadu_ps(a.slope + ch) : slope1;
      const __m256 y = Activate<Kind>(x, lo, hi, slope);
      _mm256_storeu_ps(o + ch, y);
      above = _mm256_or_pd(above, Above(y, _mm256_loadu_ps(em + ch), threshold));
    }
    if (rest > 0) {
      const __m256 x = _mm256_add_ps(_mm256_maskload_ps(acc + ch, tail), _mm256_maskload_ps(d + ch, tail));
      _mm256_maskstore_ps(acc + ch, tail, x);
      const __m256 slope = Kind == kPrelu && !one_slope ? _mm256_maskload_ps(a.slope + ch, tail) : slope1;
      const __m256 y = Activate<Kind>(x, lo, hi, slope);
      _mm256_maskstore_ps(o + ch, tail, y);
      const __m256 e = _mm256_maskload_ps(em + ch, tail);
      const __m256d d0 = _mm256_sub_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(y)), _mm256_cvtps_pd(_mm256_castps256_ps128(e)));
      const __m256d d1 = _mm256_sub_pd(_mm256_cvtps_pd(_mm256_extractf128_ps(y, 1)), _mm256_cvtps_pd(_mm256_extractf128_ps(e, 1)));
      const __m256d abs = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL));
      above = _mm256_or_pd(above, _mm256_and_pd(tail0, _mm256_cmp_pd(_mm256_and_pd(d0, abs), threshold, _CMP_NLE_UQ)));
      above = _mm256_or_pd(above, _mm256_and_pd(tail1, _mm256_cmp_pd(_mm256_and_pd(d1, abs), threshold, _CMP_NLE_UQ)));
    }
    const bool keep = _mm256_movemask_pd(above) != 0;
    a.keep[i] = keep;
    if (!keep) continue;
    for (ch = 0; ch < full; ch += 8) {
      const __m256 y = _mm256_loadu_ps(o + ch);
      const __m256 e = _mm256_loadu_ps(em + ch);
      _mm256_storeu_ps(o + ch, _mm256_sub_ps(y, e));
      _mm256_storeu_ps(em + ch, y);
    }
    if (rest > 0) {
      const __m256 y = _mm256_maskload_ps(o + ch, tail);
      const __m256 e = _mm256_maskload_ps(em + ch, tail);
      _mm256_maskstore_ps(o + ch, tail, _mm256_sub_ps(y, e));
      _mm256_maskstore_ps(em + ch, tail, y);
    }
  }
}

}  // namespace

void DeltaActivationPixels(const DeltaActPixelsArgs& a, int64_t begin, int64_t end) {
  switch (a.kind) {
    case kRelu:
      return Pixels<kRelu>(a, begin, end);
    case kClip:
      return Pixels<kClip>(a, begin, end);
    case kLeakyRelu:
      return Pixels<kLeakyRelu>(a, begin, end);
    case kPrelu:
      return Pixels<kPrelu>(a, begin, end);
    case kHardSwish:
      return Pixels<kHardSwish>(a, begin, end);
    default:
      return;  // the caller passes the kinds above only
  }
}

}  // namespace avx2
}  // namespace md
