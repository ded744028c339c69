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

inline std::size_t MinSize(std::size_t a, std::size_t b) { return a < b ? a : b; }
inline std::size_t MaxSize(std::size_t a, std::size_t b) { return a > b ? a : b; }

// Where a tile's rows of A and C are: at fixed strides (a GEMM, an implicit convolution), or each
// given by pointer (the scattered outputs of a delta convolution). Kernels take them as template
// parameters, so the strided case compiles to the same address arithmetic as a plain kernel.
struct StridedRows {
  const float* a;
  int64_t lda;
  float* c;
  int64_t ldc;
  const float* A(int r) const { return a + r * lda; }
  float* C(int r) const { return c + r * ldc; }
  StridedRows From(int64_t r) const { return {a + r * lda, lda, c + r * ldc, ldc}; }
};
struct ListedRows {
  const float* const* a;
  float* const* c;
  const float* A(int r) const { return a[r]; }
  float* C(int r) const { return c[r]; }
  ListedRows From(int64_t r) const { return {a + r, c + r}; }
};

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

// Rows [0, MR) against panels [p0, p1) of B.
template <int MR, typename Rw>
void Rows(const Rw& rows, const int64_t* tap_off, int64_t taps, int64_t cin, const PackedPanels& b, std::size_t p0, std::size_t p1) {
  for (std::size_t panel = p0; panel < p1; ++panel) {
    const int64_t col = b.panel_col[panel];
    const float* bp = b.data + b.panel_offset[panel];
    const float* bias = b.bias ? b.bias + col : nullptr;
    if (b.panel_width[panel] == 16) {
      Tile16<MR>(rows, tap_off, taps, cin, bp, bias, col, b.panel_cols[panel]);
    } else {
      Tile8<MR>(rows, tap_off, taps, cin, bp, bias, col, b.panel_cols[panel]);
    }
  }
}

// Rows [0, m) against panels [p0, p1): six rows at a time (their A values stay in L1 while the
// panels stream past), then the remainder.
template <typename Rw>
void RowGroups(const Rw& rows, const int64_t* tap_off, int64_t taps, int64_t cin, const PackedPanels& b, std::size_t p0, std::size_t p1,
               int64_t m) {
  constexpr int kMr = 6;
  int64_t r = 0;
  for (; r + kMr <= m; r += kMr) Rows<kMr>(rows.From(r), tap_off, taps, cin, b, p0, p1);
  const Rw rest = rows.From(r);
  switch (m - r) {
    case 5:
      Rows<5>(rest, tap_off, taps, cin, b, p0, p1);
      break;
    case 4:
      Rows<4>(rest, tap_off, taps, cin, b, p0, p1);
      break;
    case 3:
      Rows<3>(rest, tap_off, taps, cin, b, p0, p1);
      break;
    case 2:
      Rows<2>(rest, tap_off, taps, cin, b, p0, p1);
      break;
    case 1:
      Rows<1>(rest, tap_off, taps, cin, b, p0, p1);
      break;
    default:
      break;
  }
}

// Weights that fit L2 stream past each group of rows; larger ones (a 1x1 conv with hundreds of
// channels on a small map) are taken a few panels at a time, each reused by every row.
template <typename Rw>
void AllPanels(const Rw& rows, const int64_t* tap_off, int64_t taps, int64_t cin, const PackedPanels& b, int64_t m) {
  constexpr std::size_t kL2Floats = 32 * 1024;
  const std::size_t panels = b.panels;
  if (b.data_floats <= kL2Floats) {
    RowGroups(rows, tap_off, taps, cin, b, 0, panels, m);
    return;
  }
  const std::size_t per_step = MaxSize(1, kL2Floats / MaxSize(1, static_cast<std::size_t>(b.k) * 16));
  for (std::size_t p0 = 0; p0 < panels; p0 += per_step) RowGroups(rows, tap_off, taps, cin, b, p0, MinSize(panels, p0 + per_step), m);
}

}  // namespace

void PackedGemmTaps(const PackedPanels& b, const float* a, int64_t lda, const int64_t* tap_off, int64_t taps, int64_t cin, int64_t m,
                    float* c, int64_t ldc) {
  AllPanels(StridedRows{a, lda, c, ldc}, tap_off, taps, cin, b, m);
}

void PackedGemmRows(const PackedPanels& b, const float* const* a_rows, const int64_t* tap_off, int64_t taps, int64_t cin, int64_t m,
                    float* const* c_rows) {
  AllPanels(ListedRows{a_rows, c_rows}, tap_off, taps, cin, b, m);
}

void PackedGemmPanels(const PackedPanels& b, const float* a, int64_t lda, std::size_t p0, std::size_t p1, int64_t m, float* c,
                      int64_t ldc) {
  const int64_t no_offset = 0;
  RowGroups(StridedRows{a, lda, c, ldc}, &no_offset, 1, b.k, b, p0, MinSize(p1, b.panels), m);
}

}  // namespace avx2
}  // namespace md
