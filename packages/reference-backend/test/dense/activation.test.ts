import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError, createRng, randomFloat32 } from '@motiondelta/core';
import type { ActivationSpec } from '@motiondelta/core';
import { applyActivation } from '../../src/index.js';
import { erf } from '../../src/erf.js';
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
        { kind: 'elu', alpha: 0.7 },
        { kind: 'selu', alpha: 1.6732632423543772, gamma: 1.0507009873554805 },
        { kind: 'celu', alpha: 0.5 },
        { kind: 'softplus' },
        { kind: 'softsign' },
        { kind: 'gelu', approximate: 'none' },
        { kind: 'gelu', approximate: 'tanh' },
        { kind: 'swish', alpha: 1 },
        { kind: 'abs' },
        { kind: 'neg' },
        { kind: 'exp' },
        { kind: 'log' },
        { kind: 'sqrt' },
        { kind: 'reciprocal' },
        { kind: 'erf' },
        { kind: 'floor' },
        { kind: 'ceil' },
        { kind: 'round' },
        { kind: 'pow', exponent: 3 },
        { kind: 'pow', exponent: 0.5 },
      ];
      for (const spec of specs) {
        // Wide range so that clip bounds, hard-sigmoid saturation and sigmoid tails are reached;
        // positive for the functions only defined (or well conditioned) there.
        const positive = ['log', 'sqrt', 'reciprocal'].includes(spec.kind) || (spec.kind === 'pow' && spec.exponent === 0.5);
        const x = positive ? randomTensor(rng, shape, 0.05, 8) : randomTensor(rng, shape, -8, 8);
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

  it('rounds halves to even, as ONNX and TensorFlow Round do', () => {
    const data = Float32Array.of(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 0.49999997, -0.4);
    applyActivation(data, data.length, { kind: 'round' });
    expect([...data]).toEqual([-2, -2, -0, 0, 2, 2, 4, 0, -0]);
  });

  it("gives IEEE results outside a function's domain: NaN below 0 for log and sqrt, infinities at 0", () => {
    const data = (kind: 'log' | 'sqrt' | 'reciprocal') => {
      const d = Float32Array.of(-1, -0, 0, 4);
      applyActivation(d, 4, { kind });
      return [...d];
    };
    expect(data('log')).toEqual([NaN, -Infinity, -Infinity, Math.fround(Math.log(4))]);
    expect(data('sqrt')).toEqual([NaN, -0, 0, 2]);
    expect(data('reciprocal')).toEqual([-1, -Infinity, Infinity, 0.25]);
  });

  it('evaluates erf to double precision (fdlibm, as the C library the native backend uses)', () => {
    // Values of erf from its series, to 16 digits.
    const cases: [number, number][] = [
      [0, 0],
      [1e-10, 1.1283791670955126e-10],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [1.5, 0.9661051464753108],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
      [5, 0.9999999999984626],
      [7, 1],
    ];
    for (const [x, want] of cases) {
      expect(erf(x)).toBeCloseTo(want, 15);
      expect(erf(-x)).toBeCloseTo(-want, 15);
    }
    expect(erf(Infinity)).toBe(1);
    expect(erf(NaN)).toBeNaN();
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
