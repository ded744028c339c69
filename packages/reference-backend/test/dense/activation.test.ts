import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError, createRng, randomFloat32 } from '@motiondelta/core';
import type { ActivationSpec } from '@motiondelta/core';
import { applyActivation } from '../../src/index.js';
import { expectClose, fromTf, randomTensor, run, tf, tfActivation, toTf, useTfCpu } from './tf-oracle.js';

describe('Activation (reference) against tfjs', () => {
  beforeAll(useTfCpu);

  it('matches every activation kind on random NHWC and 2-D tensors', () => {
    const rng = createRng(808);
    for (const shape of [
      [1, 5, 7, 4],
      [3, 6],
    ]) {
      const channels = shape[shape.length - 1]!;
      const specs: ActivationSpec[] = [
        { kind: 'relu' },
        { kind: 'clip', min: 0, max: 6 },
        { kind: 'clip', min: -1.5, max: 2 },
        { kind: 'leakyRelu', alpha: 0.01 },
        { kind: 'prelu', slope: randomFloat32(rng, 1, 0, 1) },
        { kind: 'prelu', slope: randomFloat32(rng, channels, -1, 1) },
        { kind: 'sigmoid' },
        { kind: 'hardSigmoid', alpha: 0.2, beta: 0.5 },
        { kind: 'hardSwish' },
        { kind: 'tanh' },
      ];
      for (const spec of specs) {
        // Wide range so that clip bounds, hard-sigmoid saturation and sigmoid tails are reached.
        const x = randomTensor(rng, shape, -8, 8);
        const expected = fromTf(tf.tidy(() => tfActivation(toTf(x), spec)));
        const actual = run({ op: 'Activation', attrs: { activation: spec }, inputs: [x], outputShape: shape });
        expectClose(actual, expected, `${spec.kind} on [${shape.join(',')}]`);
      }
    }
  });

  it('applies in place and leaves the standalone op input untouched', () => {
    const rng = createRng(809);
    const x = randomTensor(rng, [2, 3], -1, 1);
    const before = Float32Array.from(x.data);
    const y = run({ op: 'Activation', attrs: { activation: { kind: 'relu' } }, inputs: [x], outputShape: x.shape });
    expect(x.data).toEqual(before);
    const inPlace = Float32Array.from(x.data);
    applyActivation(inPlace, 3, { kind: 'relu' });
    expect(inPlace).toEqual(y.data);
  });

  it('rejects a prelu slope that is neither one value nor one per channel', () => {
    const data = new Float32Array(12);
    expect(() => applyActivation(data, 4, { kind: 'prelu', slope: new Float32Array(3) })).toThrow(ShapeError);
  });
});

describe('BatchNorm (reference) against tfjs', () => {
  beforeAll(useTfCpu);

  it('matches tf.batchNorm on NHWC and 2-D inputs', () => {
    const rng = createRng(810);
    for (const shape of [
      [2, 5, 6, 3],
      [4, 7],
    ]) {
      const c = shape[shape.length - 1]!;
      const x = randomTensor(rng, shape, -3, 3);
      const scale = randomTensor(rng, [c], 0.5, 2);
      const bias = randomTensor(rng, [c]);
      const mean = randomTensor(rng, [c]);
      const variance = randomTensor(rng, [c], 0.1, 2);
      const epsilon = 1e-3;
      const expected = fromTf(tf.tidy(() => tf.batchNorm(toTf(x), toTf(mean), toTf(variance), toTf(bias), toTf(scale), epsilon)));
      const actual = run({ op: 'BatchNorm', attrs: { epsilon }, inputs: [x, scale, bias, mean, variance], outputShape: shape });
      expectClose(actual, expected, `batch norm [${shape.join(',')}]`);
    }
  });
});
