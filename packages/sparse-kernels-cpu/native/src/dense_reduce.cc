// Reduce over any set of axes, every kind of the IR. Each output value accumulates its group in
// double, visiting the group's inputs in storage order exactly as the reference kernel
// (reference-backend/src/reduce.ts) does, so sums round the same way; logSumExp takes a first pass
// for the maximum so that exp never overflows.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "dense_ops.h"
#include "thread_pool.h"

namespace md {
namespace {

enum class ReduceKind : int32_t {
  kMean = 0,
  kMax = 1,
  kMin = 2,
  kSum = 3,
  kProd = 4,
  kL1 = 5,
  kL2 = 6,
  kSumSquare = 7,
  kLogSum = 8,
  kLogSumExp = 9,
};

// The walk of one output row: `inner` contiguous outputs (the last axis when it is kept, else 1),
// each fed by the reduced axes. When the last axis is reduced its `red_inner` values are
// contiguous in x and walked as the innermost loop.
struct Plan {
  std::vector<int64_t> kept_dims, kept_strides;  // kept axes but a kept last one, outer first
  std::vector<int64_t> red_dims, red_strides;    // reduced axes but a reduced last one
  int64_t inner = 1, red_inner = 1;
  int64_t rows = 0;
  double group = 1;
};

Plan MakePlan(const ReduceArgs& a) {
  Plan p;
  const int64_t rank = static_cast<int64_t>(a.shape.size());
  std::vector<int64_t> strides(static_cast<size_t>(rank), 1);
  for (int64_t d = rank - 2; d >= 0; --d) strides[d] = strides[d + 1] * a.shape[d + 1];
  const bool last_reduced = a.reduced[rank - 1] != 0;
  for (int64_t d = 0; d < rank; ++d) {
    if (a.reduced[d]) p.group *= static_cast<double>(a.shape[d]);
    if (d == rank - 1) break;
    if (a.reduced[d]) {
      p.red_dims.push_back(a.shape[d]);
      p.red_strides.push_back(strides[d]);
    } else {
      p.kept_dims.push_back(a.shape[d]);
      p.kept_strides.push_back(strides[d]);
    }
  }
  if (last_reduced)
    p.red_inner = a.shape[rank - 1];
  else
    p.inner = a.shape[rank - 1];
  p.rows = p.inner == 0 ? 0 : static_cast<int64_t>(a.out.length) / p.inner;
  return p;
}

// Calls f(offset) for every combination of the reduced outer axes, in storage order.
template <typename F>
void ForEachGroupOffset(const Plan& p, int64_t base, std::vector<int64_t>& index, F&& f) {
  const int64_t n = static_cast<int64_t>(p.red_dims.size());
  for (int64_t d = 0; d < n; ++d) {
    if (p.red_dims[d] == 0) return;
    index[d] = 0;
  }
  int64_t off = base;
  while (true) {
    f(off);
    int64_t d = n - 1;
    for (; d >= 0; --d) {
      ++index[d];
      off += p.red_strides[d];
      if (index[d] < p.red_dims[d]) break;
      off -= p.red_strides[d] * p.red_dims[d];
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

// Folds every input of each output of a row into acc (one double per output of the row).
template <typename Combine>
void Accumulate(const Plan& p, const float* x, int64_t base, std::vector<int64_t>& index, double* acc, Combine combine) {
  if (p.red_inner == 0) return;
  ForEachGroupOffset(p, base, index, [&](int64_t off) {
    const float* xs = x + off;
    if (p.red_inner == 1) {
      for (int64_t j = 0; j < p.inner; ++j) acc[j] = combine(acc[j], static_cast<double>(xs[j]));
    } else {
      double v = acc[0];
      for (int64_t k = 0; k < p.red_inner; ++k) v = combine(v, static_cast<double>(xs[k]));
      acc[0] = v;
    }
  });
}

double Identity(ReduceKind kind) {
  switch (kind) {
    case ReduceKind::kMax:
    case ReduceKind::kLogSumExp:
      return -std::numeric_limits<double>::infinity();
    case ReduceKind::kMin:
      return std::numeric_limits<double>::infinity();
    case ReduceKind::kProd:
      return 1;
    default:
      return 0;
  }
}

template <typename Combine, typename Finish>
void ReduceRows(const ReduceArgs& a, const Plan& p, double identity, Combine combine, Finish finish) {
  const float* x = a.x.data;
  float* out = a.out.data;
  const int64_t work = std::max<int64_t>(1, p.inner * static_cast<int64_t>(std::min(p.group, 1e9)));
  parallel_for(0, p.rows, std::max<int64_t>(1, 16384 / work), [&](int64_t r0, int64_t r1) {
    std::vector<double> acc(static_cast<size_t>(p.inner));
    std::vector<int64_t> index(p.red_dims.size());
    for (int64_t r = r0; r < r1; ++r) {
      int64_t base = 0;
      for (int64_t d = static_cast<int64_t>(p.kept_dims.size()) - 1, rest = r; d >= 0; --d) {
        base += (rest % p.kept_dims[d]) * p.kept_strides[d];
        rest /= p.kept_dims[d];
      }
      std::fill(acc.begin(), acc.end(), identity);
      Accumulate(p, x, base, index, acc.data(), combine);
      finish(x, base, index, acc.data(), out + r * p.inner);
    }
  });
}

template <typename Combine, typename Final>
void Simple(const ReduceArgs& a, const Plan& p, ReduceKind kind, Combine combine, Final final_value) {
  ReduceRows(a, p, Identity(kind), combine, [&](const float*, int64_t, std::vector<int64_t>&, const double* acc, float* o) {
    for (int64_t j = 0; j < p.inner; ++j) o[j] = static_cast<float>(final_value(acc[j]));
  });
}

}  // namespace

void RunReduce(const ReduceArgs& a) {
  if (a.out.length == 0) return;
  const Plan p = MakePlan(a);
  const auto kind = static_cast<ReduceKind>(a.kind);
  const auto same = [](double v) { return v; };
  const auto add = [](double acc, double v) { return acc + v; };
  switch (kind) {
    case ReduceKind::kMean: {
      const double group = p.group;
      Simple(a, p, kind, add, [group](double v) { return v / group; });
      return;
    }
    case ReduceKind::kSum:
      Simple(a, p, kind, add, same);
      return;
    case ReduceKind::kLogSum:
      Simple(a, p, kind, add, [](double v) { return std::log(v); });
      return;
    // NaN propagates, as in ONNX Runtime, TensorFlow and the reference.
    case ReduceKind::kMax:
      Simple(
          a, p, kind, [](double acc, double v) { return v > acc || v != v ? v : acc; }, same);
      return;
    case ReduceKind::kMin:
      Simple(
          a, p, kind, [](double acc, double v) { return v < acc || v != v ? v : acc; }, same);
      return;
    case ReduceKind::kProd:
      Simple(
          a, p, kind, [](double acc, double v) { return acc * v; }, same);
      return;
    case ReduceKind::kL1:
      Simple(
          a, p, kind, [](double acc, double v) { return acc + std::fabs(v); }, same);
      return;
    case ReduceKind::kL2:
      Simple(
          a, p, kind, [](double acc, double v) { return acc + v * v; }, [](double v) { return std::sqrt(v); });
      return;
    case ReduceKind::kSumSquare:
      Simple(
          a, p, kind, [](double acc, double v) { return acc + v * v; }, same);
      return;
    case ReduceKind::kLogSumExp: {
      // Pass 1 (in ReduceRows) finds each maximum (NaN ignored, as `x > max` is); pass 2 sums
      // exp(x - max). A group whose maximum is infinite stays at its maximum.
      ReduceRows(
          a, p, Identity(kind), [](double acc, double v) { return v > acc ? v : acc; },
          [&](const float* x, int64_t base, std::vector<int64_t>& index, const double* max, float* o) {
            thread_local std::vector<double> sum;
            sum.assign(static_cast<size_t>(p.inner), 0.0);
            if (p.red_inner > 0) {
              ForEachGroupOffset(p, base, index, [&](int64_t off) {
                const float* xs = x + off;
                if (p.red_inner == 1) {
                  for (int64_t j = 0; j < p.inner; ++j) {
                    if (std::isfinite(max[j])) sum[j] += std::exp(static_cast<double>(xs[j]) - max[j]);
                  }
                } else if (std::isfinite(max[0])) {
                  double s = sum[0];
                  for (int64_t k = 0; k < p.red_inner; ++k) s += std::exp(static_cast<double>(xs[k]) - max[0]);
                  sum[0] = s;
                }
              });
            }
            for (int64_t j = 0; j < p.inner; ++j) o[j] = static_cast<float>(std::isfinite(max[j]) ? std::log(sum[j]) + max[j] : max[j]);
          });
      return;
    }
  }
}

}  // namespace md
