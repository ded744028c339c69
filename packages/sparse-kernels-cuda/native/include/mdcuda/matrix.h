// Matrix products (MatMul with batch broadcasting, Gemm with transposes, alpha, beta and a
// broadcast C), Softmax along one axis and Slice, per output element. Products and softmax sums
// run in double and round once, as the reference does; batch offsets, transposes and slice
// starts/steps come resolved from core's geometry functions.
#pragma once

#include <cmath>

#include "binary.h"
#include "hd.h"

namespace mdcuda {

/** One operand of a product: element (i, p) at offset + i*row_stride + p*col_stride. */
struct MatrixView {
  const float* data;
  int64_t row_stride;
  int64_t col_stride;
};

/** sum over p < k of a(i, p) * b(p, j), in double, with per-batch offsets. */
MD_HD double MatrixProductElement(const MatrixView& a, int64_t a_offset, const MatrixView& b, int64_t b_offset, int k, int i, int j) {
  double acc = 0;
  for (int p = 0; p < k; p++) {
    acc += static_cast<double>(a.data[a_offset + i * a.row_stride + p * a.col_stride]) *
           b.data[b_offset + p * b.row_stride + j * b.col_stride];
  }
  return acc;
}

/** Gemm's element before the activation: alpha * product, then + beta * C (rounded as the reference rounds each step). */
MD_HD float GemmElement(double product, double alpha, const float* c, int64_t c_offset, double beta) {
  const float scaled = static_cast<float>(alpha * product);
  if (c == nullptr || beta == 0) return scaled;
  return static_cast<float>(scaled + beta * c[c_offset]);
}

/** Softmax of the row (o, i): its `length` values at base + k*inner; writes all of them. */
MD_HD void SoftmaxRow(const float* x, float* y, int64_t base, int64_t length, int64_t inner) {
  double max = -INFINITY;
  for (int64_t k = 0; k < length; k++) max = fmax(max, static_cast<double>(x[base + k * inner]));
  double sum = 0;
  for (int64_t k = 0; k < length; k++) sum += exp(x[base + k * inner] - max);
  for (int64_t k = 0; k < length; k++) y[base + k * inner] = static_cast<float>(exp(x[base + k * inner] - max) / sum);
}

/** Slice: output index k along axis d reads input index start[d] + k * step[d]. */
struct SliceGeometry {
  int rank;
  int64_t out_dims[kMaxRank];
  int64_t in_strides[kMaxRank];
  int64_t start[kMaxRank];
  int64_t step[kMaxRank];
};

MD_HD int64_t SliceSource(const SliceGeometry& g, int64_t i) {
  int64_t offset = 0;
  for (int d = g.rank - 1; d >= 0; d--) {
    offset += (g.start[d] + (i % g.out_dims[d]) * g.step[d]) * g.in_strides[d];
    i /= g.out_dims[d];
  }
  return offset;
}

}  // namespace mdcuda
