import { ShapeError } from '@motiondelta/core';
import type { ActivationSpec } from '@motiondelta/core';
import { activationParams } from '../activation-params.js';
import type { NativeActivation } from './native-dense-addon.js';

/** Kind numbers of the addon's activations (native/src/common_activation.h, ActKind). */
export const ACTIVATION_KIND = {
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
  gelu: 14,
  swish: 15,
  abs: 16,
  neg: 17,
  exp: 18,
  log: 19,
  sqrt: 20,
  reciprocal: 21,
  erf: 22,
  floor: 23,
  ceil: 24,
  round: 25,
  pow: 26,
} as const satisfies Record<ActivationSpec['kind'], number>;

/**
 * Encodes an activation for the addon, checking a PReLU slope against the channel count (the
 * last dimension of the tensor it applies to) so the native loop never reads past it.
 */
export function encodeActivation(op: string, spec: ActivationSpec | undefined, channels: number): NativeActivation | null {
  if (spec === undefined) return null;
  if (spec.kind === 'prelu') {
    if (!(spec.slope instanceof Float32Array) || (spec.slope.length !== 1 && spec.slope.length !== channels)) {
      throw new ShapeError(
        `${op}: prelu slope has ${spec.slope.length} values but the output has ${channels} channels in its last dimension; accepted: 1 value or one per channel.`,
      );
    }
    return { kind: ACTIVATION_KIND.prelu, a: 0, b: 0, slope: spec.slope };
  }
  // activationParams rejects a kind outside ActivationSpec before the table is read.
  const [a, b] = activationParams(op, spec);
  return { kind: ACTIVATION_KIND[spec.kind], a, b, slope: null };
}
