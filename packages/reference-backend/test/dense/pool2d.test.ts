import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError, createRng, randomInt } from '@motiondelta/core';
import type { Pads2D, Pair, Rng, Tensor } from '@motiondelta/core';
import { expectClose, fromTf, randomTensor, run, tf, tfPair, toTf, useTfCpu } from './tf-oracle.js';

interface PoolCase {
  readonly label: string;
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly channels: number;
  readonly kernel: Pair;
  readonly strides: Pair;
  readonly pads: Pads2D;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
}

/**
 * Output size as the planner computes it: floor, or ceil with PyTorch's rule that the last window
 * must start inside the input or the begin padding.
 */
function plannedSize(size: number, padBegin: number, padEnd: number, k: number, s: number, ceil: boolean): number {
  const span = size + padBegin + padEnd - k;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (out - 1) * s >= size + padBegin) out--;
  return out;
}

/**
 * The tfjs oracle, from valid pooling over explicitly padded tensors: the input is padded by the
 * pads plus whatever ceil mode needs beyond the end. Max pads with -Infinity. Average divides a
 * window sum by a window count, both from tf.avgPool: the sum pools the zero-padded input, the
 * count pools a 0/1 mask that is 1 over the input (countIncludePad false) or over the padded
 * input (true), so positions that exist only because of ceil mode never count.
 */
function tfPool(x: Tensor, c: PoolCase, kind: 'max' | 'avg', outH: number, outW: number): Tensor {
  const [pt, pl, pb, pr] = c.pads;
  const extraH = Math.max(0, (outH - 1) * c.strides[0] + c.kernel[0] - (c.inH + pt + pb));
  const extraW = Math.max(0, (outW - 1) * c.strides[1] + c.kernel[1] - (c.inW + pl + pr));
  const fullPad: [number, number][] = [
    [0, 0],
    [pt, pb + extraH],
    [pl, pr + extraW],
    [0, 0],
  ];
  return fromTf(
    tf.tidy(() => {
      const crop = (t: tf.Tensor4D) => tf.slice(t, [0, 0, 0, 0], [-1, outH, outW, -1]);
      if (kind === 'max') {
        const padded = tf.pad(toTf(x), fullPad, -Infinity) as tf.Tensor4D;
        return crop(tf.maxPool(padded, tfPair(c.kernel), tfPair(c.strides), 'valid'));
      }
      const area = c.kernel[0] * c.kernel[1];
      const sum = tf.mul(tf.avgPool(tf.pad(toTf(x), fullPad) as tf.Tensor4D, tfPair(c.kernel), tfPair(c.strides), 'valid'), area);
      const mask = c.countIncludePad
        ? tf.pad(tf.ones([1, c.inH + pt + pb, c.inW + pl + pr, 1]), [
            [0, 0],
            [0, extraH],
            [0, extraW],
            [0, 0],
          ])
        : tf.pad(tf.ones([1, c.inH, c.inW, 1]), fullPad);
      const count = tf.mul(tf.avgPool(mask as tf.Tensor4D, tfPair(c.kernel), tfPair(c.strides), 'valid'), area);
      return crop(tf.div(sum, tf.round(count)) as tf.Tensor4D);
    }),
  );
}

function check(rng: Rng, c: PoolCase): void {
  const outH = plannedSize(c.inH, c.pads[0], c.pads[2], c.kernel[0], c.strides[0], c.ceilMode);
  const outW = plannedSize(c.inW, c.pads[1], c.pads[3], c.kernel[1], c.strides[1], c.ceilMode);
  const x = randomTensor(rng, [c.batch, c.inH, c.inW, c.channels]);
  const attrs = {
    kernel: c.kernel,
    strides: c.strides,
    pads: c.pads,
    autoPad: 'explicit',
    ceilMode: c.ceilMode,
    countIncludePad: c.countIncludePad,
  } as const;
  const outputShape = [c.batch, outH, outW, c.channels];
  expectClose(run({ op: 'MaxPool2D', attrs, inputs: [x], outputShape }), tfPool(x, c, 'max', outH, outW), `${c.label} (max)`);
  expectClose(run({ op: 'AvgPool2D', attrs, inputs: [x], outputShape }), tfPool(x, c, 'avg', outH, outW), `${c.label} (avg)`);
}

const base = { batch: 1, channels: 3, strides: [1, 1], pads: [0, 0, 0, 0], ceilMode: false, countIncludePad: false } as const;

describe('MaxPool2D / AvgPool2D (reference) against tfjs', () => {
  beforeAll(useTfCpu);

  it('matches fixed cases: pads at borders, stride 2 on odd input, ceil mode, countIncludePad', () => {
    const rng = createRng(505);
    const cases: PoolCase[] = [
      { ...base, label: '2x2 stride 2', inH: 8, inW: 6, kernel: [2, 2], strides: [2, 2] },
      { ...base, label: '3x3 stride 2 pads 1 odd input', inH: 9, inW: 7, kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
      {
        ...base,
        label: 'same as above, countIncludePad',
        inH: 9,
        inW: 7,
        kernel: [3, 3],
        strides: [2, 2],
        pads: [1, 1, 1, 1],
        countIncludePad: true,
      },
      { ...base, label: 'ceil mode 2x2 stride 2 odd input', inH: 7, inW: 9, kernel: [2, 2], strides: [2, 2], ceilMode: true },
      {
        ...base,
        label: 'ceil mode with pads, countIncludePad',
        inH: 8,
        inW: 7,
        kernel: [3, 3],
        strides: [2, 2],
        pads: [1, 1, 1, 1],
        ceilMode: true,
        countIncludePad: true,
      },
      {
        ...base,
        label: 'ceil mode 3x3 stride 3, countIncludePad',
        inH: 8,
        inW: 10,
        kernel: [3, 3],
        strides: [3, 3],
        ceilMode: true,
        countIncludePad: true,
      },
      { ...base, label: '1x3 asymmetric pads', batch: 2, inH: 5, inW: 6, kernel: [1, 3], pads: [0, 2, 0, 1] },
      { ...base, label: '3x7', inH: 6, inW: 11, kernel: [3, 7], strides: [1, 2], pads: [1, 3, 1, 3], countIncludePad: true },
    ];
    for (const c of cases) check(rng, c);
  });

  it('matches random configurations', () => {
    const rng = createRng(606);
    for (let i = 0; i < 30; i++) {
      const kernel: Pair = [randomInt(rng, 1, 4), randomInt(rng, 1, 4)];
      // PyTorch/ONNX keep pads at most half the kernel, so no window lies wholly in the padding.
      const pads: Pads2D = [
        randomInt(rng, 0, Math.floor(kernel[0] / 2)),
        randomInt(rng, 0, Math.floor(kernel[1] / 2)),
        randomInt(rng, 0, Math.floor(kernel[0] / 2)),
        randomInt(rng, 0, Math.floor(kernel[1] / 2)),
      ];
      check(rng, {
        label: `random case ${i}`,
        batch: randomInt(rng, 1, 2),
        inH: kernel[0] + randomInt(rng, 0, 7),
        inW: kernel[1] + randomInt(rng, 0, 7),
        channels: randomInt(rng, 1, 4),
        kernel,
        strides: [randomInt(rng, 1, 3), randomInt(rng, 1, 3)],
        pads,
        ceilMode: rng.next() < 0.5,
        countIncludePad: rng.next() < 0.5,
      });
    }
  });

  it('rejects a planned output size that neither floor nor ceil rounding gives', () => {
    const x = randomTensor(createRng(7), [1, 7, 7, 2]);
    const attrs = {
      kernel: [2, 2],
      strides: [2, 2],
      pads: [0, 0, 0, 0],
      autoPad: 'explicit',
      ceilMode: false,
      countIncludePad: false,
    } as const;
    expect(() => run({ op: 'MaxPool2D', attrs, inputs: [x], outputShape: [1, 5, 3, 2] })).toThrow(ShapeError);
  });
});

describe('GlobalAvgPool (reference) against tfjs', () => {
  beforeAll(useTfCpu);

  it('matches tf.mean over H and W', () => {
    const rng = createRng(707);
    for (const shape of [
      [1, 7, 5, 3],
      [2, 1, 1, 4],
      [3, 9, 4, 1],
    ]) {
      const x = randomTensor(rng, shape);
      const expected = fromTf(tf.tidy(() => tf.mean(toTf(x), [1, 2], true)));
      expectClose(
        run({ op: 'GlobalAvgPool', attrs: {}, inputs: [x], outputShape: expected.shape }),
        expected,
        `global avg ${shape.join('x')}`,
      );
    }
  });
});
