// The packed GEMM's register-tile kernel (dense_packed_gemm.h) for the x86-64 baseline: SSE2,
// which every x86-64 CPU has, in md::baseline (the kernel table's entries on a CPU without AVX2
// and FMA, or under MD_CPU_ISA=baseline). The same drivers as the AVX2 kernel
// (dense_packed_gemm_drivers.inc) around a 3 x 16 tile of 4-wide multiply-adds: 12 of the 16 xmm
// registers hold accumulators, the rest the broadcast A value and one B vector at a time.
#include <emmintrin.h>

#include <cstring>

#include "isa_kernels.h"

namespace md {
namespace baseline {
namespace {

// Every loop over the tile's rows is unrolled, so the accumulator arrays become registers.
#define MD_UNROLL _Pragma("GCC unroll 8")

constexpr int kMr = 3;

// Stores a tile row's `cols` (<= 4 * N) leading columns.
template <int N>
inline void StoreRow(float* c, const __m128* acc, int cols) {
  if (cols == 4 * N) {
    MD_UNROLL for (int v = 0; v < N; ++v) _mm_storeu_ps(c + 4 * v, acc[v]);
  } else {
    alignas(16) float tmp[4 * N];
    MD_UNROLL for (int v = 0; v < N; ++v) _mm_store_ps(tmp + 4 * v, acc[v]);
    std::memcpy(c, tmp, sizeof(float) * cols);
  }
}

// One MR x (4 * N) tile over a panel of width 4 * N (see Tile16 in dense_packed_gemm_avx2.cc for
// the reduction's layout).
template <int MR, int N, typename Rw>
inline void Tile(const Rw& rows, const int64_t* tap_off, int64_t taps, int64_t cin, const float* bp, const float* bias, int64_t col,
                 int cols) {
  __m128 acc[MR][N];
  MD_UNROLL for (int v = 0; v < N; ++v) {
    const __m128 init = bias ? _mm_loadu_ps(bias + 4 * v) : _mm_setzero_ps();
    MD_UNROLL for (int r = 0; r < MR; ++r) acc[r][v] = init;
  }
  for (int64_t t = 0; t < taps; ++t) {
    const int64_t off = tap_off[t];
    const float* bt = bp + t * cin * 4 * N;
    for (int64_t p = 0; p < cin; ++p) {
      __m128 av[MR];
      MD_UNROLL for (int r = 0; r < MR; ++r) av[r] = _mm_set1_ps(rows.A(r)[off + p]);
      MD_UNROLL for (int v = 0; v < N; ++v) {
        const __m128 w = _mm_loadu_ps(bt + p * 4 * N + 4 * v);
        MD_UNROLL for (int r = 0; r < MR; ++r) acc[r][v] = _mm_add_ps(acc[r][v], _mm_mul_ps(av[r], w));
      }
    }
  }
  MD_UNROLL for (int r = 0; r < MR; ++r) StoreRow<N>(rows.C(r) + col, acc[r], cols);
}

template <int MR, typename Rw>
inline void Tile16(const Rw& rows, const int64_t* tap_off, int64_t taps, int64_t cin, const float* bp, const float* bias, int64_t col,
                   int cols) {
  Tile<MR, 4>(rows, tap_off, taps, cin, bp, bias, col, cols);
}

template <int MR, typename Rw>
inline void Tile8(const Rw& rows, const int64_t* tap_off, int64_t taps, int64_t cin, const float* bp, const float* bias, int64_t col,
                  int cols) {
  Tile<MR, 2>(rows, tap_off, taps, cin, bp, bias, col, cols);
}

}  // namespace

#include "dense_packed_gemm_drivers.inc"

}  // namespace baseline
}  // namespace md
