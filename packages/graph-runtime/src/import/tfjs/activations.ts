import type { ActivationSpec } from '@motiondelta/core';

export const RELU: ActivationSpec = { kind: 'relu' };
export const RELU6: ActivationSpec = { kind: 'clip', min: 0, max: 6 };
export const SIGMOID: ActivationSpec = { kind: 'sigmoid' };
export const TANH: ActivationSpec = { kind: 'tanh' };
/** Keras's hard_sigmoid (and tfjs-layers'), not ONNX's default 1/6 slope. */
export const KERAS_HARD_SIGMOID: ActivationSpec = { kind: 'hardSigmoid', alpha: 0.2, beta: 0.5 };

/**
 * A Keras activation name as the IR can express it: fused into the producing node (`fused`),
 * nothing at all (`linear`), or an extra node after it (softmax and swish have no ActivationSpec).
 */
export type KerasActivation =
  | { readonly kind: 'linear' }
  | { readonly kind: 'fused'; readonly spec: ActivationSpec }
  | { readonly kind: 'softmax' }
  | { readonly kind: 'swish' };

export function kerasActivation(name: string): KerasActivation | undefined {
  switch (name) {
    case 'linear':
      return { kind: 'linear' };
    case 'relu':
      return { kind: 'fused', spec: RELU };
    case 'relu6':
      return { kind: 'fused', spec: RELU6 };
    case 'sigmoid':
      return { kind: 'fused', spec: SIGMOID };
    case 'tanh':
      return { kind: 'fused', spec: TANH };
    case 'hard_sigmoid':
    case 'hardSigmoid':
      return { kind: 'fused', spec: KERAS_HARD_SIGMOID };
    case 'softmax':
      return { kind: 'softmax' };
    case 'swish':
    case 'silu':
      return { kind: 'swish' };
    default:
      return undefined;
  }
}
