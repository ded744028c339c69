// The elementwise activations of the delta kernels, evaluated in double and rounded to float32
// exactly as the TypeScript reference (JavaScript numbers stored into a Float32Array), so that
// truncation decisions at a threshold agree with it.
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace md {

// Codes shared with src/delta/activation-code.ts.
enum class DeltaActKind : int32_t { Relu = 0, Clip = 1, LeakyRelu = 2, Prelu = 3, Sigmoid = 4, HardSigmoid = 5, HardSwish = 6, Tanh = 7 };

struct ActSpec {
  DeltaActKind kind = DeltaActKind::Relu;
  double a = 0;                  // clip min, leakyRelu alpha, hardSigmoid alpha
  double b = 0;                  // clip max, hardSigmoid beta
  const float* slope = nullptr;  // prelu: 1 value or one per channel
  int64_t slope_len = 0;
};

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
  }
  throw std::runtime_error("unknown activation code");
}

}  // namespace md
