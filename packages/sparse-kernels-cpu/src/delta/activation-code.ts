import type { ActivationSpec } from '@motiondelta/core';

/** Activation codes shared with native/src/delta_activation_fn.h (enum ActKind). */
export const ACTIVATION_CODES = {
  relu: 0,
  clip: 1,
  leakyRelu: 2,
  prelu: 3,
  sigmoid: 4,
  hardSigmoid: 5,
  hardSwish: 6,
  tanh: 7,
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
  const code = ACTIVATION_CODES[spec.kind];
  switch (spec.kind) {
    case 'clip':
      return { code, a: spec.min, b: spec.max, slope: NO_SLOPE };
    case 'leakyRelu':
      return { code, a: spec.alpha, b: 0, slope: NO_SLOPE };
    case 'prelu':
      return { code, a: 0, b: 0, slope: spec.slope };
    case 'hardSigmoid':
      return { code, a: spec.alpha, b: spec.beta, slope: NO_SLOPE };
    default:
      return { code, a: 0, b: 0, slope: NO_SLOPE };
  }
}
