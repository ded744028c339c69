// A GEMM for convolutions: C[m x n] = A[m x k] * B[k x n] (+ bias per column), with B packed once
// per call into column panels and A read in place (an im2col block, or the NHWC input itself for
// a 1x1 convolution). Unlike a library sgemm it never copies A, so small-K and small-N shapes (an
// RGB stem, 16 output channels) cost what their multiply-adds cost; the register tile is 6 rows x
// 16 columns of AVX2 FMA accumulators (dense_packed_gemm_avx2.cc) on a CPU with AVX2 and FMA, 3
// rows x 16 columns of SSE2 multiply-adds (dense_packed_gemm_baseline.cc) on any other x86-64,
// chosen at load through the kernel table of cpu_isa.h. It is the only GEMM of the addon: MatMul,
// Gemm and the im2col paths of the convolutions reach it through Sgemm (dense_sgemm.h), so the
// addon needs no BLAS library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "native_options.h"

namespace md {

// Whether convolutions (dense and delta) use the weights packed once per weight tensor (the
// implicit and indirection paths), unless MD_CONV_GEMM=blas forces the general paths: im2col
// rows and Sgemm, which packs the weights on every call as a BLAS sgemm does (read when the call
// starts; for tests and side-by-side comparisons).
bool UsePackedGemm(const ConvOptions& options);

// B (k x n, leading dimension ldb) re-laid out as panels of 16 columns (the last one 8 or 16
// wide), each k rows of contiguous panel-width values, zero-padded. Bias (may be null) is padded
// the same way.
struct PackedB {
  int64_t k = 0;
  int64_t n = 0;
  std::vector<float> data;
  std::vector<float> bias;            // empty without bias
  std::vector<int64_t> panel_offset;  // where each panel starts in `data`
  std::vector<int64_t> panel_col;     // its first column in B
  std::vector<int32_t> panel_width;   // 16, or 8 for a narrow last panel
  std::vector<int32_t> panel_cols;    // valid columns in the panel
};

PackedB PackB(const float* b, int64_t ldb, int64_t k, int64_t n, const float* bias);

// C rows [0, m) = A rows [0, m) * B (+ bias). Single-threaded; callers split rows across threads.
void PackedGemm(const float* a, int64_t lda, const PackedB& b, int64_t m, float* c, int64_t ldc);

// Only the columns of panels [p0, p1) (see PackedB::panel_col), for splitting a product with few
// rows and many columns across threads.
void PackedGemmPanels(const float* a, int64_t lda, const PackedB& b, std::size_t p0, std::size_t p1, int64_t m, float* c, int64_t ldc);

// The same product with the reduction (b.k = taps * cin) read in `taps` slices: slice t of row r
// is the `cin` values at a + tap_off[t] + r * lda. A convolution's rows are then read straight from
// its NHWC input (one slice per kernel tap), with no im2col copy.
void PackedGemmTaps(const float* a, int64_t lda, const int64_t* tap_off, int64_t taps, int64_t cin, const PackedB& b, int64_t m, float* c,
                    int64_t ldc);

// The same with every row given by pointer (an indirection GEMM): row r's slices at a_rows[r] +
// tap_off[t], its result at c_rows[r]. Rows that are not evenly spaced (the scattered outputs of
// a delta convolution) then still fill whole register tiles.
void PackedGemmRows(const float* const* a_rows, const int64_t* tap_off, int64_t taps, int64_t cin, const PackedB& b, int64_t m,
                    float* const* c_rows);

}  // namespace md
