import { describe, it } from 'vitest';
import { createRng } from '@motiondelta/core';
import type { AutoPad, Conv2DAttrs, ConvTranspose2DAttrs, Pads2D, Pair } from '@motiondelta/core';
import { PATTERNS, changeAt, changedPixels, checkLinear, randomTensor, resolve } from './delta-harness.js';

interface ConvCase {
  readonly label: string;
  readonly input: readonly [number, number, number, number];
  readonly kernel: Pair;
  readonly outC: number;
  readonly strides?: Pair;
  readonly dilations?: Pair;
  readonly pads?: Pads2D;
  readonly autoPad?: AutoPad;
  readonly groups?: number;
}

const convCases: readonly ConvCase[] = [
  { label: '1x1', input: [2, 7, 9, 4], kernel: [1, 1], outC: 5 },
  { label: '1x1 stride 2 (odd input pixels reach no output)', input: [1, 9, 11, 3], kernel: [1, 1], outC: 2, strides: [2, 2] },
  { label: '3x3 pads 1', input: [2, 7, 9, 3], kernel: [3, 3], outC: 4, pads: [1, 1, 1, 1] },
  { label: '3x3 valid', input: [1, 8, 7, 3], kernel: [3, 3], outC: 2 },
  { label: '5x5 pads 2', input: [1, 9, 10, 2], kernel: [5, 5], outC: 3, pads: [2, 2, 2, 2] },
  { label: '1x3', input: [1, 6, 9, 3], kernel: [1, 3], outC: 4, pads: [0, 1, 0, 1] },
  { label: '3x7 asymmetric pads', input: [1, 8, 13, 2], kernel: [3, 7], outC: 3, pads: [1, 3, 0, 2] },
  { label: '3x3 stride 2 on odd sizes', input: [2, 9, 11, 3], kernel: [3, 3], outC: 4, strides: [2, 2], pads: [1, 1, 1, 1] },
  { label: '5x5 stride 2 x stride 1', input: [1, 11, 9, 2], kernel: [5, 5], outC: 3, strides: [2, 1], pads: [2, 2, 2, 2] },
  { label: '3x3 dilation 2', input: [1, 10, 9, 3], kernel: [3, 3], outC: 3, dilations: [2, 2], pads: [2, 2, 2, 2] },
  {
    label: '3x3 dilation 2 stride 2',
    input: [1, 11, 11, 2],
    kernel: [3, 3],
    outC: 2,
    dilations: [2, 2],
    strides: [2, 2],
    pads: [1, 2, 1, 0],
  },
  { label: '3x3 groups 2', input: [2, 7, 8, 4], kernel: [3, 3], outC: 6, groups: 2, pads: [1, 1, 1, 1] },
  { label: 'depthwise multiplier 2', input: [1, 8, 9, 4], kernel: [3, 3], outC: 8, groups: 4, pads: [1, 1, 1, 1] },
  { label: 'SAME-upper 3x3 stride 2', input: [1, 9, 10, 3], kernel: [3, 3], outC: 2, strides: [2, 2], autoPad: 'same-upper' },
  { label: 'SAME-lower 4x4', input: [1, 7, 8, 2], kernel: [4, 4], outC: 3, autoPad: 'same-lower' },
];

describe('linear delta: Conv2D', () => {
  convCases.forEach((cc, caseIndex) => {
    it(`matches dense(x1) - dense(x0): ${cc.label}`, () => {
      const rng = createRng(1000 + caseIndex);
      const groups = cc.groups ?? 1;
      const weight = randomTensor(rng, [cc.kernel[0], cc.kernel[1], cc.input[3] / groups, cc.outC]);
      const given: Conv2DAttrs = {
        kernel: cc.kernel,
        strides: cc.strides ?? [1, 1],
        dilations: cc.dilations ?? [1, 1],
        pads: cc.pads ?? [0, 0, 0, 0],
        autoPad: cc.autoPad ?? 'explicit',
        groups,
      };
      const { attrs, outputShape } = resolve('Conv2D', given, [cc.input, weight.shape]);
      for (const pattern of PATTERNS) {
        const x0 = randomTensor(rng, cc.input);
        const x1 = changeAt(rng, x0, changedPixels(rng, cc.input, pattern));
        checkLinear('Conv2D', attrs, [{ x0, x1 }, weight, undefined], outputShape, cc.kernel[0] * cc.kernel[1]);
      }
    });
  });

  it('ignores the bias, which cancels in a difference', () => {
    const rng = createRng(7);
    const input = [1, 5, 6, 2] as const;
    const weight = randomTensor(rng, [3, 3, 2, 3]);
    const bias = randomTensor(rng, [3]);
    const attrs: Conv2DAttrs = { kernel: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1], autoPad: 'explicit', groups: 1 };
    const x0 = randomTensor(rng, input);
    const x1 = changeAt(rng, x0, changedPixels(rng, input, 'scattered'));
    checkLinear('Conv2D', attrs, [{ x0, x1 }, weight, bias], [1, 5, 6, 3], 9);
  });
});

interface ConvTransposeCase {
  readonly label: string;
  readonly input: readonly [number, number, number, number];
  readonly kernel: Pair;
  readonly coutPerGroup: number;
  readonly strides: Pair;
  readonly dilations?: Pair;
  readonly pads: Pads2D;
  readonly outputPadding: Pair;
  readonly groups?: number;
}

const transposeCases: readonly ConvTransposeCase[] = [
  {
    label: '3x3 stride 2 pads 1 outputPadding 1',
    input: [2, 5, 6, 3],
    kernel: [3, 3],
    coutPerGroup: 4,
    strides: [2, 2],
    pads: [1, 1, 1, 1],
    outputPadding: [1, 1],
  },
  {
    label: '4x4 stride 2 pads 1 groups 2',
    input: [1, 5, 7, 4],
    kernel: [4, 4],
    coutPerGroup: 3,
    strides: [2, 2],
    pads: [1, 1, 1, 1],
    outputPadding: [0, 0],
    groups: 2,
  },
  {
    label: '2x2 stride 2 no pads',
    input: [1, 4, 5, 2],
    kernel: [2, 2],
    coutPerGroup: 3,
    strides: [2, 2],
    pads: [0, 0, 0, 0],
    outputPadding: [0, 0],
  },
  {
    label: '3x3 stride 1 dilation 2 asymmetric crop',
    input: [1, 6, 5, 2],
    kernel: [3, 3],
    coutPerGroup: 2,
    strides: [1, 1],
    dilations: [2, 2],
    pads: [2, 0, 1, 3],
    outputPadding: [0, 0],
  },
  {
    label: '3x1 stride (3, 1) outputPadding (2, 0)',
    input: [1, 4, 6, 3],
    kernel: [3, 1],
    coutPerGroup: 2,
    strides: [3, 1],
    pads: [0, 0, 1, 0],
    outputPadding: [2, 0],
  },
];

describe('linear delta: ConvTranspose2D', () => {
  transposeCases.forEach((tc, caseIndex) => {
    it(`matches dense(x1) - dense(x0): ${tc.label}`, () => {
      const rng = createRng(2000 + caseIndex);
      const groups = tc.groups ?? 1;
      const weight = randomTensor(rng, [tc.kernel[0], tc.kernel[1], tc.input[3], tc.coutPerGroup]);
      const given: ConvTranspose2DAttrs = {
        kernel: tc.kernel,
        strides: tc.strides,
        dilations: tc.dilations ?? [1, 1],
        pads: tc.pads,
        outputPadding: tc.outputPadding,
        groups,
      };
      const { attrs, outputShape } = resolve('ConvTranspose2D', given, [tc.input, weight.shape]);
      for (const pattern of PATTERNS) {
        const x0 = randomTensor(rng, tc.input);
        const x1 = changeAt(rng, x0, changedPixels(rng, tc.input, pattern));
        checkLinear('ConvTranspose2D', attrs, [{ x0, x1 }, weight], outputShape, tc.kernel[0] * tc.kernel[1]);
      }
    });
  });
});
