#include "dense_packed_gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define MD_PACKED_GEMM 1
#else
#define MD_PACKED_GEMM 0
#endif

namespace md {

bool PackedGemmAvailable() { return MD_PACKED_GEMM != 0; }

bool UsePackedGemm() {
  const char* env = std::getenv("MD_CONV_GEMM");
  return PackedGemmAvailable() && !(env && std::strcmp(env, "blas") == 0);
}

PackedB PackB(const float* b, int64_t ldb, int64_t k, int64_t n, const float* bias) {
  PackedB p;
  p.k = k;
  p.n = n;
  int64_t size = 0;
  for (int64_t col = 0; col < n;) {
    const int64_t rest = n - col;
    const int32_t width = rest <= 8 ? 8 : 16;
    p.panel_offset.push_back(size);
    p.panel_col.push_back(col);
    p.panel_width.push_back(width);
    p.panel_cols.push_back(static_cast<int32_t>(std::min<int64_t>(rest, width)));
    size += k * width;
    col += width;
  }
  p.data.assign(static_cast<size_t>(size), 0.f);
  if (bias) p.bias.assign(static_cast<size_t>(size / std::max<int64_t>(k, 1)), 0.f);
  int64_t col0 = 0, bias_at = 0;
  for (size_t panel = 0; panel < p.panel_offset.size(); ++panel) {
    const int32_t width = p.panel_width[panel], cols = p.panel_cols[panel];
    float* dst = p.data.data() + p.panel_offset[panel];
    for (int64_t r = 0; r < k; ++r) std::memcpy(dst + r * width, b + r * ldb + col0, sizeof(float) * cols);
    if (bias) std::memcpy(p.bias.data() + bias_at, bias + col0, sizeof(float) * cols);
    bias_at += width;
    col0 += width;
  }
  return p;
}

#if MD_PACKED_GEMM

namespace {

// Every loop over the tile's rows is unrolled, so the accumulator arrays become registers (a loop
// left rolled makes GCC keep them on the stack and store them every iteration).
#define MD_UNROLL _Pragma("GCC unroll 8")

// One MR x 16 tile: 2*MR accumulators stay in registers over the whole reduction. Row r of A is
// read from a[r]: the reduction runs over `taps` slices of `cin` values, slice t at a[r] +
// tap_off[t] (one slice of k values at offset 0 for a plain GEMM; one per kernel tap, read
// straight from the NHWC input, for an implicit convolution). Row r of the result goes to c[r].
template <int MR>
inline void Tile16(const float* const* a, const int64_t* tap_off, int64_t taps, int64_t cin, const float* bp, const float* bias, float* const* c,
                   int cols) {
  __m256 acc0[MR], acc1[MR];
  const __m256 init0 = bias ? _mm256_loadu_ps(bias) : _mm256_setzero_ps();
  const __m256 init1 = bias ? _mm256_loadu_ps(bias + 8) : _mm256_setzero_ps();
  MD_UNROLL for (int r = 0; r < MR; ++r) {
    acc0[r] = init0;
    acc1[r] = init1;
  }
  for (int64_t t = 0; t < taps; ++t) {
    const float* at[MR];
    MD_UNROLL for (int r = 0; r < MR; ++r) at[r] = a[r] + tap_off[t];
    const float* bt = bp + t * cin * 16;
    for (int64_t p = 0; p < cin; ++p) {
      const __m256 w0 = _mm256_loadu_ps(bt + p * 16);
      const __m256 w1 = _mm256_loadu_ps(bt + p * 16 + 8);
      MD_UNROLL for (int r = 0; r < MR; ++r) {
        const __m256 av = _mm256_broadcast_ss(at[r] + p);
        acc0[r] = _mm256_fmadd_ps(av, w0, acc0[r]);
        acc1[r] = _mm256_fmadd_ps(av, w1, acc1[r]);
      }
    }
  }
  MD_UNROLL for (int r = 0; r < MR; ++r) {
    if (cols == 16) {
      _mm256_storeu_ps(c[r], acc0[r]);
      _mm256_storeu_ps(c[r] + 8, acc1[r]);
    } else {
      alignas(32) float tmp[16];
      _mm256_store_ps(tmp, acc0[r]);
      _mm256_store_ps(tmp + 8, acc1[r]);
      std::memcpy(c[r], tmp, sizeof(float) * cols);
    }
  }
}

// One MR x 8 tile (a narrow last panel).
template <int MR>
inline void Tile8(const float* const* a, const int64_t* tap_off, int64_t taps, int64_t cin, const float* bp, const float* bias, float* const* c,
                  int cols) {
  __m256 acc[MR];
  const __m256 init = bias ? _mm256_loadu_ps(bias) : _mm256_setzero_ps();
  MD_UNROLL for (int r = 0; r < MR; ++r) acc[r] = init;
  for (int64_t t = 0; t < taps; ++t) {
    const float* at[MR];
    MD_UNROLL for (int r = 0; r < MR; ++r) at[r] = a[r] + tap_off[t];
    const float* bt = bp + t * cin * 8;
    for (int64_t p = 0; p < cin; ++p) {
      const __m256 w = _mm256_loadu_ps(bt + p * 8);
      MD_UNROLL for (int r = 0; r < MR; ++r) acc[r] = _mm256_fmadd_ps(_mm256_broadcast_ss(at[r] + p), w, acc[r]);
    }
  }
  MD_UNROLL for (int r = 0; r < MR; ++r) {
    if (cols == 8) {
      _mm256_storeu_ps(c[r], acc[r]);
    } else {
      alignas(32) float tmp[8];
      _mm256_store_ps(tmp, acc[r]);
      std::memcpy(c[r], tmp, sizeof(float) * cols);
    }
  }
}

// Rows [0, MR) (A rows a[r], result rows c[r]) against panels [p0, p1) of B.
template <int MR>
void Rows(const float* const* a, const int64_t* tap_off, int64_t taps, int64_t cin, const PackedB& b, size_t p0, size_t p1, float* const* c) {
  for (size_t panel = p0; panel < p1; ++panel) {
    const int64_t col = b.panel_col[panel];
    const float* bp = b.data.data() + b.panel_offset[panel];
    const float* bias = b.bias.empty() ? nullptr : b.bias.data() + col;
    float* cc[MR];
    MD_UNROLL for (int r = 0; r < MR; ++r) cc[r] = c[r] + col;
    if (b.panel_width[panel] == 16) {
      Tile16<MR>(a, tap_off, taps, cin, bp, bias, cc, b.panel_cols[panel]);
    } else {
      Tile8<MR>(a, tap_off, taps, cin, bp, bias, cc, b.panel_cols[panel]);
    }
  }
}

// Rows [0, m) against panels [p0, p1): six rows at a time (their A values stay in L1 while the
// panels stream past), then the remainder. Row r of A starts at a_row(r), of C at c_row(r).
template <typename RowA, typename RowC>
void RowGroups(RowA a_row, RowC c_row, const int64_t* tap_off, int64_t taps, int64_t cin, const PackedB& b, size_t p0, size_t p1, int64_t m) {
  constexpr int kMr = 6;
  const float* a[kMr];
  float* c[kMr];
  int64_t r = 0;
  for (; r + kMr <= m; r += kMr) {
    for (int i = 0; i < kMr; ++i) a[i] = a_row(r + i), c[i] = c_row(r + i);
    Rows<kMr>(a, tap_off, taps, cin, b, p0, p1, c);
  }
  for (int i = 0; r + i < m; ++i) a[i] = a_row(r + i), c[i] = c_row(r + i);
  switch (m - r) {
    case 5: Rows<5>(a, tap_off, taps, cin, b, p0, p1, c); break;
    case 4: Rows<4>(a, tap_off, taps, cin, b, p0, p1, c); break;
    case 3: Rows<3>(a, tap_off, taps, cin, b, p0, p1, c); break;
    case 2: Rows<2>(a, tap_off, taps, cin, b, p0, p1, c); break;
    case 1: Rows<1>(a, tap_off, taps, cin, b, p0, p1, c); break;
    default: break;
  }
}

// Weights that fit L2 stream past each group of rows; larger ones (a 1x1 conv with hundreds of
// channels on a small map) are taken a few panels at a time, each reused by every row.
template <typename RowA, typename RowC>
void AllPanels(RowA a_row, RowC c_row, const int64_t* tap_off, int64_t taps, int64_t cin, const PackedB& b, int64_t m) {
  constexpr size_t kL2Floats = 32 * 1024;
  const size_t panels = b.panel_offset.size();
  if (b.data.size() <= kL2Floats) {
    RowGroups(a_row, c_row, tap_off, taps, cin, b, 0, panels, m);
    return;
  }
  const size_t per_step = std::max<size_t>(1, kL2Floats / std::max<size_t>(1, static_cast<size_t>(b.k) * 16));
  for (size_t p0 = 0; p0 < panels; p0 += per_step) RowGroups(a_row, c_row, tap_off, taps, cin, b, p0, std::min(panels, p0 + per_step), m);
}

// Row addressers: rows at a fixed stride, or listed.
struct Strided {
  const float* base;
  int64_t ld;
  const float* operator()(int64_t r) const { return base + r * ld; }
};
struct StridedOut {
  float* base;
  int64_t ld;
  float* operator()(int64_t r) const { return base + r * ld; }
};

}  // namespace

void PackedGemmTaps(const float* a, int64_t lda, const int64_t* tap_off, int64_t taps, int64_t cin, const PackedB& b, int64_t m, float* c,
                    int64_t ldc) {
  AllPanels(Strided{a, lda}, StridedOut{c, ldc}, tap_off, taps, cin, b, m);
}

void PackedGemmRows(const float* const* a_rows, const int64_t* tap_off, int64_t taps, int64_t cin, const PackedB& b, int64_t m, float* const* c_rows) {
  AllPanels([a_rows](int64_t r) { return a_rows[r]; }, [c_rows](int64_t r) { return c_rows[r]; }, tap_off, taps, cin, b, m);
}

void PackedGemmPanels(const float* a, int64_t lda, const PackedB& b, size_t p0, size_t p1, int64_t m, float* c, int64_t ldc) {
  const int64_t no_offset = 0;
  RowGroups(Strided{a, lda}, StridedOut{c, ldc}, &no_offset, 1, b.k, b, p0, std::min(p1, b.panel_offset.size()), m);
}

void PackedGemm(const float* a, int64_t lda, const PackedB& b, int64_t m, float* c, int64_t ldc) {
  const int64_t no_offset = 0;
  PackedGemmTaps(a, lda, &no_offset, 1, b.k, b, m, c, ldc);
}

#else

void PackedGemmTaps(const float*, int64_t, const int64_t*, int64_t, int64_t, const PackedB&, int64_t, float*, int64_t) {}
void PackedGemmRows(const float* const*, const int64_t*, int64_t, int64_t, const PackedB&, int64_t, float* const*) {}
void PackedGemmPanels(const float*, int64_t, const PackedB&, size_t, size_t, int64_t, float*, int64_t) {}
void PackedGemm(const float*, int64_t, const PackedB&, int64_t, float*, int64_t) {}

#endif

}  // namespace md
