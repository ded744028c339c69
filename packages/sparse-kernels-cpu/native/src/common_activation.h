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
};

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
