// Gemm and batched MatMul on the packed kernel (dense_sgemm.h). Each distinct B is packed once
// (in parallel over the batch), then the products are split into row (or, for few rows, column)
// panels that the pool's threads multiply, so a batch of small products is spread over them too.
#include <algorithm>
#include <vector>

#include "common_activation.h"
#include "dense_ops.h"
#include "dense_sgemm.h"
#include "thread_pool.h"

namespace md {
namespace {

struct Product {
  int64_t m, k, n;
  bool trans_a, trans_b;
};

// Panels per product: enough to feed every thread, none smaller than 16 rows/columns.
int64_t PanelCount(int64_t extent, int64_t batches) {
  const int64_t want = std::max<int64_t>(1, (num_threads() * 4 + batches - 1) / batches);
  return std::max<int64_t>(1, std::min(want, (extent + 15) / 16));
}

// Below this many rows a product streams B instead of packing it: packing copies all of B, which
// costs more than multiplying one to three rows by it (a classifier head: 1 x 1280 by 1280 x 1000
// took 1.4-1.8 ms packed against 0.5 ms for OpenBLAS's GEMV, 2 threads).
constexpr int64_t kFewRows = 4;

// Columns [j0, j1) of C (m < kFewRows rows, ldc = n) = op(A) op(B), reading each value of B once.
void FewRowsColumns(const Product& pr, const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t j0, int64_t j1) {
  const auto a_at = [&](int64_t i, int64_t p) { return pr.trans_a ? a[p * lda + i] : a[i * lda + p]; };
  if (!pr.trans_b) {
    // Rows of B, contiguous over the columns, added (scaled) into every row of C four at a time,
    // so each row of C is loaded and stored once per four rows of B.
    for (int64_t i = 0; i < pr.m; ++i) {
      float* __restrict ci = c + i * pr.n;
      std::fill(ci + j0, ci + j1, 0.f);
      int64_t p = 0;
      for (; p + 4 <= pr.k; p += 4) {
        const float a0 = a_at(i, p), a1 = a_at(i, p + 1), a2 = a_at(i, p + 2), a3 = a_at(i, p + 3);
        const float* __restrict b0 = b + p * ldb;
        const float* __restrict b1 = b0 + ldb;
        const float* __restrict b2 = b1 + ldb;
        const float* __restrict b3 = b2 + ldb;
        for (int64_t j = j0; j < j1; ++j) ci[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
      }
      for (; p < pr.k; ++p) {
        const float ap = a_at(i, p);
        const float* __restrict bp = b + p * ldb;
        for (int64_t j = j0; j < j1; ++j) ci[j] += ap * bp[j];
      }
    }
    return;
  }
  // op(B) = B^T: each column of C is a dot product with one contiguous row of B, summed in eight
  // lanes so the compiler can vectorize it.
  constexpr int kLanes = 8;
  for (int64_t j = j0; j < j1; ++j) {
    const float* bj = b + j * ldb;
    for (int64_t i = 0; i < pr.m; ++i) {
      float lanes[kLanes] = {};
      int64_t p = 0;
      if (!pr.trans_a) {
        const float* ai = a + i * lda;
        for (; p + kLanes <= pr.k; p += kLanes) {
          for (int l = 0; l < kLanes; ++l) lanes[l] += ai[p + l] * bj[p + l];
        }
      }
      float sum = 0.f;
      for (; p < pr.k; ++p) sum += a_at(i, p) * bj[p];
      for (int l = 0; l < kLanes; ++l) sum += lanes[l];
      c[i * pr.n + j] = sum;
    }
  }
}

// `batches` products C_i (m x n, row-major, one after the other) = op(A_i) op(B_i), with A_i and
// B_i at the given offsets. Broadcast batches share one B offset, which is packed once.
void BatchedGemm(const Product& pr, const float* a, const float* b, float* c, const std::vector<int64_t>& a_off,
                 const std::vector<int64_t>& b_off) {
  const int64_t batches = static_cast<int64_t>(a_off.size());
  const int64_t lda = std::max<int64_t>(1, pr.trans_a ? pr.m : pr.k);
  const int64_t ldb = std::max<int64_t>(1, pr.trans_b ? pr.k : pr.n);
  if (pr.m < kFewRows) {
    const int64_t parts = std::min(PanelCount(pr.n, batches), (pr.n + 63) / 64);
    parallel_for(0, batches * parts, 1, [&](int64_t u0, int64_t u1) {
      for (int64_t u = u0; u < u1; ++u) {
        const int64_t batch = u / parts, q = u - batch * parts;
        FewRowsColumns(pr, a + a_off[batch], lda, b + b_off[batch], ldb, c + batch * pr.m * pr.n, pr.n * q / parts, pr.n * (q + 1) / parts);
      }
    });
    return;
  }
  std::vector<int64_t> distinct(b_off);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  std::vector<PackedB> packed(distinct.size());
  parallel_for(0, static_cast<int64_t>(distinct.size()), 1, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) packed[i] = PackOpB(b + distinct[i], ldb, pr.trans_b, pr.k, pr.n);
  });
  std::vector<std::size_t> b_index(static_cast<std::size_t>(batches));
  for (int64_t i = 0; i < batches; ++i) {
    b_index[i] = static_cast<std::size_t>(std::lower_bound(distinct.begin(), distinct.end(), b_off[i]) - distinct.begin());
  }
  const bool by_rows = pr.m >= pr.n;
  const int64_t column_panels = (pr.n + 15) / 16;  // the packed B's panels of 16 (or a last 8) columns
  const int64_t parts = by_rows ? PanelCount(pr.m, batches) : std::min(PanelCount(pr.n, batches), column_panels);
  parallel_for(0, batches * parts, 1, [&](int64_t u0, int64_t u1) {
    for (int64_t u = u0; u < u1; ++u) {
      const int64_t batch = u / parts, q = u - batch * parts;
      const PackedB& pb = packed[b_index[batch]];
      const float* ab = a + a_off[batch];
      float* cb = c + batch * pr.m * pr.n;
      if (by_rows) {
        const int64_t r0 = pr.m * q / parts, r1 = pr.m * (q + 1) / parts;
        const float* ar = pr.trans_a ? ab + r0 : ab + r0 * lda;
        GemmPackedB(pr.trans_a, r1 - r0, ar, lda, pb, 0, pb.panel_offset.size(), cb + r0 * pr.n, pr.n);
      } else {
        const std::size_t total = pb.panel_offset.size();
        GemmPackedB(pr.trans_a, pr.m, ab, lda, pb, total * q / parts, total * (q + 1) / parts, cb, pr.n);
      }
    }
  });
}

}  // namespace

void RunGemm(const GemmArgs& a) {
  if (a.out.length == 0) return;  // (n = 0 under millions of rows: the C loop would still walk them)
  const auto& g = a.geometry;
  const Product pr{g[0], g[1], g[2], g[3] != 0, g[4] != 0};
  const int64_t c_row = g[5], c_col = g[6];
  BatchedGemm(pr, a.a.data, a.b.data, a.out.data, {0}, {0});
  const bool with_c = a.c.data && a.beta != 0.f;
  if (with_c || a.alpha != 1.f) {
    for (int64_t i = 0; i < pr.m; ++i) {
      float* row = a.out.data + i * pr.n;
      for (int64_t j = 0; j < pr.n; ++j) row[j] *= a.alpha;
      if (with_c) {
        for (int64_t j = 0; j < pr.n; ++j) row[j] += a.beta * a.c.data[i * c_row + j * c_col];
      }
    }
  }
  a.act.apply(a.out.data, pr.m, pr.n);
}

void RunMatMul(const MatMulArgs& a) {
  if (a.out.length == 0) return;
  const auto& g = a.geometry;
  const Product pr{g[0], g[1], g[2], false, false};
  const int64_t batches = g[3], channels = g[4];
  BatchedGemm(pr, a.a.data, a.b.data, a.out.data, a.a_offsets, a.b_offsets);
  a.act.apply(a.out.data, batches * pr.m * pr.n / channels, channels);
}

}  // namespace md
