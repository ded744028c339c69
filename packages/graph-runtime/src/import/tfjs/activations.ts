import type { ActivationSpec } from '@motiondelta/core';

export const RELU: ActivationSpec = { kind: 'relu' };
export const RELU6: ActivationSpec = { kind: 'clip', min: 0, max: 6 };
export const SIGMOID: ActivationSpec = { kind: 'sigmoid' };
export const TANH: ActivationSpec = { kind: 'tanh' };
/** Keras's hard_sigmoid (and tfjs-layers'), not ONNX's default 1/6 slope. */
export const KERAS_HARD_SIGMOID: ActivationSpec = { kind: 'hardSigmoid', alpha: 0.2, beta: 0.5 };
/** SELU's self-normalising constants, as TensorFlow's `Selu` kernel has them. */
export const SELU: ActivationSpec = { kind: 'selu', alpha: 1.6732632423543772, gamma: 1.0507009873554805 };
/** Swish / SiLU, `x * sigmoid(x)` (Keras and tfjs-layers have no beta). */
export const SWISH: ActivationSpec = { kind: 'swish', alpha: 1 };

/**
 * A Keras activation name as the IR can express it: fused into the producing node (`fused`),
 * nothing at all (`linear`), or an extra node after it (softmax has no ActivationSpec).
 */
export type KerasActivation =
  { readonly kind: 'linear' } | { readonly kind: 'fused'; readonly spec: ActivationSpec } | { readonly kind: 'softmax' };

/** The Keras activation names `kerasActivation` accepts, for error messages. */
export const KERAS_ACTIVATION_NAMES: readonly string[] = [
  'linear',
  'relu',
  'relu6',
  'sigmoid',
  'tanh',
  'hard_sigmoid',
  'softmax',
  'swish',
  'silu',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'gelu',
  'gelu_new',
];

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
      return { kind: 'fused', spec: SWISH };
    case 'elu':
      // tfjs-layers' `elu` activation is K.elu(x) with its default alpha of 1.
      return { kind: 'fused', spec: { kind: 'elu', alpha: 1 } };
    case 'selu':
      return { kind: 'fused', spec: SELU };
    case 'softplus':
      return { kind: 'fused', spec: { kind: 'softplus' } };
    case 'softsign':
      return { kind: 'fused', spec: { kind: 'softsign' } };
    case 'gelu':
      // tfjs-layers: x * 0.5 * (1 + erf(x / sqrt(2))).
      return { kind: 'fused', spec: { kind: 'gelu', approximate: 'none' } };
    case 'gelu_new':
      // tfjs-layers: the tanh approximation with 0.044715 x^3.
      return { kind: 'fused', spec: { kind: 'gelu', approximate: 'tanh' } };
    default:
      return undefined;
  }
}
