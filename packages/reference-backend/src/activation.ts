import { ShapeError } from '@motiondelta/core';
import type { ActivationSpec, Tensor } from '@motiondelta/core';
import { expectOutputShape, requireInput } from '@motiondelta/core';
import type { KernelCall } from '@motiondelta/core';
import { unaryFunction } from './unary-functions.js';

/**
 * Applies `spec` in place to `data`, whose last (fastest-varying) dimension has `channels`
 * entries. Exported so that fused producers (convolution, binary ops, Gemm) share one definition
 * of every activation with the standalone `Activation` op.
 */
export function applyActivation(data: Float32Array, channels: number, spec: ActivationSpec): void {
  const n = data.length;
  switch (spec.kind) {
    case 'relu':
      for (let i = 0; i < n; i++) {
        const v = data[i]!;
        if (v < 0) data[i] = 0;
      }
      return;
    case 'clip': {
      const { min, max } = spec;
      for (let i = 0; i < n; i++) {
        const v = data[i]!;
        data[i] = v < min ? min : v > max ? max : v;
      }
      return;
    }
    case 'leakyRelu': {
      const alpha = spec.alpha;
      for (let i = 0; i < n; i++) {
        const v = data[i]!;
        if (v < 0) data[i] = alpha * v;
      }
      return;
    }
    case 'prelu':
      applyPrelu(data, channels, spec.slope);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) data[i] = 1 / (1 + Math.exp(-data[i]!));
      return;
    case 'hardSigmoid': {
      const { alpha, beta } = spec;
      for (let i = 0; i < n; i++) {
        const v = alpha * data[i]! + beta;
        data[i] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
      return;
    }
    case 'hardSwish':
      for (let i = 0; i < n; i++) {
        const x = data[i]!;
        const gate = x / 6 + 0.5;
        data[i] = x * (gate < 0 ? 0 : gate > 1 ? 1 : gate);
      }
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) data[i] = Math.tanh(data[i]!);
      return;
    case 'elu':
    case 'selu':
    case 'celu':
    case 'softplus':
    case 'softsign':
    case 'gelu':
    case 'swish':
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
    case 'pow': {
      const f = unaryFunction(spec);
      for (let i = 0; i < n; i++) data[i] = f(data[i]!);
      return;
    }
    default: {
      const unknown: never = spec;
      throw new ShapeError(`applyActivation: unknown activation ${JSON.stringify(unknown)}.`);
    }
  }
}

function applyPrelu(data: Float32Array, channels: number, slope: Float32Array): void {
  const n = data.length;
  if (slope.length === 1) {
    const s = slope[0]!;
    for (let i = 0; i < n; i++) {
      const v = data[i]!;
      if (v < 0) data[i] = s * v;
    }
    return;
  }
  if (slope.length !== channels || channels === 0 || n % channels !== 0) {
    throw new ShapeError(
      `prelu: slope has ${slope.length} values but the tensor has ${channels} channels in its last dimension; accepted: 1 value or one per channel.`,
    );
  }
  for (let base = 0; base < n; base += channels) {
    for (let c = 0; c < channels; c++) {
      const v = data[base + c]!;
      if (v < 0) data[base + c] = slope[c]! * v;
    }
  }
}

/** The standalone `Activation` op: a copy of the input with the activation applied. */
export function activationKernel(call: KernelCall<'Activation'>): Tensor {
  const x = requireInput(call, 0, 'x');
  expectOutputShape(call.op, call.outputShape, x.shape);
  const data = Float32Array.from(x.data);
  const channels = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1]!;
  applyActivation(data, channels, call.attrs.activation);
  return { data, shape: call.outputShape };
}
