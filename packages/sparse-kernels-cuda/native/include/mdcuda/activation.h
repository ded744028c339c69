// Every ActivationSpec of @motiondelta/core, one value at a time, in double precision (the result is
// rounded to float32 when stored). The formulas are the ones core documents, evaluated in the same
// order as the reference backend (expm1/log1p where it uses them), so threshold decisions of the
// delta kernels agree with it.
#pragma once

#include <cmath>

#include "hd.h"

namespace mdcuda {

/** Activation kinds; the numbers are the case-file and addon codes (see src/activation-code.ts). */
enum class ActKind : int {
  kNone = 0,
  kRelu = 1,
  kClip = 2,
  kLeakyRelu = 3,
  kPrelu = 4,
  kSigmoid = 5,
  kHardSigmoid = 6,
  kHardSwish = 7,
  kTanh = 8,
  kElu = 9,
  kSelu = 10,
  kCelu = 11,
  kSoftplus = 12,
  kSoftsign = 13,
  kGeluErf = 14,
  kGeluTanh = 15,
  kSwish = 16,
  kAbs = 17,
  kNeg = 18,
  kExp = 19,
  kLog = 20,
  kSqrt = 21,
  kReciprocal = 22,
  kErf = 23,
  kFloor = 24,
  kCeil = 25,
  kRound = 26,
  kPow = 27,
};

constexpr int kLastActKind = 27;

/**
 * An activation with its parameters: `a` and `b` are (min, max) for clip, alpha for leaky ReLU /
 * ELU / CELU / swish, (alpha, beta) for hard sigmoid, (alpha, gamma) for SELU, the exponent for
 * pow. `slope` points at PReLU's slopes (`slope_count` 1 or the channel count), in the memory of
 * whoever runs the activation (host or device).
 */
struct Activation {
  ActKind kind;
  double a;
  double b;
  const float* slope;
  int slope_count;
};

MD_HD double ApplyActivation(const Activation& act, double x, int channel) {
  switch (act.kind) {
    case ActKind::kNone:
      return x;
    case ActKind::kRelu:
      return x < 0 ? 0.0 : x;
    case ActKind::kClip:
      return x < act.a ? act.a : x > act.b ? act.b : x;
    case ActKind::kLeakyRelu:
      return x < 0 ? act.a * x : x;
    case ActKind::kPrelu: {
      const double s = act.slope[act.slope_count == 1 ? 0 : channel];
      return x < 0 ? s * x : x;
    }
    case ActKind::kSigmoid:
      return 1.0 / (1.0 + exp(-x));
    case ActKind::kHardSigmoid: {
      const double v = act.a * x + act.b;
      return v < 0 ? 0.0 : v > 1 ? 1.0 : v;
    }
    case ActKind::kHardSwish: {
      const double gate = x / 6 + 0.5;
      return x * (gate < 0 ? 0.0 : gate > 1 ? 1.0 : gate);
    }
    case ActKind::kTanh:
      return tanh(x);
    case ActKind::kElu:
      return x < 0 ? act.a * expm1(x) : x;
    case ActKind::kSelu:
      return x > 0 ? act.b * x : act.b * (act.a * expm1(x));
    case ActKind::kCelu:
      return x > 0 ? x : act.a * expm1(x / act.a);
    case ActKind::kSoftplus:
      return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
    case ActKind::kSoftsign:
      return x / (1 + fabs(x));
    case ActKind::kGeluErf:
      return 0.5 * x * (1 + erf(x * 0.70710678118654752440));
    case ActKind::kGeluTanh:
      return 0.5 * x * (1 + tanh(0.79788456080286535588 * (x + 0.044715 * x * x * x)));
    case ActKind::kSwish:
      return x / (1 + exp(-act.a * x));
    case ActKind::kAbs:
      return fabs(x);
    case ActKind::kNeg:
      return -x;
    case ActKind::kExp:
      return exp(x);
    case ActKind::kLog:
      return log(x);
    case ActKind::kSqrt:
      return sqrt(x);
    case ActKind::kReciprocal:
      return 1 / x;
    case ActKind::kErf:
      return erf(x);
    case ActKind::kFloor:
      return floor(x);
    case ActKind::kCeil:
      return ceil(x);
    case ActKind::kRound:
      // rint rounds halves to even in the default rounding mode, on the host and the device.
      return rint(x);
    case ActKind::kPow:
      return pow(x, act.a);
  }
  return x;
}

/** Float in, float out: how a dense op applies its (fused) activation to a stored value. */
MD_HD float ActivateFloat(const Activation& act, float x, int channel) {
  // The piecewise-linear kinds stay in float, exactly as the reference computes them in float32.
  switch (act.kind) {
    case ActKind::kNone:
      return x;
    case ActKind::kRelu:
      return x < 0 ? 0.0f : x;
    default:
      return static_cast<float>(ApplyActivation(act, static_cast<double>(x), channel));
  }
}

}  // namespace mdcuda
