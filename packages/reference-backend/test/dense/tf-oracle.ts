/**
 * Shared helpers for the reference-kernel tests: TensorFlow.js (cpu backend) is the independent
 * oracle, tensors are random from a seeded generator, and results are compared with the project
 * tolerance `max |actual - expected| <= 1e-4 * (1 + max |expected|)`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { expect } from 'vitest';
import { randomFloat32, sizeOf } from '@motiondelta/core';
import type { ActivationSpec, DenseKernelCall, Rng, Shape, Tensor } from '@motiondelta/core';
import { ReferenceBackend } from '../../src/index.js';

export { tf };

export const backend = new ReferenceBackend();

/** Selects the tfjs cpu backend; call from `beforeAll`. */
export async function useTfCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

export function randomTensor(rng: Rng, shape: Shape, lo = -1, hi = 1): Tensor {
  return { data: randomFloat32(rng, sizeOf(shape), lo, hi), shape };
}

export function toTf(t: Tensor): tf.Tensor {
  return tf.tensor(t.data, [...t.shape], 'float32');
}

/** Reads a tfjs tensor back into our Tensor type and frees it. */
export function fromTf(t: tf.Tensor): Tensor {
  const data = Float32Array.from(t.dataSync() as Float32Array);
  const shape = [...t.shape];
  t.dispose();
  return { data, shape };
}

/** Runs a call through the backend's dispatch, as the executor would. */
export function run(call: DenseKernelCall): Tensor {
  return backend.runDense(call);
}

/** The project tolerance; on failure the message names the case and the worst element. */
export function expectClose(actual: Tensor, expected: Tensor, label: string): void {
  expect([...actual.shape], `${label}: shape`).toEqual([...expected.shape]);
  expect(actual.data.length, `${label}: length`).toBe(expected.data.length);
  let maxExpected = 0;
  for (const v of expected.data) maxExpected = Math.max(maxExpected, Math.abs(v));
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.data.length; i++) {
    const err = Math.abs(actual.data[i]! - expected.data[i]!);
    // NaN must fail too, hence the negated comparison.
    if (!(err <= worst)) {
      worst = Number.isNaN(err) ? Infinity : err;
      worstAt = i;
    }
  }
  const tolerance = 1e-4 * (1 + maxExpected);
  expect(
    worst,
    `${label}: max abs error ${worst} at flat index ${worstAt} (actual ${actual.data[worstAt]}, expected ${expected.data[worstAt]}) exceeds ${tolerance}`,
  ).toBeLessThanOrEqual(tolerance);
}

/** The activation, built from tfjs ops, for checking fused activations. */
export function tfActivation(x: tf.Tensor, spec: ActivationSpec | undefined): tf.Tensor {
  if (spec === undefined) return x;
  switch (spec.kind) {
    case 'relu':
      return tf.relu(x);
    case 'clip':
      return tf.clipByValue(x, spec.min, spec.max);
    case 'leakyRelu':
      return tf.leakyRelu(x, spec.alpha);
    case 'prelu':
      return tf.prelu(x, tf.tensor1d(spec.slope));
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'hardSigmoid':
      return tf.clipByValue(tf.add(tf.mul(x, spec.alpha), spec.beta), 0, 1);
    case 'hardSwish':
      return tf.mul(x, tf.clipByValue(tf.add(tf.div(x, 6), 0.5), 0, 1));
    case 'tanh':
      return tf.tanh(x);
    case 'elu':
      return tf.where(tf.less(x, 0), tf.mul(spec.alpha, tf.sub(tf.exp(x), 1)), x);
    case 'selu':
      return tf.mul(spec.gamma, tf.where(tf.greater(x, 0), x, tf.mul(spec.alpha, tf.sub(tf.exp(x), 1))));
    case 'celu':
      return tf.add(tf.relu(x), tf.minimum(0, tf.mul(spec.alpha, tf.sub(tf.exp(tf.div(x, spec.alpha)), 1))));
    case 'softplus':
      return tf.softplus(x);
    case 'softsign':
      return tf.div(x, tf.add(1, tf.abs(x)));
    case 'gelu':
      return spec.approximate === 'tanh'
        ? tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))))
        : tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
    case 'swish':
      return tf.mul(x, tf.sigmoid(tf.mul(spec.alpha, x)));
    case 'abs':
      return tf.abs(x);
    case 'neg':
      return tf.neg(x);
    case 'exp':
      return tf.exp(x);
    case 'log':
      return tf.log(x);
    case 'sqrt':
      return tf.sqrt(x);
    case 'reciprocal':
      return tf.reciprocal(x);
    case 'erf':
      return tf.erf(x);
    case 'floor':
      return tf.floor(x);
    case 'ceil':
      return tf.ceil(x);
    case 'round':
      return tf.round(x);
    case 'pow':
      return tf.pow(x, spec.exponent);
  }
}

/** A random activation (or none), for fused-activation cases. */
export function randomActivation(rng: Rng, channels: number): ActivationSpec | undefined {
  const options: (ActivationSpec | undefined)[] = [
    undefined,
    { kind: 'relu' },
    { kind: 'clip', min: 0, max: 6 },
    { kind: 'clip', min: -0.5, max: 0.25 },
    { kind: 'leakyRelu', alpha: 0.1 },
    { kind: 'prelu', slope: randomFloat32(rng, channels, 0, 0.5) },
    { kind: 'sigmoid' },
    { kind: 'hardSigmoid', alpha: 0.2, beta: 0.5 },
    { kind: 'hardSwish' },
    { kind: 'tanh' },
  ];
  return options[Math.floor(rng.next() * options.length)];
}

/** tfjs takes mutable [h, w] tuples; the spec's pairs are readonly. */
export function tfPair(p: readonly [number, number]): [number, number] {
  return [p[0], p[1]];
}
