// The elementwise activations of the delta kernels, evaluated in double and rounded to float32
// exactly as the TypeScript reference (JavaScript numbers stored into a Float32Array), so that
// truncation decisions at a threshold agree with it.
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace md {

// Codes shared with src/delta/activation-code.ts.
enum class DeltaActKind : int32_t {
  Relu = 0,
  Clip = 1,
  LeakyRelu = 2,
  Prelu = 3,
  Sigmoid = 4,
  HardSigmoid = 5,
  HardSwish = 6,
  Tanh = 7,
  Elu = 8,
  Selu = 9,
  Celu = 10,
  Softplus = 11,
  Softsign = 12,
  Gelu = 13,
  Swish = 14,
  Abs = 15,
  Neg = 16,
  Exp = 17,
  Log = 18,
  Sqrt = 19,
  Reciprocal = 20,
  Erf = 21,
  Floor = 22,
  Ceil = 23,
  Round = 24,
  Pow = 25,
  Last = Pow,
};

struct ActSpec {
  DeltaActKind kind = DeltaActKind::Relu;
  // clip min; leakyRelu, hardSigmoid, elu, selu, celu, swish alpha; gelu 0 (erf) or 1 (tanh); pow exponent
  double a = 0;
  double b = 0;                  // clip max, hardSigmoid beta, selu gamma
  const float* slope = nullptr;  // prelu: 1 value or one per channel
  int64_t slope_len = 0;
};

// Applies f, a function of one double, to c values in place, rounding each result to float32.
template <typename F>
inline void MapInPlace(float* v, int64_t c, F f) {
  for (int64_t i = 0; i < c; ++i) v[i] = static_cast<float>(f(static_cast<double>(v[i])));
}

// sqrt(2 / pi) and 1 / sqrt(2) as the reference computes them (Math.sqrt(2 / Math.PI), Math.SQRT1_2).
constexpr double kGeluTanhScale = 0.7978845608028654;
constexpr double kSqrtHalf = 0.7071067811865476;

// Applies the activation to one pixel's channels in place.
inline void ApplyActivation(const ActSpec& s, float* v, int64_t c) {
  switch (s.kind) {
    case DeltaActKind::Relu:
      for (int64_t i = 0; i < c; ++i) v[i] = v[i] < 0 ? 0.f : v[i];
      return;
    case DeltaActKind::Clip:
      // Two selects rather than a nested conditional, so the loop vectorizes (min/max) instead of
      // branching per element; the same result, NaN included.
      for (int64_t i = 0; i < c; ++i) {
        const double x = v[i];
        const double lo = x < s.a ? s.a : x;
        v[i] = static_cast<float>(lo > s.b ? s.b : lo);
      }
      return;
    case DeltaActKind::LeakyRelu:
      for (int64_t i = 0; i < c; ++i) {
        const double x = v[i];
        if (x < 0) v[i] = static_cast<float>(s.a * x);
      }
      return;
    case DeltaActKind::Prelu:
      for (int64_t i = 0; i < c; ++i) {
        const double x = v[i];
        const double slope = s.slope[s.slope_len == 1 ? 0 : i];
        if (x < 0) v[i] = static_cast<float>(slope * x);
      }
      return;
    case DeltaActKind::Sigmoid:
      for (int64_t i = 0; i < c; ++i) v[i] = static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(v[i]))));
      return;
    case DeltaActKind::HardSigmoid:
      for (int64_t i = 0; i < c; ++i) {
        const double y = s.a * static_cast<double>(v[i]) + s.b;
        v[i] = static_cast<float>(y < 0 ? 0 : y > 1 ? 1 : y);
      }
      return;
    case DeltaActKind::HardSwish:
      for (int64_t i = 0; i < c; ++i) {
        const double x = v[i];
        const double gate = x / 6 + 0.5;
        v[i] = static_cast<float>(x * (gate < 0 ? 0 : gate > 1 ? 1 : gate));
      }
      return;
    case DeltaActKind::Tanh:
      for (int64_t i = 0; i < c; ++i) v[i] = static_cast<float>(std::tanh(static_cast<double>(v[i])));
      return;
    // The formulas of reference-backend/src/unary-functions.ts, operation for operation.
    case DeltaActKind::Elu:
      return MapInPlace(v, c, [a = s.a](double x) { return x < 0 ? a * std::expm1(x) : x; });
    case DeltaActKind::Selu:
      return MapInPlace(v, c, [a = s.a, g = s.b](double x) { return x > 0 ? g * x : g * (a * std::expm1(x)); });
    case DeltaActKind::Celu:
      return MapInPlace(v, c, [a = s.a](double x) { return x > 0 ? x : a * std::expm1(x / a); });
    case DeltaActKind::Softplus:
      return MapInPlace(v, c, [](double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); });
    case DeltaActKind::Softsign:
      return MapInPlace(v, c, [](double x) { return x / (1 + std::fabs(x)); });
    case DeltaActKind::Gelu:
      if (s.a == 0) return MapInPlace(v, c, [](double x) { return 0.5 * x * (1 + std::erf(x * kSqrtHalf)); });
      return MapInPlace(v, c, [](double x) { return 0.5 * x * (1 + std::tanh(kGeluTanhScale * (x + 0.044715 * x * x * x))); });
    case DeltaActKind::Swish:
      return MapInPlace(v, c, [a = s.a](double x) { return x / (1 + std::exp(-a * x)); });
    case DeltaActKind::Abs:
      return MapInPlace(v, c, [](double x) { return std::fabs(x); });
    case DeltaActKind::Neg:
      return MapInPlace(v, c, [](double x) { return -x; });
    case DeltaActKind::Exp:
      return MapInPlace(v, c, [](double x) { return std::exp(x); });
    case DeltaActKind::Log:
      return MapInPlace(v, c, [](double x) { return std::log(x); });
    case DeltaActKind::Sqrt:
      return MapInPlace(v, c, [](double x) { return std::sqrt(x); });
    case DeltaActKind::Reciprocal:
      return MapInPlace(v, c, [](double x) { return 1 / x; });
    case DeltaActKind::Erf:
      return MapInPlace(v, c, [](double x) { return std::erf(x); });
    case DeltaActKind::Floor:
      return MapInPlace(v, c, [](double x) { return std::floor(x); });
    case DeltaActKind::Ceil:
      return MapInPlace(v, c, [](double x) { return std::ceil(x); });
    case DeltaActKind::Round:
      // Ties to even, as the reference's roundHalfEven: the default rounding mode.
      return MapInPlace(v, c, [](double x) { return std::nearbyint(x); });
    case DeltaActKind::Pow:
      return MapInPlace(v, c, [e = s.a](double x) { return std::pow(x, e); });
  }
  throw std::runtime_error("unknown activation code");
}

}  // namespace md
