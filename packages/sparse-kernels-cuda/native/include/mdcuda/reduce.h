// Reduce over any set of axes (every ReduceKind) and DepthToSpace / SpaceToDepth, per output
// element. A reduction visits its group in increasing input offset, the order in which the
// reference's storage-order walk meets it, and accumulates in double as the reference does.
#pragma once

#include <cmath>

#include "binary.h"
#include "hd.h"

namespace mdcuda {

/** Reduce kinds (case files). */
enum class ReduceKind : int {
  kSum = 0,
  kMean = 1,
  kMax = 2,
  kMin = 3,
  kProd = 4,
  kL1 = 5,
  kL2 = 6,
  kLogSum = 7,
  kLogSumExp = 8,
  kSumSquare = 9
};

/** The input's dims and strides split into kept axes (what indexes the output) and reduced ones (a group). */
struct ReduceGeometry {
  ReduceKind kind;
  int kept;
  int reduced;
  int64_t kept_dims[kMaxRank];
  int64_t kept_strides[kMaxRank];
  int64_t reduced_dims[kMaxRank];
  int64_t reduced_strides[kMaxRank];
  int64_t group_size;
};

MD_HD int64_t ReduceOffset(const int64_t* dims, const int64_t* strides, int rank, int64_t i) {
  int64_t offset = 0;
  for (int d = rank - 1; d >= 0; d--) {
    offset += (i % dims[d]) * strides[d];
    i /= dims[d];
  }
  return offset;
}

/** Output element `o`. */
MD_HD float ReduceElement(const ReduceGeometry& g, const float* x, int64_t o) {
  const int64_t base = ReduceOffset(g.kept_dims, g.kept_strides, g.kept, o);
  if (g.kind == ReduceKind::kLogSumExp) {
    double max = -INFINITY;
    for (int64_t k = 0; k < g.group_size; k++) {
      const double v = x[base + ReduceOffset(g.reduced_dims, g.reduced_strides, g.reduced, k)];
      if (v > max) max = v;
    }
    if (!(max - max == 0.0)) return static_cast<float>(max);  // an infinite (or NaN) maximum stays as it is
    double sum = 0;
    for (int64_t k = 0; k < g.group_size; k++) sum += exp(x[base + ReduceOffset(g.reduced_dims, g.reduced_strides, g.reduced, k)] - max);
    return static_cast<float>(log(sum) + max);
  }
  double acc = g.kind == ReduceKind::kMax ? -INFINITY : g.kind == ReduceKind::kMin ? INFINITY : g.kind == ReduceKind::kProd ? 1.0 : 0.0;
  for (int64_t k = 0; k < g.group_size; k++) {
    const double v = x[base + ReduceOffset(g.reduced_dims, g.reduced_strides, g.reduced, k)];
    switch (g.kind) {
      case ReduceKind::kMax:
        if (v > acc || v != v) acc = v;
        break;
      case ReduceKind::kMin:
        if (v < acc || v != v) acc = v;
        break;
      case ReduceKind::kProd:
        acc *= v;
        break;
      case ReduceKind::kL1:
        acc += fabs(v);
        break;
      case ReduceKind::kL2:
      case ReduceKind::kSumSquare:
        acc += v * v;
        break;
      default:
        acc += v;
    }
  }
  switch (g.kind) {
    case ReduceKind::kMean:
      return static_cast<float>(acc / static_cast<double>(g.group_size));
    case ReduceKind::kL2:
      return static_cast<float>(sqrt(acc));
    case ReduceKind::kLogSum:
      return static_cast<float>(log(acc));
    default:
      return static_cast<float>(acc);
  }
}

/**
 * DepthToSpace (DCR or CRD) / SpaceToDepth on NHWC, as a map from each element of the deep side
 * [N, H, W, C*b*b] (in storage order) to its offset on the shallow side [N, H*b, W*b, C].
 */
struct DepthSpaceGeometry {
  int n;
  int h;
  int w;
  int block;
  int deep_c;
  bool crd;
};

MD_HD int64_t ShallowOffsetOfDeep(const DepthSpaceGeometry& g, int64_t deep) {
  const int b = g.block;
  const int c = g.deep_c / (b * b);
  const int k = static_cast<int>(deep % g.deep_c);
  int64_t rest = deep / g.deep_c;
  const int xx = static_cast<int>(rest % g.w);
  rest /= g.w;
  const int y = static_cast<int>(rest % g.h);
  const int64_t bi = rest / g.h;
  const int block = g.crd ? k % (b * b) : k / c;
  const int ch = g.crd ? k / (b * b) : k % c;
  const int i = block / b, j = block % b;
  return ((bi * g.h * b + y * b + i) * (static_cast<int64_t>(g.w) * b) + xx * b + j) * c + ch;
}

}  // namespace mdcuda
