import type { ActivationSpec } from '@motiondelta/core';
import { activationParams } from '../activation-params.js';

/** Activation codes shared with native/src/delta_activation_fn.h (enum DeltaActKind). */
export const ACTIVATION_CODES = {
  relu: 0,
  clip: 1,
  leakyRelu: 2,
  prelu: 3,
  sigmoid: 4,
  hardSigmoid: 5,
  hardSwish: 6,
  tanh: 7,
  elu: 8,
  selu: 9,
  celu: 10,
  softplus: 11,
  softsign: 12,
  gelu: 13,
  swish: 14,
  abs: 15,
  neg: 16,
  exp: 17,
  log: 18,
  sqrt: 19,
  reciprocal: 20,
  erf: 21,
  floor: 22,
  ceil: 23,
  round: 24,
  pow: 25,
} as const satisfies Record<ActivationSpec['kind'], number>;

/** An activation as the native kernel takes it: a code, two numbers and the PReLU slopes. */
export interface NativeActivation {
  readonly code: number;
  readonly a: number;
  readonly b: number;
  readonly slope: Float32Array;
}

const NO_SLOPE = new Float32Array(0);

export function encodeActivation(spec: ActivationSpec): NativeActivation {
  const [a, b] = activationParams('Activation', spec);
  const code = ACTIVATION_CODES[spec.kind];
  return { code, a, b, slope: spec.kind === 'prelu' ? spec.slope : NO_SLOPE };
}
