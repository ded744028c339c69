import type { ActivationSpec } from '@motiondelta/core';
import { erf } from './erf.js';

/** The activations that are a plain function of one value (no clamp loops, no per-channel slopes). */
export type UnaryActivation = Extract<
  ActivationSpec,
  {
    kind:
      | 'elu'
      | 'selu'
      | 'celu'
      | 'softplus'
      | 'softsign'
      | 'gelu'
      | 'swish'
      | 'abs'
      | 'neg'
      | 'exp'
      | 'log'
      | 'sqrt'
      | 'reciprocal'
      | 'erf'
      | 'floor'
      | 'ceil'
      | 'round'
      | 'pow';
  }
>;

/** sqrt(2 / pi), the tanh-form GELU's scale. */
const GELU_TANH_SCALE = Math.sqrt(2 / Math.PI);

/** Round half to even (JavaScript's Math.round sends halves up), as ONNX and TensorFlow `Round`. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // A tie went up to an odd integer: take the even one below. `r - x` is exact for a tie.
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The function of one value computing `spec`, in double precision (the results are rounded to
 * float32 when stored). Each formula is the one its ActivationSpec documents; the native backend
 * evaluates the same expressions in the same order (its delta kernels in double, so that threshold
 * decisions agree), which is why expm1/log1p appear where the documented form says exp(x) - 1.
 */
export function unaryFunction(spec: UnaryActivation): (x: number) => number {
  switch (spec.kind) {
    case 'elu': {
      const { alpha } = spec;
      return (x) => (x < 0 ? alpha * Math.expm1(x) : x);
    }
    case 'selu': {
      const { alpha, gamma } = spec;
      return (x) => (x > 0 ? gamma * x : gamma * (alpha * Math.expm1(x)));
    }
    case 'celu': {
      const { alpha } = spec;
      // max(0, x) + min(0, alpha * expm1(x / alpha)) is this for every alpha != 0: the second term
      // has the sign of x.
      return (x) => (x > 0 ? x : alpha * Math.expm1(x / alpha));
    }
    case 'softplus':
      return (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
    case 'softsign':
      return (x) => x / (1 + Math.abs(x));
    case 'gelu':
      return spec.approximate === 'tanh'
        ? (x) => 0.5 * x * (1 + Math.tanh(GELU_TANH_SCALE * (x + 0.044715 * x * x * x)))
        : (x) => 0.5 * x * (1 + erf(x * Math.SQRT1_2));
    case 'swish': {
      const { alpha } = spec;
      return (x) => x / (1 + Math.exp(-alpha * x));
    }
    case 'abs':
      return Math.abs;
    case 'neg':
      return (x) => -x;
    case 'exp':
      return Math.exp;
    case 'log':
      return Math.log;
    case 'sqrt':
      return Math.sqrt;
    case 'reciprocal':
      return (x) => 1 / x;
    case 'erf':
      return erf;
    case 'floor':
      return Math.floor;
    case 'ceil':
      return Math.ceil;
    case 'round':
      return roundHalfEven;
    case 'pow': {
      const { exponent } = spec;
      return (x) => Math.pow(x, exponent);
    }
  }
}
