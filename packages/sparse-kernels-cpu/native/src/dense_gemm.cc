// Gemm and batched MatMul on OpenBLAS. Each product is split into row (or, for few rows, column)
// panels that parallel chunks multiply with single-threaded sgemm, so the pool's threads are the
// only ones computing and a batch of small products is spread over them too.
#include <algorithm>
#include <vector>

#include "common_activation.h"
#include "common_blas.h"
#include "dense_ops.h"
#include "thread_pool.h"

namespace md {
namespace {

struct Product {
  int64_t m, k, n;
  bool trans_a, trans_b;
  float alpha;
};

// Panels per product: enough to feed every thread, none smaller than 16 rows/columns.
int64_t PanelCount(int64_t extent, int64_t batches) {
  const int64_t want = std::max<int64_t>(1, (num_threads() * 4 + batches - 1) / batches);
  return std::max<int64_t>(1, std::min(want, (extent + 15) / 16));
}

// C (m x n, row-major, ldc = n) = alpha * op(A) op(B) for panel `p` of `panels`.
void SgemmPanel(const Product& pr, const float* a, const float* b, float* c, int64_t p, int64_t panels, bool by_rows) {
  const int64_t lda = std::max<int64_t>(1, pr.trans_a ? pr.m : pr.k);
  const int64_t ldb = std::max<int64_t>(1, pr.trans_b ? pr.k : pr.n);
  const int64_t extent = by_rows ? pr.m : pr.n;
  const int64_t begin = extent * p / panels, end = extent * (p + 1) / panels;
  if (end <= begin) return;
  const CBLAS_TRANSPOSE ta = pr.trans_a ? CblasTrans : CblasNoTrans;
  const CBLAS_TRANSPOSE tb = pr.trans_b ? CblasTrans : CblasNoTrans;
  if (by_rows) {
    const float* ap = pr.trans_a ? a + begin : a + begin * lda;
    cblas_sgemm(CblasRowMajor, ta, tb, static_cast<int>(end - begin), static_cast<int>(pr.n), static_cast<int>(pr.k), pr.alpha, ap,
                static_cast<int>(lda), b, static_cast<int>(ldb), 0.f, c + begin * pr.n, static_cast<int>(std::max<int64_t>(1, pr.n)));
  } else {
    const float* bp = pr.trans_b ? b + begin * ldb : b + begin;
    cblas_sgemm(CblasRowMajor, ta, tb, static_cast<int>(pr.m), static_cast<int>(end - begin), static_cast<int>(pr.k), pr.alpha, a,
                static_cast<int>(lda), bp, static_cast<int>(ldb), 0.f, c + begin, static_cast<int>(std::max<int64_t>(1, pr.n)));
  }
}

// `batches` products of the same shape at the given offsets, spread over the pool.
void BatchedSgemm(const Product& pr, const float* a, const float* b, float* c, const std::vector<int64_t>& a_off,
                  const std::vector<int64_t>& b_off) {
  const int64_t batches = static_cast<int64_t>(a_off.size());
  const bool by_rows = pr.m >= pr.n;
  const int64_t panels = PanelCount(by_rows ? pr.m : pr.n, batches);
  BlasSingleThread single_threaded_blas;
  parallel_for(0, batches * panels, 1, [&](int64_t u0, int64_t u1) {
    for (int64_t u = u0; u < u1; ++u) {
      const int64_t batch = u / panels;
      SgemmPanel(pr, a + a_off[batch], b + b_off[batch], c + batch * pr.m * pr.n, u - batch * panels, panels, by_rows);
    }
  });
}

}  // namespace

void RunGemm(const GemmArgs& a) {
  if (a.out.length == 0) return;  // (n = 0 under millions of rows: the C loop would still walk them)
  const auto& g = a.geometry;
  const Product pr{g[0], g[1], g[2], g[3] != 0, g[4] != 0, a.alpha};
  const int64_t c_row = g[5], c_col = g[6];
  BatchedSgemm(pr, a.a.data, a.b.data, a.out.data, {0}, {0});
  if (a.c.data && a.beta != 0.f) {
    for (int64_t i = 0; i < pr.m; ++i) {
      for (int64_t j = 0; j < pr.n; ++j) a.out.data[i * pr.n + j] += a.beta * a.c.data[i * c_row + j * c_col];
    }
  }
  a.act.apply(a.out.data, pr.m, pr.n);
}

void RunMatMul(const MatMulArgs& a) {
  if (a.out.length == 0) return;
  const auto& g = a.geometry;
  const Product pr{g[0], g[1], g[2], false, false, 1.f};
  const int64_t batches = g[3], channels = g[4];
  BatchedSgemm(pr, a.a.data, a.b.data, a.out.data, a.a_offsets, a.b_offsets);
  a.act.apply(a.out.data, batches * pr.m * pr.n / channels, channels);
}

}  // namespace md
