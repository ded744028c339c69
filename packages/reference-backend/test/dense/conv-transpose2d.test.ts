import { beforeAll, describe, it } from 'vitest';
import { createRng, randomInt } from '@motiondelta/core';
import type { ActivationSpec, Pads2D, Pair, Rng, Tensor } from '@motiondelta/core';
import { expectClose, fromTf, randomActivation, randomTensor, run, tf, tfActivation, tfPair, toTf, useTfCpu } from './tf-oracle.js';

interface ConvTransposeCase {
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
  readonly outputPadding: Pair;
  readonly groups: number;
  readonly bias: boolean;
  readonly activation?: ActivationSpec;
}

/** Spreads a [kh, kw, ...] filter to its dilated footprint, zeros between the taps. */
function dilateFilter(w: Tensor, dilations: Pair): Tensor {
  const [kh, kw, ci, co] = w.shape as [number, number, number, number];
  const eh = dilations[0] * (kh - 1) + 1;
  const ew = dilations[1] * (kw - 1) + 1;
  const data = new Float32Array(eh * ew * ci * co);
  const tap = ci * co;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      const src = (ky * kw + kx) * tap;
      data.set(w.data.subarray(src, src + tap), (ky * dilations[0] * ew + kx * dilations[1]) * tap);
    }
  }
  return { data, shape: [eh, ew, ci, co] };
}

/**
 * The tfjs oracle: tf.conv2dTranspose computes the uncropped ('valid') transposed output, per group
 * and with the dilated filter (tfjs has no dilation here); outputPadding is then added as zero
 * rows/columns at the bottom/right and the pads are cropped off, which is the ONNX definition.
 * tfjs filters are [kh, kw, outC, inC], ours [kh, kw, inC, outC/groups].
 */
function tfConvTranspose(x: Tensor, w: Tensor, bias: Tensor | undefined, c: ConvTransposeCase): Tensor {
  const wd = dilateFilter(w, c.dilations);
  const [eh, ew] = wd.shape as [number, number];
  const fullH = (c.inH - 1) * c.strides[0] + eh;
  const fullW = (c.inW - 1) * c.strides[1] + ew;
  const coutPerGroup = c.outC / c.groups;
  return fromTf(
    tf.tidy(() => {
      const xs = tf.split(toTf(x) as tf.Tensor4D, c.groups, 3);
      const ws = tf.split(tf.transpose(toTf(wd), [0, 1, 3, 2]), c.groups, 3);
      const full = tf.concat(
        xs.map((xg, g) =>
          tf.conv2dTranspose(xg as tf.Tensor4D, ws[g] as tf.Tensor4D, [c.batch, fullH, fullW, coutPerGroup], tfPair(c.strides), 'valid'),
        ),
        3,
      );
      const [pt, pl, pb, pr] = c.pads;
      const extended = tf.pad(full, [
        [0, 0],
        [0, c.outputPadding[0]],
        [0, c.outputPadding[1]],
        [0, 0],
      ]);
      const outH = fullH + c.outputPadding[0] - pt - pb;
      const outW = fullW + c.outputPadding[1] - pl - pr;
      const cropped = tf.slice(extended, [0, pt, pl, 0], [c.batch, outH, outW, c.outC]);
      return tfActivation(bias === undefined ? cropped : tf.add(cropped, toTf(bias)), c.activation);
    }),
  );
}

function check(rng: Rng, c: ConvTransposeCase): void {
  const x = randomTensor(rng, [c.batch, c.inH, c.inW, c.inC]);
  const w = randomTensor(rng, [c.kernel[0], c.kernel[1], c.inC, c.outC / c.groups]);
  const bias = c.bias ? randomTensor(rng, [c.outC]) : undefined;
  const expected = tfConvTranspose(x, w, bias, c);
  const actual = run({
    op: 'ConvTranspose2D',
    attrs: {
      kernel: c.kernel,
      strides: c.strides,
      dilations: c.dilations,
      pads: c.pads,
      outputPadding: c.outputPadding,
      groups: c.groups,
      ...(c.activation === undefined ? {} : { activation: c.activation }),
    },
    inputs: [x, w, bias],
    outputShape: expected.shape,
  });
  expectClose(actual, expected, c.label);
}

const base = {
  batch: 1,
  strides: [1, 1],
  dilations: [1, 1],
  pads: [0, 0, 0, 0],
  outputPadding: [0, 0],
  groups: 1,
  bias: true,
} as const;

describe('ConvTranspose2D (reference) against tfjs', () => {
  beforeAll(useTfCpu);

  it('matches fixed cases: stride 2 upsampling, cropping pads, outputPadding, 1x3, dilation, groups', () => {
    const rng = createRng(303);
    const cases: ConvTransposeCase[] = [
      { ...base, label: '3x3 stride 1', inH: 5, inW: 6, inC: 3, outC: 4, kernel: [3, 3] },
      {
        ...base,
        label: '4x4 stride 2 pads 1 (2x upsample)',
        inH: 5,
        inW: 7,
        inC: 3,
        outC: 2,
        kernel: [4, 4],
        strides: [2, 2],
        pads: [1, 1, 1, 1],
      },
      {
        ...base,
        label: '3x3 stride 2 outputPadding 1',
        inH: 4,
        inW: 5,
        inC: 2,
        outC: 3,
        kernel: [3, 3],
        strides: [2, 2],
        pads: [1, 1, 1, 1],
        outputPadding: [1, 1],
      },
      {
        ...base,
        label: '1x3 asymmetric pads no bias',
        inH: 6,
        inW: 5,
        inC: 2,
        outC: 2,
        kernel: [1, 3],
        strides: [1, 2],
        pads: [0, 2, 0, 1],
        bias: false,
      },
      { ...base, label: '3x7 stride 3', inH: 3, inW: 4, inC: 2, outC: 3, kernel: [3, 7], strides: [3, 3], pads: [1, 2, 0, 3] },
      { ...base, label: 'dilation 2', inH: 5, inW: 5, inC: 2, outC: 2, kernel: [3, 3], dilations: [2, 2], pads: [1, 1, 2, 2] },
      { ...base, label: 'groups 2 stride 2', batch: 2, inH: 4, inW: 3, inC: 4, outC: 6, kernel: [2, 2], strides: [2, 2], groups: 2 },
      {
        ...base,
        label: 'depthwise with leaky relu',
        inH: 5,
        inW: 4,
        inC: 3,
        outC: 3,
        kernel: [3, 3],
        strides: [2, 2],
        pads: [1, 1, 1, 1],
        groups: 3,
        activation: { kind: 'leakyRelu', alpha: 0.2 },
      },
    ];
    for (const c of cases) check(rng, c);
  });

  it('matches random configurations', () => {
    const rng = createRng(404);
    for (let i = 0; i < 16; i++) {
      const groups = randomInt(rng, 1, 3);
      const kernel: Pair = [randomInt(rng, 1, 4), randomInt(rng, 1, 5)];
      const strides: Pair = [randomInt(rng, 1, 3), randomInt(rng, 1, 3)];
      const dilations: Pair = [randomInt(rng, 1, 2), randomInt(rng, 1, 2)];
      // ONNX requires outputPadding < stride or dilation.
      const outputPadding: Pair = [
        randomInt(rng, 0, Math.max(strides[0], dilations[0]) - 1),
        randomInt(rng, 0, Math.max(strides[1], dilations[1]) - 1),
      ];
      const inH = randomInt(rng, 2, 6);
      const inW = randomInt(rng, 2, 6);
      // Pads up to half the uncropped size, so at least one output row and column survive.
      const fullH = (inH - 1) * strides[0] + dilations[0] * (kernel[0] - 1) + 1;
      const fullW = (inW - 1) * strides[1] + dilations[1] * (kernel[1] - 1) + 1;
      const maxPadH = Math.min(kernel[0] - 1, Math.floor((fullH - 1) / 2));
      const maxPadW = Math.min(kernel[1] - 1, Math.floor((fullW - 1) / 2));
      const pads: Pads2D = [randomInt(rng, 0, maxPadH), randomInt(rng, 0, maxPadW), randomInt(rng, 0, maxPadH), randomInt(rng, 0, maxPadW)];
      const outC = groups * randomInt(rng, 1, 3);
      const activation = randomActivation(rng, outC);
      check(rng, {
        label: `random case ${i}`,
        batch: randomInt(rng, 1, 2),
        inH,
        inW,
        inC: groups * randomInt(rng, 1, 3),
        outC,
        kernel,
        strides,
        dilations,
        pads,
        outputPadding,
        groups,
        bias: rng.next() < 0.7,
        ...(activation === undefined ? {} : { activation }),
      });
    }
  });
});
