#include "dense_sgemm.h"

#include <algorithm>
#include <vector>

namespace md {

PackedB PackOpB(const float* b, int64_t ldb, bool trans_b, int64_t k, int64_t n) {
  if (!trans_b) return PackB(b, ldb, k, n, nullptr);
  // Pack the layout of an untransposed B, then fill each panel column from one row of the stored
  // matrix (contiguous reads, strided writes into a panel that stays in cache).
  PackedB p = PackB(nullptr, 0, 0, n, nullptr);
  p.k = k;
  int64_t size = 0;
  for (std::size_t panel = 0; panel < p.panel_offset.size(); ++panel) {
    p.panel_offset[panel] = size;
    size += k * p.panel_width[panel];
  }
  p.data.assign(static_cast<std::size_t>(size), 0.f);
  for (std::size_t panel = 0; panel < p.panel_offset.size(); ++panel) {
    const int64_t width = p.panel_width[panel];
    float* dst = p.data.data() + p.panel_offset[panel];
    for (int64_t j = 0; j < p.panel_cols[panel]; ++j) {
      const float* src = b + (p.panel_col[panel] + j) * ldb;
      for (int64_t r = 0; r < k; ++r) dst[r * width + j] = src[r];
    }
  }
  return p;
}

void GemmPackedB(bool trans_a, int64_t m, const float* a, int64_t lda, const PackedB& b, std::size_t p0, std::size_t p1, float* c,
                 int64_t ldc) {
  const std::size_t panels = b.panel_offset.size();
  p1 = std::min(p1, panels);
  if (m <= 0 || p0 >= p1) return;
  auto multiply = [&](const float* rows, int64_t row_stride, int64_t count, float* out) {
    if (p0 == 0 && p1 == panels) {
      PackedGemm(rows, row_stride, b, count, out, ldc);  // steps through large B in L2-sized parts
    } else {
      PackedGemmPanels(rows, row_stride, b, p0, p1, count, out, ldc);
    }
  };
  if (!trans_a) {
    multiply(a, lda, m, c);
    return;
  }
  // About 64 KiB of op(A) rows per block, so they stay in L2 while every panel passes.
  const int64_t k = b.k;
  const int64_t block = std::max<int64_t>(6, std::min<int64_t>(m, (int64_t{1} << 14) / std::max<int64_t>(1, k)));
  std::vector<float> rows(static_cast<std::size_t>(block * std::max<int64_t>(1, k)));
  for (int64_t r0 = 0; r0 < m; r0 += block) {
    const int64_t count = std::min(block, m - r0);
    for (int64_t p = 0; p < k; ++p) {
      const float* src = a + p * lda + r0;
      for (int64_t r = 0; r < count; ++r) rows[r * k + p] = src[r];
    }
    multiply(rows.data(), k, count, c + r0 * ldc);
  }
}

void Sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, float* c,
           int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  const PackedB packed = PackOpB(b, ldb, trans_b, k, n);
  GemmPackedB(trans_a, m, a, lda, packed, 0, packed.panel_offset.size(), c, ldc);
}

}  // namespace md
