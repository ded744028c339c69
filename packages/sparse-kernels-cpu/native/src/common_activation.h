// Activation functions shared by every kernel that fuses one (dense and delta kernels).
//
// The TypeScript side encodes an ActivationSpec as { kind, a, b, slope } (see
// src/dense/native-activation.ts); the kind numbers below must match ACTIVATION_KIND there.
// A kernel applies an Activation only after CheckActivation accepted it.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "arg_error.h"

namespace md {

enum class ActKind : int32_t {
  kNone = 0,
  kRelu = 1,
  kClip = 2,       // a = min, b = max
  kLeakyRelu = 3,  // a = alpha
  kPrelu = 4,      // slope: 1 value or one per channel
  kSigmoid = 5,
  kHardSigmoid = 6,  // a = alpha, b = beta
  kHardSwish = 7,
  kTanh = 8,
};

struct Activation {
  ActKind kind = ActKind::kNone;
  float a = 0.f;
  float b = 0.f;
  const float* slope = nullptr;
  int64_t slope_len = 0;

  bool none() const { return kind == ActKind::kNone; }

  // The activation of one value of channel `c`.
  inline float operator()(float v, int64_t c) const {
    switch (kind) {
      case ActKind::kNone:
        return v;
      case ActKind::kRelu:
        return v < 0.f ? 0.f : v;
      case ActKind::kClip:
        return v < a ? a : (v > b ? b : v);
      case ActKind::kLeakyRelu:
        return v < 0.f ? a * v : v;
      case ActKind::kPrelu:
        return v < 0.f ? slope[slope_len == 1 ? 0 : c] * v : v;
      case ActKind::kSigmoid:
        return 1.f / (1.f + std::exp(-v));
      case ActKind::kHardSigmoid: {
        const float t = a * v + b;
        return t < 0.f ? 0.f : (t > 1.f ? 1.f : t);
      }
      case ActKind::kHardSwish: {
        const float g = v / 6.f + 0.5f;
        return v * (g < 0.f ? 0.f : (g > 1.f ? 1.f : g));
      }
      case ActKind::kTanh:
        return std::tanh(v);
    }
    return v;
  }

  // Applies the activation in place to `pixels` consecutive pixels of `channels` values each.
  // One loop per kind keeps the switch out of the per-element path so the loops vectorize.
  void apply(float* __restrict data, int64_t pixels, int64_t channels) const {
    const int64_t n = pixels * channels;
    switch (kind) {
      case ActKind::kNone:
        return;
      case ActKind::kRelu:
        for (int64_t i = 0; i < n; ++i) data[i] = data[i] < 0.f ? 0.f : data[i];
        return;
      case ActKind::kClip: {
        const float lo = a, hi = b;
        for (int64_t i = 0; i < n; ++i) data[i] = std::min(std::max(data[i], lo), hi);
        return;
      }
      case ActKind::kLeakyRelu: {
        const float alpha = a;
        for (int64_t i = 0; i < n; ++i) data[i] = data[i] < 0.f ? alpha * data[i] : data[i];
        return;
      }
      case ActKind::kPrelu:
        if (slope_len == 1) {
          const float s = slope[0];
          for (int64_t i = 0; i < n; ++i) data[i] = data[i] < 0.f ? s * data[i] : data[i];
        } else {
          for (int64_t p = 0; p < pixels; ++p) {
            float* __restrict row = data + p * channels;
            for (int64_t c = 0; c < channels; ++c) row[c] = row[c] < 0.f ? slope[c] * row[c] : row[c];
          }
        }
        return;
      case ActKind::kHardSigmoid: {
        const float alpha = a, beta = b;
        for (int64_t i = 0; i < n; ++i) data[i] = std::min(std::max(alpha * data[i] + beta, 0.f), 1.f);
        return;
      }
      case ActKind::kHardSwish:
        for (int64_t i = 0; i < n; ++i) data[i] = data[i] * std::min(std::max(data[i] / 6.f + 0.5f, 0.f), 1.f);
        return;
      case ActKind::kSigmoid:
      case ActKind::kTanh:
        for (int64_t i = 0; i < n; ++i) data[i] = (*this)(data[i], 0);
        return;
    }
  }
};

// Refuses an unknown kind and a PReLU slope that is missing or of another length than 1 or
// `channels` (the last dimension of the tensor the activation applies to), so a kernel never reads
// past the slope array. The N-API layer reads the JavaScript { kind, a, b, slope } object into an
// Activation (napi_args.h) without judging it; this is the judgement.
inline void CheckActivation(const Activation& act, int64_t channels) {
  const auto kind = static_cast<int32_t>(act.kind);
  if (kind < 0 || kind > static_cast<int32_t>(ActKind::kTanh)) RangeFail("activation kind " + std::to_string(kind) + " is unknown");
  if (act.kind == ActKind::kPrelu) {
    if (act.slope_len != 1 && act.slope_len != channels) {
      RangeFail("prelu slope has " + std::to_string(act.slope_len) + " values; expected 1 or " + std::to_string(channels));
    }
  }
}

}  // namespace md
