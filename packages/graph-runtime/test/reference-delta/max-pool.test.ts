import { describe, expect, it } from 'vitest';
import { DeltaBuffer, createRng } from '@motiondelta/core';
import type { Pool2DAttrs, Shape, Tensor } from '@motiondelta/core';
import { dense, expectConsistent, kernels, maxAbsDiff, nextFrame, randomTensor, resolve } from './delta-harness.js';

const CASES: readonly { label: string; input: readonly [number, number, number, number]; attrs: Pool2DAttrs }[] = [
  {
    label: '2x2 stride 2',
    input: [2, 8, 6, 3],
    attrs: { kernel: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], autoPad: 'explicit', ceilMode: false, countIncludePad: false },
  },
  {
    label: '3x3 stride 2 pads 1',
    input: [1, 9, 11, 2],
    attrs: { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], autoPad: 'explicit', ceilMode: false, countIncludePad: false },
  },
  {
    label: '3x3 stride 2 ceil mode on odd sizes',
    input: [1, 10, 8, 3],
    attrs: { kernel: [3, 3], strides: [2, 2], pads: [0, 0, 0, 0], autoPad: 'explicit', ceilMode: true, countIncludePad: false },
  },
  {
    label: '3x3 stride 1 SAME',
    input: [2, 7, 7, 2],
    attrs: { kernel: [3, 3], strides: [1, 1], pads: [0, 0, 0, 0], autoPad: 'same-upper', ceilMode: false, countIncludePad: false },
  },
];

function runSequence(input: Shape, given: Pool2DAttrs, threshold: number, seed: number): number[] {
  const rng = createRng(seed);
  const { attrs, outputShape } = resolve('MaxPool2D', given, [input]);
  const pool = (x: Tensor): Tensor => dense('MaxPool2D', attrs, [x], outputShape);
  let x = randomTensor(rng, input);
  const first = pool(x);
  const state = { accumulated: Float32Array.from(x.data), emitted: Float32Array.from(first.data) };
  const output = Float32Array.from(first.data);
  const reference = Float32Array.from(x.data);
  const delta = new DeltaBuffer(input);
  const out = new DeltaBuffer(outputShape);
  const errors: number[] = [];
  for (let frame = 0; frame < 10; frame++) {
    x = nextFrame(rng, x, frame);
    kernels.sparsify(x, reference, 0, delta);
    kernels.maxPool(delta, attrs, state, threshold, out);
    expectConsistent(out);
    expect(out.count).toBeLessThanOrEqual(delta.count * attrs.kernel[0] * attrs.kernel[1]);
    kernels.accumulate(out, output);
    errors.push(maxAbsDiff(output, pool(x).data));
  }
  return errors;
}

describe('delta max pooling', () => {
  CASES.forEach((c, i) => {
    it(`at threshold 0 equals dense on every frame: ${c.label}`, () => {
      for (const error of runSequence(c.input, c.attrs, 0, 7000 + i)) expect(error).toBeLessThanOrEqual(1e-5);
    });

    it(`above threshold 0 stays within the threshold of dense on every frame: ${c.label}`, () => {
      const errors = runSequence(c.input, c.attrs, 0.1, 7100 + i);
      for (const error of errors) expect(error).toBeLessThanOrEqual(0.1 + 1e-5);
      expect(Math.max(...errors)).toBeGreaterThan(1e-4);
    });
  });

  it('delays a rising maximum below the threshold and emits it once it accumulates past it', () => {
    const input = [1, 4, 4, 1] as const;
    const attrs: Pool2DAttrs = {
      kernel: [2, 2],
      strides: [2, 2],
      pads: [0, 0, 0, 0],
      autoPad: 'explicit',
      ceilMode: false,
      countIncludePad: false,
    };
    const state = { accumulated: new Float32Array(16), emitted: new Float32Array(4) };
    const delta = new DeltaBuffer(input);
    const out = new DeltaBuffer([1, 2, 2, 1]);
    const counts: number[] = [];
    for (let frame = 1; frame <= 4; frame++) {
      delta.clear();
      delta.activate(5); // (1, 1): window (0, 0)
      delta.values[5] = 0.25;
      kernels.maxPool(delta, attrs, state, 0.6, out);
      counts.push(out.count);
      if (frame === 3) {
        expect(out.active[0]).toBe(0);
        expect(out.values[0]).toBe(0.75);
      }
    }
    expect(counts).toEqual([0, 0, 1, 0]);
    expect(state.emitted[0]).toBe(0.75);
  });
});
