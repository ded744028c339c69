// Elementwise kernels: standalone activation, folded batch normalization, and broadcasting
// Add/Sub/Mul/Div. All split the tensor into whole rows (a pixel's channels, or the last axis) so
// per-channel parameters line up with the row.
#include <napi.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "async_kernel.h"
#include "common_activation.h"
#include "common_args.h"
#include "dense_entry_points.h"
#include "thread_pool.h"

namespace md {
namespace {

// Rows per parallel chunk so a chunk is at least ~16K values: below that scheduling costs more.
int64_t RowGrain(int64_t row_length) { return std::max<int64_t>(1, (16 * 1024) / std::max<int64_t>(row_length, 1)); }

enum class BinaryOp : int32_t { kAdd = 0, kSub = 1, kMul = 2, kDiv = 3 };

template <BinaryOp Op>
inline float Combine(float a, float b) {
  if constexpr (Op == BinaryOp::kAdd) return a + b;
  if constexpr (Op == BinaryOp::kSub) return a - b;
  if constexpr (Op == BinaryOp::kMul) return a * b;
  return a / b;
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

struct BinaryArgs {
  std::vector<int64_t> shape, sa, sb;
};

template <BinaryOp Op>
void Binary(const BinaryArgs& args, const float* a, const float* b, float* out, const Activation& act) {
  const int64_t rank = static_cast<int64_t>(args.shape.size());
  const int64_t row = args.shape[rank - 1];
  int64_t rows = 1;
  for (int64_t d = 0; d < rank - 1; ++d) rows *= args.shape[d];
  // Coalesced operands often leave one long row (same-shape Add): split rows into column pieces
  // so every thread gets work. A per-channel activation needs whole rows, so it keeps them.
  const bool per_channel = act.kind == ActKind::kPrelu && act.slope_len > 1;
  const int64_t pieces = (per_channel || rows >= 4 * num_threads()) ? 1 : std::max<int64_t>(1, std::min<int64_t>(row / 8192, 4 * num_threads()));
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

// The largest offset a strided operand reaches, to check it stays inside its array.
int64_t MaxOffset(const std::vector<int64_t>& shape, const std::vector<int64_t>& strides) {
  int64_t max = 0;
  for (size_t d = 0; d < shape.size(); ++d) max += (shape[d] - 1) * strides[d];
  return max;
}

std::vector<int64_t> IntVector(const Napi::Value& v, const char* what) {
  auto view = I32(v, what);
  return std::vector<int64_t>(view.data, view.data + view.length);
}

}  // namespace

// activation(x, out, channels, activation)
Napi::Value ActivationEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto x = F32(info[0], "x");
  auto out = F32(info[1], "out");
  const int64_t channels = IntArg(info[2], "channels");
  if (channels < 1 || x.length % channels != 0) throw Napi::RangeError::New(env, "activation: channels must be >= 1 and divide the size of x");
  ExpectLength(env, out.length, static_cast<int64_t>(x.length), "out");
  const Activation act = ParseActivation(info[3], channels);
  const int64_t pixels = static_cast<int64_t>(x.length) / channels;
  return AsyncKernel::Start(env, "activation", {info[0], info[1], info[3]}, [=] {
    parallel_for(0, pixels, RowGrain(channels), [&](int64_t p0, int64_t p1) {
      std::memcpy(out.data + p0 * channels, x.data + p0 * channels, sizeof(float) * (p1 - p0) * channels);
      act.apply(out.data + p0 * channels, p1 - p0, channels);
    });
  }, nullptr, RunInline(static_cast<int64_t>(x.length)));
}

// batchNorm(x, out, mul, add): out = x * mul[c] + add[c], c the last axis.
Napi::Value BatchNormEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto x = F32(info[0], "x");
  auto out = F32(info[1], "out");
  auto mul = F32(info[2], "mul");
  auto add = F32(info[3], "add");
  const int64_t c = static_cast<int64_t>(mul.length);
  if (c < 1 || add.length != mul.length || x.length % c != 0) throw Napi::RangeError::New(env, "batchNorm: mul and add must have one value per channel of x");
  ExpectLength(env, out.length, static_cast<int64_t>(x.length), "out");
  const int64_t pixels = static_cast<int64_t>(x.length) / c;
  return AsyncKernel::Start(env, "batchNorm", {info[0], info[1], info[2], info[3]}, [=] {
    parallel_for(0, pixels, RowGrain(c), [&](int64_t p0, int64_t p1) {
      for (int64_t p = p0; p < p1; ++p) {
        const float* __restrict xp = x.data + p * c;
        float* __restrict op = out.data + p * c;
        for (int64_t ch = 0; ch < c; ++ch) op[ch] = xp[ch] * mul.data[ch] + add.data[ch];
      }
    });
  }, nullptr, RunInline(static_cast<int64_t>(x.length)));
}

// binary(a, b, out, op, outShape, aStrides, bStrides, activation | null)
Napi::Value BinaryEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto a = F32(info[0], "a");
  auto b = F32(info[1], "b");
  auto out = F32(info[2], "out");
  const int32_t op = IntArg(info[3], "op");
  if (op < 0 || op > 3) throw Napi::RangeError::New(env, "binary: op must be 0 (Add), 1 (Sub), 2 (Mul) or 3 (Div)");
  BinaryArgs args{IntVector(info[4], "outShape"), IntVector(info[5], "aStrides"), IntVector(info[6], "bStrides")};
  if (args.shape.empty() || args.sa.size() != args.shape.size() || args.sb.size() != args.shape.size()) {
    throw Napi::RangeError::New(env, "binary: outShape (rank >= 1) and both stride lists must have the same length");
  }
  ExpectAtLeast(env, args.shape, 1, "outShape");
  ExpectAtLeast(env, args.sa, 0, "aStrides");
  ExpectAtLeast(env, args.sb, 0, "bStrides");
  int64_t size = 1;
  for (int64_t d : args.shape) size *= d;
  ExpectLength(env, out.length, size, "out");
  if (MaxOffset(args.shape, args.sa) >= static_cast<int64_t>(a.length) || MaxOffset(args.shape, args.sb) >= static_cast<int64_t>(b.length)) {
    throw Napi::RangeError::New(env, "binary: strides reach past the end of an operand");
  }
  const Activation act = ParseActivation(info[7], args.shape.back());
  return AsyncKernel::Start(env, "binary", {info[0], info[1], info[2], info[7]}, [=] {
    switch (static_cast<BinaryOp>(op)) {
      case BinaryOp::kAdd: Binary<BinaryOp::kAdd>(args, a.data, b.data, out.data, act); break;
      case BinaryOp::kSub: Binary<BinaryOp::kSub>(args, a.data, b.data, out.data, act); break;
      case BinaryOp::kMul: Binary<BinaryOp::kMul>(args, a.data, b.data, out.data, act); break;
      case BinaryOp::kDiv: Binary<BinaryOp::kDiv>(args, a.data, b.data, out.data, act); break;
    }
  }, nullptr, RunInline(size));
}

}  // namespace md
