import type { ActivationSpec } from '@motiondelta/core';

/**
 * An activation as the native code takes it (native/include/mdcuda/activation.h, `ActKind`):
 * a kind number and two parameters, plus PReLU's slopes.
 */
export interface ActivationCode {
  readonly code: number;
  readonly a: number;
  readonly b: number;
  readonly slope?: Float32Array;
}

/** ActKind numbers, in the order of the native enum. */
const CODES = {
  relu: 1,
  clip: 2,
  leakyRelu: 3,
  prelu: 4,
  sigmoid: 5,
  hardSigmoid: 6,
  hardSwish: 7,
  tanh: 8,
  elu: 9,
  selu: 10,
  celu: 11,
  softplus: 12,
  softsign: 13,
  // gelu: 14 (erf form) or 15 (tanh form), chosen below
  swish: 16,
  abs: 17,
  neg: 18,
  exp: 19,
  log: 20,
  sqrt: 21,
  reciprocal: 22,
  erf: 23,
  floor: 24,
  ceil: 25,
  round: 26,
  pow: 27,
} as const;

/**
 * Encodes an activation for the native side; `undefined` (no activation) is code 0.
 *
 * @example
 * ```ts
 * import { activationCode } from '@motiondelta/sparse-kernels-cuda';
 * activationCode({ kind: 'clip', min: 0, max: 6 }); // { code: 2, a: 0, b: 6 }
 * ```
 */
export function activationCode(spec: ActivationSpec | undefined): ActivationCode {
  if (spec === undefined) return { code: 0, a: 0, b: 0 };
  switch (spec.kind) {
    case 'clip':
      return { code: CODES.clip, a: spec.min, b: spec.max };
    case 'leakyRelu':
    case 'elu':
    case 'celu':
    case 'swish':
      return { code: CODES[spec.kind], a: spec.alpha, b: 0 };
    case 'prelu':
      return { code: CODES.prelu, a: 0, b: 0, slope: spec.slope };
    case 'hardSigmoid':
      return { code: CODES.hardSigmoid, a: spec.alpha, b: spec.beta };
    case 'selu':
      return { code: CODES.selu, a: spec.alpha, b: spec.gamma };
    case 'gelu':
      return { code: spec.approximate === 'tanh' ? 15 : 14, a: 0, b: 0 };
    case 'pow':
      return { code: CODES.pow, a: spec.exponent, b: 0 };
    default:
      return { code: CODES[spec.kind], a: 0, b: 0 };
  }
}
