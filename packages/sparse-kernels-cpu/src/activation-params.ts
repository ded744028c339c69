import { ShapeError } from '@motiondelta/core';
import type { ActivationSpec } from '@motiondelta/core';

/**
 * The two numbers an activation carries into the addon, `a` and `b` of its native form (dense:
 * native/src/common_activation.h, delta: native/src/delta_activation_fn.h, the same meaning in
 * both); 0 where unused. PReLU's slopes travel apart. Throws a ShapeError naming `op` for a kind
 * this package does not know (an object from outside the type system).
 */
export function activationParams(op: string, spec: ActivationSpec): readonly [number, number] {
  switch (spec.kind) {
    case 'clip':
      return [spec.min, spec.max];
    case 'leakyRelu':
    case 'elu':
    case 'celu':
    case 'swish':
      return [spec.alpha, 0];
    case 'hardSigmoid':
      return [spec.alpha, spec.beta];
    case 'selu':
      return [spec.alpha, spec.gamma];
    case 'gelu':
      if (spec.approximate !== 'none' && spec.approximate !== 'tanh') {
        throw new ShapeError(`${op}: gelu approximate must be 'none' or 'tanh', got ${JSON.stringify(spec.approximate)}.`);
      }
      return [spec.approximate === 'tanh' ? 1 : 0, 0];
    case 'pow':
      return [spec.exponent, 0];
    case 'relu':
    case 'prelu':
    case 'sigmoid':
    case 'hardSwish':
    case 'tanh':
    case 'softplus':
    case 'softsign':
    case 'abs':
    case 'neg':
    case 'exp':
    case 'log':
    case 'sqrt':
    case 'reciprocal':
    case 'erf':
    case 'floor':
    case 'ceil':
    case 'round':
      return [0, 0];
    default: {
      const unknown: never = spec;
      throw new ShapeError(`${op}: unknown activation ${JSON.stringify(unknown)}.`);
    }
  }
}
