// Layout and normalization kernels the compiled programs run natively: Transpose (any rank, an
// output-ordered walk with the input read through permuted strides) and Softmax along one axis
// (the maximum subtracted first, sums in double, as the reference kernel does), and the strided
// gather behind Slice, DepthToSpace and SpaceToDepth.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "dense_ops.h"
#include "thread_pool.h"

namespace md {

void RunTranspose(const TransposeArgs& a) {
  const int64_t rank = static_cast<int64_t>(a.shape.size());
  if (a.out.length == 0) return;
  std::vector<int64_t> in_strides(static_cast<size_t>(rank), 1), out_shape(static_cast<size_t>(rank)), read(static_cast<size_t>(rank));
  for (int64_t d = rank - 2; d >= 0; --d) in_strides[d] = in_strides[d + 1] * a.shape[d + 1];
  for (int64_t d = 0; d < rank; ++d) {
    out_shape[d] = a.shape[a.perm[d]];
    read[d] = in_strides[a.perm[d]];
  }
  const int64_t row = out_shape[rank - 1];
  const int64_t step = read[rank - 1];
  const int64_t rows = static_cast<int64_t>(a.out.length) / row;
  const float* x = a.x.data;
  float* out = a.out.data;
  parallel_for(0, rows, std::max<int64_t>(1, 4096 / row), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      int64_t base = 0;
      for (int64_t d = rank - 2, rest = r; d >= 0; --d) {
        base += (rest % out_shape[d]) * read[d];
        rest /= out_shape[d];
      }
      float* o = out + r * row;
      for (int64_t i = 0; i < row; ++i) o[i] = x[base + i * step];
    }
  });
}

void RunSoftmax(const SoftmaxArgs& a) {
  if (a.out.length == 0 || a.length == 0) return;
  const int64_t length = a.length, inner = a.inner;
  const float* x = a.x.data;
  float* out = a.out.data;
  parallel_for(0, a.outer * inner, std::max<int64_t>(1, 4096 / length), [&](int64_t p0, int64_t p1) {
    std::vector<double> exps(static_cast<size_t>(length));
    for (int64_t p = p0; p < p1; ++p) {
      const int64_t o = p / inner, i = p - o * inner;
      const float* xs = x + o * length * inner + i;
      float* os = out + o * length * inner + i;
      float max = -INFINITY;
      for (int64_t k = 0; k < length; ++k) max = std::max(max, xs[k * inner]);
      double sum = 0;
      for (int64_t k = 0; k < length; ++k) {
        exps[k] = std::exp(static_cast<double>(xs[k * inner]) - static_cast<double>(max));
        sum += exps[k];
      }
      for (int64_t k = 0; k < length; ++k) os[k * inner] = static_cast<float>(exps[k] / sum);
    }
  });
}

void RunStridedCopy(const StridedCopyArgs& a) {
  if (a.out.length == 0) return;
  const int64_t rank = static_cast<int64_t>(a.shape.size());
  const int64_t row = a.shape[rank - 1];
  const int64_t step = a.strides[rank - 1];
  const int64_t rows = static_cast<int64_t>(a.out.length) / row;
  const float* x = a.x.data;
  float* out = a.out.data;
  parallel_for(0, rows, std::max<int64_t>(1, 4096 / row), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      int64_t at = a.base;
      for (int64_t d = rank - 2, rest = r; d >= 0; --d) {
        at += (rest % a.shape[d]) * a.strides[d];
        rest /= a.shape[d];
      }
      float* o = out + r * row;
      if (step == 1) {
        std::memcpy(o, x + at, sizeof(float) * row);
      } else {
        for (int64_t i = 0; i < row; ++i) o[i] = x[at + i * step];
      }
    }
  });
}

}  // namespace md
