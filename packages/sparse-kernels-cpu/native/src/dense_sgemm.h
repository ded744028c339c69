// General single-precision products on the packed kernel (dense_packed_gemm.h), the addon's own
// replacement for a BLAS sgemm: MatMul and Gemm (transposed operands), and the im2col paths of the
// convolutions that MD_CONV_GEMM=blas forces. With it the addon links no BLAS library, so its
// binary runs wherever Node does (see the package README for the measurements behind the choice).
// Everything here is single-threaded: callers split rows or columns over md::parallel_for.
#pragma once

#include <cstddef>
#include <cstdint>

#include "dense_packed_gemm.h"

namespace md {

// op(B) (k x n) packed into panels: B itself (k x n, leading dimension ldb), or with trans_b the
// transpose of B (stored n x k, leading dimension ldb).
PackedB PackOpB(const float* b, int64_t ldb, bool trans_b, int64_t k, int64_t n);

// C (m x n, leading dimension ldc), only the columns of B's panels [p0, p1), = op(A) * B. op(A)
// is A (m x k, lda) or, with trans_a, the transpose of A (stored k x m, lda), which is copied in
// blocks of rows first because the kernel reads each row of op(A) as contiguous values.
void GemmPackedB(bool trans_a, int64_t m, const float* a, int64_t lda, const PackedB& b, std::size_t p0, std::size_t p1, float* c,
                 int64_t ldc);

// C (m x n, ldc) = op(A) * op(B), row-major: cblas_sgemm with alpha 1 and beta 0. B is packed on
// every call, as a BLAS sgemm does; a caller that multiplies by the same B again should pack it
// once (PackOpB) and call GemmPackedB.
void Sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, float* c,
           int64_t ldc);

}  // namespace md
