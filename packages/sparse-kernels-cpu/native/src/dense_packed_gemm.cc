#include "dense_packed_gemm.h"

// Packing and the entry points; the register-tile kernel itself is compiled per instruction set
// (dense_packed_gemm_avx2.cc, dense_packed_gemm_baseline.cc) and reached through the kernel table
// chosen at load (cpu_isa.h).
#include <algorithm>
#include <cstring>

#include "cpu_isa.h"

namespace md {

bool UsePackedGemm(const ConvOptions& options) { return !options.force_blas; }

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

namespace {

// The packed B as the plain arrays the ISA-specific kernels take (isa_kernels.h).
PackedPanels Panels(const PackedB& b) {
  return {b.data.data(),         b.data.size(),         b.bias.empty() ? nullptr : b.bias.data(),
          b.panel_offset.data(), b.panel_col.data(),    b.panel_width.data(),
          b.panel_cols.data(),   b.panel_offset.size(), b.k};
}

}  // namespace

void PackedGemmTaps(const float* a, int64_t lda, const int64_t* tap_off, int64_t taps, int64_t cin, const PackedB& b, int64_t m, float* c,
                    int64_t ldc) {
  Kernels().packed_gemm_taps(Panels(b), a, lda, tap_off, taps, cin, m, c, ldc);
}

void PackedGemmRows(const float* const* a_rows, const int64_t* tap_off, int64_t taps, int64_t cin, const PackedB& b, int64_t m,
                    float* const* c_rows) {
  Kernels().packed_gemm_rows(Panels(b), a_rows, tap_off, taps, cin, m, c_rows);
}

void PackedGemmPanels(const float* a, int64_t lda, const PackedB& b, size_t p0, size_t p1, int64_t m, float* c, int64_t ldc) {
  Kernels().packed_gemm_panels(Panels(b), a, lda, p0, p1, m, c, ldc);
}

void PackedGemm(const float* a, int64_t lda, const PackedB& b, int64_t m, float* c, int64_t ldc) {
  const int64_t no_offset = 0;
  PackedGemmTaps(a, lda, &no_offset, 1, b.k, b, m, c, ldc);
}

}  // namespace md
