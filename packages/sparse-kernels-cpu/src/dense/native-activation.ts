import { ShapeError } from '@motiondelta/core';
import type { ActivationSpec } from '@motiondelta/core';
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
} as const satisfies Record<ActivationSpec['kind'], number>;

/**
 * Encodes an activation for the addon, checking a PReLU slope against the channel count (the
 * last dimension of the tensor it applies to) so the native loop never reads past it.
 */
export function encodeActivation(op: string, spec: ActivationSpec | undefined, channels: number): NativeActivation | null {
  if (spec === undefined) return null;
  switch (spec.kind) {
    case 'relu':
    case 'sigmoid':
    case 'hardSwish':
    case 'tanh':
      return { kind: ACTIVATION_KIND[spec.kind], a: 0, b: 0, slope: null };
    case 'clip':
      return { kind: ACTIVATION_KIND.clip, a: spec.min, b: spec.max, slope: null };
    case 'leakyRelu':
      return { kind: ACTIVATION_KIND.leakyRelu, a: spec.alpha, b: 0, slope: null };
    case 'hardSigmoid':
      return { kind: ACTIVATION_KIND.hardSigmoid, a: spec.alpha, b: spec.beta, slope: null };
    case 'prelu':
      if (!(spec.slope instanceof Float32Array) || (spec.slope.length !== 1 && spec.slope.length !== channels)) {
        throw new ShapeError(
          `${op}: prelu slope has ${spec.slope.length} values but the output has ${channels} channels in its last dimension; accepted: 1 value or one per channel.`,
        );
      }
      return { kind: ACTIVATION_KIND.prelu, a: 0, b: 0, slope: spec.slope };
    default: {
      const unknown: never = spec;
      throw new ShapeError(`${op}: unknown activation ${JSON.stringify(unknown)}.`);
    }
  }
}
