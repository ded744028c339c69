import { describe, it } from 'vitest';
import { createRng } from '@motiondelta/core';
import type { Pads2D, Pair, Pool2DAttrs } from '@motiondelta/core';
import { PATTERNS, changeAt, changedPixels, checkLinear, randomTensor, resolve } from './delta-harness.js';

interface AvgCase {
  readonly label: string;
  readonly input: readonly [number, number, number, number];
  readonly kernel: Pair;
  readonly strides: Pair;
  readonly pads: Pads2D;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
}

const avgCases: readonly AvgCase[] = [
  {
    label: '2x2 stride 2',
    input: [2, 8, 6, 3],
    kernel: [2, 2],
    strides: [2, 2],
    pads: [0, 0, 0, 0],
    ceilMode: false,
    countIncludePad: false,
  },
  {
    label: '3x3 stride 1 pads 1, count pads',
    input: [1, 7, 8, 2],
    kernel: [3, 3],
    strides: [1, 1],
    pads: [1, 1, 1, 1],
    ceilMode: false,
    countIncludePad: true,
  },
  {
    label: '3x3 stride 1 pads 1, exclude pads',
    input: [1, 7, 8, 2],
    kernel: [3, 3],
    strides: [1, 1],
    pads: [1, 1, 1, 1],
    ceilMode: false,
    countIncludePad: false,
  },
  {
    label: '3x3 stride 2 ceil mode on odd sizes, count pads',
    input: [1, 10, 8, 3],
    kernel: [3, 3],
    strides: [2, 2],
    pads: [1, 0, 1, 0],
    ceilMode: true,
    countIncludePad: true,
  },
  {
    label: '3x3 stride 2 ceil mode on odd sizes, exclude pads',
    input: [1, 10, 8, 3],
    kernel: [3, 3],
    strides: [2, 2],
    pads: [1, 0, 1, 0],
    ceilMode: true,
    countIncludePad: false,
  },
  {
    label: '2x3 stride (2, 3) ceil mode, no pads',
    input: [2, 7, 10, 2],
    kernel: [2, 3],
    strides: [2, 3],
    pads: [0, 0, 0, 0],
    ceilMode: true,
    countIncludePad: true,
  },
  {
    label: '5x5 stride 3 asymmetric pads',
    input: [1, 11, 12, 2],
    kernel: [5, 5],
    strides: [3, 3],
    pads: [2, 1, 0, 2],
    ceilMode: false,
    countIncludePad: true,
  },
];

describe('linear delta: AvgPool2D', () => {
  avgCases.forEach((pc, caseIndex) => {
    it(`matches dense(x1) - dense(x0): ${pc.label}`, () => {
      const rng = createRng(3000 + caseIndex);
      const given: Pool2DAttrs = { ...pc, autoPad: 'explicit' };
      const { attrs, outputShape } = resolve('AvgPool2D', given, [pc.input]);
      for (const pattern of PATTERNS) {
        const x0 = randomTensor(rng, pc.input);
        const x1 = changeAt(rng, x0, changedPixels(rng, pc.input, pattern));
        checkLinear('AvgPool2D', attrs, [{ x0, x1 }], outputShape, pc.kernel[0] * pc.kernel[1]);
      }
    });
  });

  it('matches dense with SAME-resolved pads', () => {
    const rng = createRng(3100);
    const input = [1, 9, 7, 2] as const;
    const given: Pool2DAttrs = {
      kernel: [3, 3],
      strides: [2, 2],
      pads: [0, 0, 0, 0],
      autoPad: 'same-upper',
      ceilMode: false,
      countIncludePad: false,
    };
    const { attrs, outputShape } = resolve('AvgPool2D', given, [input]);
    for (const pattern of PATTERNS) {
      const x0 = randomTensor(rng, input);
      const x1 = changeAt(rng, x0, changedPixels(rng, input, pattern));
      checkLinear('AvgPool2D', attrs, [{ x0, x1 }], outputShape, 9);
    }
  });
});

describe('linear delta: GlobalAvgPool', () => {
  it('is the sum of active deltas over H*W, active per batch entry', () => {
    const rng = createRng(3200);
    const input = [3, 6, 7, 4] as const;
    for (const pattern of PATTERNS) {
      const x0 = randomTensor(rng, input);
      const x1 = changeAt(rng, x0, changedPixels(rng, input, pattern));
      checkLinear('GlobalAvgPool', {}, [{ x0, x1 }], [3, 1, 1, 4], 1);
    }
  });
});
