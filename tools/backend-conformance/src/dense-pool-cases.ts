import type { AutoPad, Pads2D, Pair, Pool2DAttrs } from '@motiondelta/core';
import { denseCase } from './dense-case.js';
import { randomTensor } from './random-data.js';
import { pool2dShape } from './shapes.js';
import type { ConformanceCase } from './types.js';

export interface PoolConfig {
  readonly input: readonly [number, number, number, number];
  readonly kernel: Pair;
  readonly strides: Pair;
  readonly pads?: Pads2D;
  readonly autoPad?: AutoPad;
  readonly ceilMode?: boolean;
  readonly countIncludePad?: boolean;
}

export function poolAttrs(c: PoolConfig): Pool2DAttrs {
  return {
    kernel: c.kernel,
    strides: c.strides,
    pads: c.pads ?? [0, 0, 0, 0],
    autoPad: c.autoPad ?? 'explicit',
    ceilMode: c.ceilMode ?? false,
    countIncludePad: c.countIncludePad ?? false,
  };
}

export function poolLabel(c: PoolConfig, withCountIncludePad: boolean): string {
  const a = poolAttrs(c);
  const pads = a.autoPad === 'explicit' ? `p[${a.pads.join(',')}]` : a.autoPad;
  return `${a.kernel.join('x')} s${a.strides.join(',')} ${pads}${a.ceilMode ? ' ceil' : ''}${withCountIncludePad && a.countIncludePad ? ' countPad' : ''} [${c.input.join(',')}]`;
}

/** Pooling geometry shared by MaxPool2D and AvgPool2D: tile-aligned, overlapping, padded, ceil-mode overhang, SAME. */
export const POOL_CONFIGS: readonly PoolConfig[] = [
  { input: [2, 13, 17, 5], kernel: [2, 2], strides: [2, 2] },
  { input: [2, 13, 17, 5], kernel: [2, 2], strides: [2, 2], ceilMode: true },
  { input: [1, 13, 17, 17], kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
  { input: [1, 13, 17, 33], kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] },
  { input: [1, 13, 17, 3], kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: true },
  { input: [1, 13, 17, 3], kernel: [5, 5], strides: [3, 3], pads: [2, 1, 0, 2], ceilMode: true, countIncludePad: true },
  { input: [1, 13, 17, 3], kernel: [5, 5], strides: [3, 3], pads: [2, 1, 0, 2], ceilMode: true },
  { input: [1, 13, 17, 1], kernel: [3, 2], strides: [2, 3], autoPad: 'same-upper' },
  { input: [1, 24, 24, 8], kernel: [7, 7], strides: [1, 1] },
];

function poolCase(op: 'MaxPool2D' | 'AvgPool2D', c: PoolConfig): ConformanceCase {
  return denseCase(op, poolLabel(c, op === 'AvgPool2D'), (rng) => {
    const attrs = poolAttrs(c);
    return { op, attrs, inputs: [randomTensor(rng, c.input)], outputShape: pool2dShape(c.input, attrs) };
  });
}

export function poolDenseCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  // countIncludePad means nothing to max pooling: skip the configs that differ only in it.
  for (const c of POOL_CONFIGS) if (!c.countIncludePad) cases.push(poolCase('MaxPool2D', c));
  for (const c of POOL_CONFIGS) cases.push(poolCase('AvgPool2D', c));
  for (const ch of [1, 5, 33]) {
    cases.push(
      denseCase('GlobalAvgPool', `[2,13,17,${ch}]`, (rng) => ({
        op: 'GlobalAvgPool',
        attrs: {},
        inputs: [randomTensor(rng, [2, 13, 17, ch])],
        outputShape: [2, 1, 1, ch],
      })),
    );
  }
  cases.push(
    denseCase('GlobalAvgPool', '[1,1,1,7]', (rng) => ({
      op: 'GlobalAvgPool',
      attrs: {},
      inputs: [randomTensor(rng, [1, 1, 1, 7])],
      outputShape: [1, 1, 1, 7],
    })),
  );
  return cases;
}
