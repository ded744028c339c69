// The packed GEMM's register-tile kernel (dense_packed_gemm.h), compiled with -mavx2 -mfma
// (native/CMakeLists.txt compiles every *_avx2.cc so) and reached only through the kernel table of
// cpu_isa.h on a CPU that has both. Everything here lives in md::avx2 and calls no inline function
// of a shared header (see isa_kernels.h for why).
#include <immintrin.h>

#include <cstring>

#include "isa_kernels.h"

namespace md {
namespace avx2 {
namespace {

// Every loop over the tile's rows is unrolled, so the accumulator arrays become registers (a loop
// left rolled makes GCC keep them on the stack and store them every iteration).
#define MD_UNROLL _Pragma("GCC unroll 8")

// Rows per register tile: 6 x 16 columns take 12 of the 16 ymm registers as accumulators.
constexpr int kMr = 6;

// One MR x 16 tile: 2*MR accumulators stay in registers over the whole reduction. The reduction
// runs over `taps` slices of `cin` values; slice t of row r starts at rows.A(r) + tap_off[t] (one
// slice of k values at offset 0 for a plain GEMM; one per kernel tap, read straight from the NHWC
// input, for an implicit convolution). Row r's columns [col, col + cols) go to rows.C(r) + col.
template <int MR, typename Rw>
inline void Tile16(const Rw& rows, const int64_t* tap_off, int64_t taps, int64_t cin, const float* bp, const float* bias, int64_t col,
                   int cols) {
  __m256 acc0[MR], acc1[MR];
  const __m256 init0 = bias ? _mm256_loadu_ps(bias) : _mm256_setzero_ps();
  const __m256 init1 = bias ? _mm256_loadu_ps(bias + 8) : _mm256_setzero_ps();
  MD_UNROLL for (int r = 0; r < MR; ++r) {
    acc0[r] = init0;
    acc1[r] = init1;
  }
  for (int64_t t = 0; t < taps; ++t) {
    const int64_t off = tap_off[t];
    const float* bt = bp + t * cin * 16;
    for (int64_t p = 0; p < cin; ++p) {
      const __m256 w0 = _mm256_loadu_ps(bt + p * 16);
      const __m256 w1 = _mm256_loadu_ps(bt + p * 16 + 8);
      MD_UNROLL for (int r = 0; r < MR; ++r) {
        const __m256 av = _mm256_broadcast_ss(rows.A(r) + off + p);
        acc0[r] = _mm256_fmadd_ps(av, w0, acc0[r]);
        acc1[r] = _mm256_fmadd_ps(av, w1, acc1[r]);
      }
    }
  }
  MD_UNROLL for (int r = 0; r < MR; ++r) {
    float* c = rows.C(r) + col;
    if (cols == 16) {
      _mm256_storeu_ps(c, acc0[r]);
      _mm256_storeu_ps(c + 8, acc1[r]);
    } else {
      alignas(32) float tmp[16];
      _mm256_store_ps(tmp, acc0[r]);
      _mm256_store_ps(tmp + 8, acc1[r]);
      std::memcpy(c, tmp, sizeof(float) * cols);
    }
  }
}

// One MR x 8 tile (a narrow last panel).
template <int MR, typename Rw>
inline void Tile8(const Rw& rows, const int64_t* tap_off, int64_t taps, int64_t cin, const float* bp, const float* bias, int64_t col,
                  int cols) {
  __m256 acc[MR];
  const __m256 init = bias ? _mm256_loadu_ps(bias) : _mm256_setzero_ps();
  MD_UNROLL for (int r = 0; r < MR; ++r) acc[r] = init;
  for (int64_t t = 0; t < taps; ++t) {
    const int64_t off = tap_off[t];
    const float* bt = bp + t * cin * 8;
    for (int64_t p = 0; p < cin; ++p) {
      const __m256 w = _mm256_loadu_ps(bt + p * 8);
      MD_UNROLL for (int r = 0; r < MR; ++r) acc[r] = _mm256_fmadd_ps(_mm256_broadcast_ss(rows.A(r) + off + p), w, acc[r]);
    }
  }
  MD_UNROLL for (int r = 0; r < MR; ++r) {
    float* c = rows.C(r) + col;
    if (cols == 8) {
      _mm256_storeu_ps(c, acc[r]);
    } else {
      alignas(32) float tmp[8];
      _mm256_store_ps(tmp, acc[r]);
      std::memcpy(c, tmp, sizeof(float) * cols);
    }
  }
}

}  // namespace

#include "dense_packed_gemm_drivers.inc"

}  // namespace avx2
}  // namespace md
