import { beforeAll, describe, it } from 'vitest';
import { createRng, randomInt } from '@motiondelta/core';
import type { ActivationSpec, Pads2D, Pair, Rng, Tensor } from '@motiondelta/core';
import { expectClose, fromTf, randomActivation, randomTensor, run, tf, tfActivation, tfPair, toTf, useTfCpu } from './tf-oracle.js';

interface ConvCase {
  readonly label: string;
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly outC: number;
  readonly kernel: Pair;
  readonly strides: Pair;
  readonly dilations: Pair;
  readonly pads: Pads2D;
  readonly groups: number;
  readonly bias: boolean;
  readonly activation?: ActivationSpec;
}

/**
 * The tfjs oracle: tf.conv2d for groups = 1, tf.depthwiseConv2d for groups = Cin, per-group
 * tf.conv2d calls concatenated otherwise. tfjs refuses strides and dilations > 1 together, so such
 * cases run at stride 1 and keep every stride-th output, which is the definition of a stride.
 */
function tfConv(x: Tensor, w: Tensor, bias: Tensor | undefined, c: ConvCase): Tensor {
  return fromTf(
    tf.tidy(() => {
      const [pt, pl, pb, pr] = c.pads;
      const pad: [[number, number], [number, number], [number, number], [number, number]] = [
        [0, 0],
        [pt, pb],
        [pl, pr],
        [0, 0],
      ];
      const dilated = c.dilations[0] > 1 || c.dilations[1] > 1;
      const strides: [number, number] = dilated ? [1, 1] : tfPair(c.strides);
      const xt = toTf(x) as tf.Tensor4D;
      const wt = toTf(w) as tf.Tensor4D;
      let y: tf.Tensor4D;
      if (c.groups === 1) {
        y = tf.conv2d(xt, wt, strides, pad, 'NHWC', tfPair(c.dilations));
      } else if (c.groups === c.inC) {
        const filter = tf.reshape(wt, [c.kernel[0], c.kernel[1], c.inC, c.outC / c.inC]) as tf.Tensor4D;
        y = tf.depthwiseConv2d(xt, filter, strides, pad, 'NHWC', tfPair(c.dilations));
      } else {
        const xs = tf.split(xt, c.groups, 3);
        const ws = tf.split(wt, c.groups, 3);
        y = tf.concat(
          xs.map((xg, g) => tf.conv2d(xg as tf.Tensor4D, ws[g] as tf.Tensor4D, strides, pad, 'NHWC', tfPair(c.dilations))),
          3,
        );
      }
      if (dilated && (c.strides[0] > 1 || c.strides[1] > 1)) {
        y = tf.stridedSlice(y, [0, 0, 0, 0], y.shape, [1, c.strides[0], c.strides[1], 1]) as tf.Tensor4D;
      }
      const withBias = bias === undefined ? y : tf.add(y, toTf(bias));
      return tfActivation(withBias, c.activation);
    }),
  );
}

function check(rng: Rng, c: ConvCase): void {
  const x = randomTensor(rng, [c.batch, c.inH, c.inW, c.inC]);
  const w = randomTensor(rng, [c.kernel[0], c.kernel[1], c.inC / c.groups, c.outC]);
  const bias = c.bias ? randomTensor(rng, [c.outC]) : undefined;
  const expected = tfConv(x, w, bias, c);
  const actual = run({
    op: 'Conv2D',
    attrs: {
      kernel: c.kernel,
      strides: c.strides,
      dilations: c.dilations,
      pads: c.pads,
      autoPad: 'explicit',
      groups: c.groups,
      ...(c.activation === undefined ? {} : { activation: c.activation }),
    },
    inputs: [x, w, bias],
    outputShape: expected.shape,
  });
  expectClose(actual, expected, c.label);
}

const base = { batch: 1, strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], groups: 1, bias: true } as const;

describe('Conv2D (reference) against tfjs', () => {
  beforeAll(useTfCpu);

  it('matches fixed shape families: odd sizes, 1x3, 3x7, stride 2 on odd input, dilation 2, border pads', () => {
    const rng = createRng(101);
    const cases: ConvCase[] = [
      { ...base, label: '3x3 same-size', inH: 7, inW: 9, inC: 3, outC: 5, kernel: [3, 3], pads: [1, 1, 1, 1] },
      { ...base, label: '1x1 no bias', inH: 5, inW: 4, inC: 6, outC: 4, kernel: [1, 1], bias: false },
      { ...base, label: '1x3', inH: 6, inW: 7, inC: 4, outC: 3, kernel: [1, 3], pads: [0, 1, 0, 1] },
      { ...base, label: '3x7 asymmetric pads', inH: 8, inW: 11, inC: 2, outC: 3, kernel: [3, 7], pads: [1, 3, 2, 2] },
      { ...base, label: 'stride 2 on odd input', inH: 9, inW: 11, inC: 3, outC: 4, kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
      { ...base, label: 'stride 2 without pads', inH: 9, inW: 7, inC: 3, outC: 2, kernel: [5, 5], strides: [2, 2] },
      { ...base, label: 'dilation 2', inH: 10, inW: 9, inC: 3, outC: 3, kernel: [3, 3], dilations: [2, 2], pads: [2, 2, 2, 2] },
      {
        ...base,
        label: 'dilation 2 with stride 2',
        inH: 11,
        inW: 10,
        inC: 2,
        outC: 3,
        kernel: [3, 3],
        strides: [2, 2],
        dilations: [2, 2],
        pads: [2, 1, 2, 1],
      },
      {
        ...base,
        label: 'batch 2 with relu6',
        batch: 2,
        inH: 5,
        inW: 6,
        inC: 3,
        outC: 4,
        kernel: [3, 3],
        pads: [1, 1, 1, 1],
        activation: { kind: 'clip', min: 0, max: 6 },
      },
      { ...base, label: 'depthwise', inH: 7, inW: 8, inC: 4, outC: 4, kernel: [3, 3], pads: [1, 1, 1, 1], groups: 4 },
      {
        ...base,
        label: 'depthwise multiplier 2, stride 2',
        inH: 9,
        inW: 7,
        inC: 3,
        outC: 6,
        kernel: [3, 3],
        strides: [2, 2],
        pads: [1, 1, 1, 1],
        groups: 3,
      },
      {
        ...base,
        label: 'depthwise dilation 2',
        inH: 9,
        inW: 9,
        inC: 2,
        outC: 4,
        kernel: [3, 3],
        dilations: [2, 2],
        pads: [2, 2, 2, 2],
        groups: 2,
      },
      { ...base, label: 'grouped 2', inH: 6, inW: 7, inC: 4, outC: 6, kernel: [3, 3], pads: [1, 1, 1, 1], groups: 2 },
      {
        ...base,
        label: 'grouped 3, stride 2, 1x3',
        inH: 7,
        inW: 9,
        inC: 6,
        outC: 3,
        kernel: [1, 3],
        strides: [2, 2],
        pads: [0, 1, 0, 1],
        groups: 3,
      },
    ];
    for (const c of cases) check(rng, c);
  });

  it('matches random shapes, pads, strides, dilations, groups and fused activations', () => {
    const rng = createRng(202);
    for (let i = 0; i < 24; i++) {
      const groups = [1, 1, 2, 3][randomInt(rng, 0, 3)]!;
      const depthwise = rng.next() < 0.25;
      const inC = depthwise ? randomInt(rng, 1, 5) : groups * randomInt(rng, 1, 3);
      const outC = depthwise ? inC * randomInt(rng, 1, 2) : groups * randomInt(rng, 1, 3);
      const kernel: Pair = [randomInt(rng, 1, 5), randomInt(rng, 1, 7)];
      const dilations: Pair = [randomInt(rng, 1, 2), randomInt(rng, 1, 2)];
      const pads: Pads2D = [
        randomInt(rng, 0, kernel[0] - 1),
        randomInt(rng, 0, kernel[1] - 1),
        randomInt(rng, 0, kernel[0] - 1),
        randomInt(rng, 0, kernel[1] - 1),
      ];
      const inH = dilations[0] * (kernel[0] - 1) + randomInt(rng, 1, 8);
      const inW = dilations[1] * (kernel[1] - 1) + randomInt(rng, 1, 8);
      const activation = randomActivation(rng, outC);
      check(rng, {
        label: `random case ${i}`,
        batch: randomInt(rng, 1, 2),
        inH,
        inW,
        inC,
        outC,
        kernel,
        strides: [randomInt(rng, 1, 2), randomInt(rng, 1, 2)],
        dilations,
        pads,
        groups: depthwise ? inC : groups,
        bias: rng.next() < 0.7,
        ...(activation === undefined ? {} : { activation }),
      });
    }
  });
});
