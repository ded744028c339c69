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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
  kElu = 9,    // a = alpha
  kSelu = 10,  // a = alpha, b = gamma
  kCelu = 11,  // a = alpha
  kSoftplus = 12,
  kSoftsign = 13,
  kGelu = 14,   // a = 0: erf form, 1: tanh approximation
  kSwish = 15,  // a = alpha
  kAbs = 16,
  kNeg = 17,
  kExp = 18,
  kLog = 19,
  kSqrt = 20,
  kReciprocal = 21,
  kErf = 22,
  kFloor = 23,
  kCeil = 24,
  kRound = 25,  // halves to even
  kPow = 26,    // a = exponent
  kLast = kPow,
};

// The formulas of the elementwise activations without clamps, in float32: each is the expression
// of the ActivationSpec's TSDoc, in the order of the TypeScript reference
// (reference-backend/src/unary-functions.ts), which evaluates it in double; float32 results stay
// within the dense tolerances of it. std:: overloads on float call the float functions (expm1f,
// erff, ...).
namespace act_fn {
constexpr float kSqrtHalf = 0.70710678118654752f;       // 1 / sqrt(2)
constexpr float kGeluTanhScale = 0.79788456080286536f;  // sqrt(2 / pi)
inline float Elu(float v, float alpha) { return v < 0.f ? alpha * std::expm1(v) : v; }
inline float Selu(float v, float alpha, float gamma) { return v > 0.f ? gamma * v : gamma * (alpha * std::expm1(v)); }
// max(0, v) + min(0, alpha * expm1(v / alpha)): the second term has the sign of v for any alpha.
inline float Celu(float v, float alpha) { return v > 0.f ? v : alpha * std::expm1(v / alpha); }
inline float Softplus(float v) { return v > 0.f ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v)); }
inline float Softsign(float v) { return v / (1.f + std::fabs(v)); }
inline float GeluErf(float v) { return 0.5f * v * (1.f + std::erf(v * kSqrtHalf)); }
inline float GeluTanh(float v) { return 0.5f * v * (1.f + std::tanh(kGeluTanhScale * (v + 0.044715f * v * v * v))); }
inline float Swish(float v, float alpha) { return v / (1.f + std::exp(-alpha * v)); }
}  // namespace act_fn

struct Activation {
  ActKind kind = ActKind::kNone;
  float a = 0.f;
  float b = 0.f;
  const float* slope = nullptr;
  int64_t slope_len = 0;
  // An affine that compiled programs fuse into convolutions (src/program/fuse-conv-steps.ts),
  // applied by `apply` after the activation: y * post_mul (when has_post_mul), then + post_add
  // (when has_post_add), two roundings, as the Mul and Add steps they replace. Only kernels that
  // apply the activation to their output in place (convolutions) are given one.
  bool has_post_mul = false;
  bool has_post_add = false;
  float post_mul = 1.f;
  float post_add = 0.f;

  bool none() const { return kind == ActKind::kNone && !has_post_mul && !has_post_add; }

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
      case ActKind::kElu:
        return act_fn::Elu(v, a);
      case ActKind::kSelu:
        return act_fn::Selu(v, a, b);
      case ActKind::kCelu:
        return act_fn::Celu(v, a);
      case ActKind::kSoftplus:
        return act_fn::Softplus(v);
      case ActKind::kSoftsign:
        return act_fn::Softsign(v);
      case ActKind::kGelu:
        return a == 0.f ? act_fn::GeluErf(v) : act_fn::GeluTanh(v);
      case ActKind::kSwish:
        return act_fn::Swish(v, a);
      case ActKind::kAbs:
        return std::fabs(v);
      case ActKind::kNeg:
        return -v;
      case ActKind::kExp:
        return std::exp(v);
      case ActKind::kLog:
        return std::log(v);
      case ActKind::kSqrt:
        return std::sqrt(v);
      case ActKind::kReciprocal:
        return 1.f / v;
      case ActKind::kErf:
        return std::erf(v);
      case ActKind::kFloor:
        return std::floor(v);
      case ActKind::kCeil:
        return std::ceil(v);
      case ActKind::kRound:
        // The default rounding mode (to nearest, ties to even), which nothing here changes.
        return std::nearbyint(v);
      case ActKind::kPow:
        return std::pow(v, a);
    }
    return v;
  }

  // Applies the activation (and the fused affine, if any) in place to `pixels` consecutive pixels
  // of `channels` values each.
  void apply(float* __restrict data, int64_t pixels, int64_t channels) const {
    apply_kind(data, pixels, channels);
    const int64_t n = pixels * channels;
    if (has_post_mul) {
      const float m = post_mul;
      for (int64_t i = 0; i < n; ++i) data[i] *= m;
    }
    if (has_post_add) {
      const float t = post_add;
      for (int64_t i = 0; i < n; ++i) data[i] += t;
    }
  }

 private:
  // The activation alone. One loop per kind keeps the switch out of the per-element path so the
  // loops vectorize.
  void apply_kind(float* __restrict data, int64_t pixels, int64_t channels) const {
    const int64_t n = pixels * channels;
    switch (kind) {
      case ActKind::kNone:
        return;
      case ActKind::kRelu:
        for (int64_t i = 0; i < n; ++i) data[i] = data[i] < 0.f ? 0.f : data[i];
        return;
      case ActKind::kClip: {
        // Ternaries on values, not std::min/max (which return references): GCC turns these into
        // vector min/max; the std:: form compiled to a compare and branch per element, which real
        // activations (random signs) mispredict half the time.
        const float lo = a, hi = b;
        for (int64_t i = 0; i < n; ++i) {
          const float v = data[i] < lo ? lo : data[i];
          data[i] = v > hi ? hi : v;
        }
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
        for (int64_t i = 0; i < n; ++i) {
          const float t = alpha * data[i] + beta;
          const float u = t < 0.f ? 0.f : t;
          data[i] = u > 1.f ? 1.f : u;
        }
        return;
      }
      case ActKind::kHardSwish: {
        int64_t i = 0;
#if defined(__SSE2__)
        // GCC leaves this loop scalar, with a branch per clamp ("control flow in loop"), which
        // real activations mispredict: SSE2 (the x86-64 baseline) by hand. maxps/minps with the
        // constant first return the other operand for a NaN, as the ternaries below do.
        const __m128 sixth = _mm_set1_ps(6.f), half = _mm_set1_ps(0.5f), zero = _mm_setzero_ps(), one = _mm_set1_ps(1.f);
        for (; i + 4 <= n; i += 4) {
          const __m128 v = _mm_loadu_ps(data + i);
          const __m128 g = _mm_add_ps(_mm_div_ps(v, sixth), half);
          _mm_storeu_ps(data + i, _mm_mul_ps(v, _mm_min_ps(one, _mm_max_ps(zero, g))));
        }
#endif
        for (; i < n; ++i) {
          const float g = data[i] / 6.f + 0.5f;
          const float u = g < 0.f ? 0.f : g;
          data[i] = data[i] * (u > 1.f ? 1.f : u);
        }
        return;
      }
      case ActKind::kSigmoid:
      case ActKind::kTanh:
        for (int64_t i = 0; i < n; ++i) data[i] = (*this)(data[i], 0);
        return;
      // One loop per function, its parameters hoisted, so the cheap ones (abs, neg, softsign,
      // reciprocal, sqrt) vectorize and the others call their libm function without a switch.
      case ActKind::kElu:
        return Map(data, n, [alpha = a](float v) { return act_fn::Elu(v, alpha); });
      case ActKind::kSelu:
        return Map(data, n, [alpha = a, gamma = b](float v) { return act_fn::Selu(v, alpha, gamma); });
      case ActKind::kCelu:
        return Map(data, n, [alpha = a](float v) { return act_fn::Celu(v, alpha); });
      case ActKind::kSoftplus:
        return Map(data, n, act_fn::Softplus);
      case ActKind::kSoftsign:
        return Map(data, n, act_fn::Softsign);
      case ActKind::kGelu:
        if (a == 0.f) return Map(data, n, act_fn::GeluErf);
        return Map(data, n, act_fn::GeluTanh);
      case ActKind::kSwish:
        return Map(data, n, [alpha = a](float v) { return act_fn::Swish(v, alpha); });
      case ActKind::kAbs:
        return Map(data, n, [](float v) { return std::fabs(v); });
      case ActKind::kNeg:
        return Map(data, n, [](float v) { return -v; });
      case ActKind::kExp:
        return Map(data, n, [](float v) { return std::exp(v); });
      case ActKind::kLog:
        return Map(data, n, [](float v) { return std::log(v); });
      case ActKind::kSqrt:
        return Map(data, n, [](float v) { return std::sqrt(v); });
      case ActKind::kReciprocal:
        return Map(data, n, [](float v) { return 1.f / v; });
      case ActKind::kErf:
        return Map(data, n, [](float v) { return std::erf(v); });
      case ActKind::kFloor:
        return Map(data, n, [](float v) { return std::floor(v); });
      case ActKind::kCeil:
        return Map(data, n, [](float v) { return std::ceil(v); });
      case ActKind::kRound:
        return Map(data, n, [](float v) { return std::nearbyint(v); });
      case ActKind::kPow:
        return Map(data, n, [e = a](float v) { return std::pow(v, e); });
    }
  }

  template <typename F>
  static void Map(float* __restrict data, int64_t n, F f) {
    for (int64_t i = 0; i < n; ++i) data[i] = f(data[i]);
  }
};

// Refuses an unknown kind and a PReLU slope that is missing or of another length than 1 or
// `channels` (the last dimension of the tensor the activation applies to), so a kernel never reads
// past the slope array. The N-API layer reads the JavaScript { kind, a, b, slope } object into an
// Activation (napi_args.h) without judging it; this is the judgement.
inline void CheckActivation(const Activation& act, int64_t channels) {
  const auto kind = static_cast<int32_t>(act.kind);
  if (kind < 0 || kind > static_cast<int32_t>(ActKind::kLast)) RangeFail("activation kind " + std::to_string(kind) + " is unknown");
  if (act.kind == ActKind::kPrelu) {
    if (act.slope_len != 1 && act.slope_len != channels) {
      RangeFail("prelu slope has " + std::to_string(act.slope_len) + " values; expected 1 or " + std::to_string(channels));
    }
  }
}

}  // namespace md
