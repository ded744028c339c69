// Elementwise kernels: standalone activation, folded batch normalization, and broadcasting
// Add/Sub/Mul/Div/Max/Min. All split the tensor into whole rows (a pixel's channels, or the last axis) so
// per-channel parameters line up with the row.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "common_activation.h"
#include "dense_ops.h"
#include "thread_pool.h"

namespace md {
namespace {

// Rows per parallel chunk so a chunk is at least ~16K values: below that scheduling costs more.
int64_t RowGrain(int64_t row_length) { return std::max<int64_t>(1, (16 * 1024) / std::max<int64_t>(row_length, 1)); }

enum class BinaryOp : int32_t { kAdd = 0, kSub = 1, kMul = 2, kDiv = 3, kMax = 4, kMin = 5 };

template <BinaryOp Op>
inline float Combine(float a, float b) {
  if constexpr (Op == BinaryOp::kAdd) return a + b;
  if constexpr (Op == BinaryOp::kSub) return a - b;
  if constexpr (Op == BinaryOp::kMul) return a * b;
  if constexpr (Op == BinaryOp::kDiv) return a / b;
  // Math.max/Math.min of the reference: NaN propagates, and +0 is larger than -0.
  if constexpr (Op == BinaryOp::kMax) {
    if (a > b) return a;
    if (b > a) return b;
    if (a != a) return a;
    if (b != b) return b;
    return std::signbit(a) ? b : a;
  }
  if (a < b) return a;
  if (b < a) return b;
  if (a != a) return a;
  if (b != b) return b;
  return std::signbit(a) ? a : b;
}

// One output row (the last axis), operands read with their own strides (0 when broadcast). The
// contiguous-both case gets its own loop so it vectorizes.
template <BinaryOp Op>
void BinaryRow(const float* __restrict a, int64_t sa, const float* __restrict b, int64_t sb, float* __restrict o, int64_t n) {
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; ++i) o[i] = Combine<Op>(a[i], b[i]);
  } else if (sa == 1 && sb == 0) {
    const float bv = b[0];
    for (int64_t i = 0; i < n; ++i) o[i] = Combine<Op>(a[i], bv);
  } else if (sa == 0 && sb == 1) {
    const float av = a[0];
    for (int64_t i = 0; i < n; ++i) o[i] = Combine<Op>(av, b[i]);
  } else {
    for (int64_t i = 0; i < n; ++i) o[i] = Combine<Op>(a[i * sa], b[i * sb]);
  }
}

template <BinaryOp Op>
void Binary(const BinaryArgs& args, const float* a, const float* b, float* out, const Activation& act) {
  const int64_t rank = static_cast<int64_t>(args.shape.size());
  const int64_t row = args.shape[rank - 1];
  int64_t rows = 1;
  for (int64_t d = 0; d < rank - 1; ++d) rows *= args.shape[d];
  // Coalesced operands often leave one long row (same-shape Add): split rows into column pieces
  // so every thread gets work. A per-channel activation needs whole rows, so it keeps them.
  const bool per_channel = act.kind == ActKind::kPrelu && act.slope_len > 1;
  const int64_t pieces =
      (per_channel || rows >= 4 * num_threads()) ? 1 : std::max<int64_t>(1, std::min<int64_t>(row / 8192, 4 * num_threads()));
  const int64_t units = rows * pieces;
  parallel_for(0, units, std::max<int64_t>(1, RowGrain(row / pieces)), [&](int64_t u0, int64_t u1) {
    for (int64_t u = u0; u < u1; ++u) {
      const int64_t r = u / pieces, q = u - r * pieces;
      int64_t off_a = 0, off_b = 0;
      for (int64_t d = rank - 2, rest = r; d >= 0; --d) {
        const int64_t i = rest % args.shape[d];
        rest /= args.shape[d];
        off_a += i * args.sa[d];
        off_b += i * args.sb[d];
      }
      const int64_t c0 = row * q / pieces, c1 = row * (q + 1) / pieces;
      const int64_t sa = args.sa[rank - 1], sb = args.sb[rank - 1];
      float* o = out + r * row + c0;
      BinaryRow<Op>(a + off_a + c0 * sa, sa, b + off_b + c0 * sb, sb, o, c1 - c0);
      act.apply(o, 1, c1 - c0);
    }
  });
}

}  // namespace

void RunActivation(const ActivationArgs& a) {
  const int64_t channels = a.channels;
  const int64_t pixels = static_cast<int64_t>(a.x.length) / channels;
  const float* x = a.x.data;
  float* out = a.out.data;
  const Activation& act = a.act;
  parallel_for(0, pixels, RowGrain(channels), [&](int64_t p0, int64_t p1) {
    std::memcpy(out + p0 * channels, x + p0 * channels, sizeof(float) * (p1 - p0) * channels);
    act.apply(out + p0 * channels, p1 - p0, channels);
  });
}

void RunBatchNorm(const BatchNormArgs& a) {
  const int64_t c = static_cast<int64_t>(a.mul.length);
  const int64_t pixels = static_cast<int64_t>(a.x.length) / c;
  const float* mul = a.mul.data;
  const float* add = a.add.data;
  parallel_for(0, pixels, RowGrain(c), [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      const float* __restrict xp = a.x.data + p * c;
      float* __restrict op = a.out.data + p * c;
      for (int64_t ch = 0; ch < c; ++ch) op[ch] = xp[ch] * mul[ch] + add[ch];
    }
  });
}

void RunBinary(const BinaryArgs& a) {
  switch (static_cast<BinaryOp>(a.op)) {
    case BinaryOp::kAdd:
      Binary<BinaryOp::kAdd>(a, a.a.data, a.b.data, a.out.data, a.act);
      break;
    case BinaryOp::kSub:
      Binary<BinaryOp::kSub>(a, a.a.data, a.b.data, a.out.data, a.act);
      break;
    case BinaryOp::kMul:
      Binary<BinaryOp::kMul>(a, a.a.data, a.b.data, a.out.data, a.act);
      break;
    case BinaryOp::kDiv:
      Binary<BinaryOp::kDiv>(a, a.a.data, a.b.data, a.out.data, a.act);
      break;
    case BinaryOp::kMax:
      Binary<BinaryOp::kMax>(a, a.a.data, a.b.data, a.out.data, a.act);
      break;
    case BinaryOp::kMin:
      Binary<BinaryOp::kMin>(a, a.a.data, a.b.data, a.out.data, a.act);
      break;
  }
}

}  // namespace md
