import { describe, expect, it } from 'vitest';
import { DeltaBuffer, createRng } from '@motiondelta/core';
import type { ActivationSpec, Tensor } from '@motiondelta/core';
import { dense, expectConsistent, kernels, maxAbsDiff, nextFrame, randomTensor } from './delta-harness.js';

const SPECS: readonly ActivationSpec[] = [
  { kind: 'relu' },
  { kind: 'clip', min: 0, max: 2 },
  { kind: 'leakyRelu', alpha: 0.1 },
  { kind: 'prelu', slope: new Float32Array([0.1, -0.5, 2]) },
  { kind: 'prelu', slope: new Float32Array([0.3]) },
  { kind: 'sigmoid' },
  { kind: 'hardSigmoid', alpha: 0.2, beta: 0.5 },
  { kind: 'hardSwish' },
  { kind: 'tanh' },
];

const shape = [2, 6, 7, 3] as const;
const activate = (spec: ActivationSpec, x: Tensor): Tensor => dense('Activation', { activation: spec }, [x], x.shape);

/**
 * Runs 10 random sparse frames through the stateful kernel from a dense first frame and returns,
 * per frame, max |accumulated output - dense(current input)|.
 */
function runSequence(spec: ActivationSpec, threshold: number, seed: number): number[] {
  const rng = createRng(seed);
  let x = randomTensor(rng, shape, -4, 4);
  const first = activate(spec, x);
  const state = { accumulated: Float32Array.from(x.data), emitted: Float32Array.from(first.data) };
  const output = Float32Array.from(first.data);
  const reference = Float32Array.from(x.data);
  const delta = new DeltaBuffer(shape);
  const out = new DeltaBuffer(shape);
  const errors: number[] = [];
  for (let frame = 0; frame < 10; frame++) {
    x = nextFrame(rng, x, frame, -4, 4);
    kernels.sparsify(x, reference, 0, delta);
    kernels.activation(delta, spec, state, threshold, out);
    expectConsistent(out);
    // Work follows the input: only pixels with an input delta can change.
    for (let i = 0; i < out.count; i++) expect(delta.mask[out.active[i]!]).toBe(1);
    kernels.accumulate(out, output);
    errors.push(maxAbsDiff(output, activate(spec, x).data));
  }
  return errors;
}

describe('delta activation', () => {
  SPECS.forEach((spec, i) => {
    it(`at threshold 0 equals dense on every frame: ${spec.kind}`, () => {
      for (const error of runSequence(spec, 0, 6000 + i)) expect(error).toBeLessThanOrEqual(1e-5);
    });

    it(`above threshold 0 stays within the threshold of dense on every frame: ${spec.kind}`, () => {
      const threshold = 0.05;
      const errors = runSequence(spec, threshold, 6100 + i);
      for (const error of errors) expect(error).toBeLessThanOrEqual(threshold + 1e-5);
      // The threshold held some change back (otherwise this test would prove nothing).
      expect(Math.max(...errors)).toBeGreaterThan(1e-4);
    });
  });

  it('delays a change below the threshold and emits it once it accumulates past it', () => {
    const s = [1, 3, 3, 2] as const;
    const state = { accumulated: new Float32Array(18).fill(1), emitted: new Float32Array(18).fill(1) };
    const delta = new DeltaBuffer(s);
    const out = new DeltaBuffer(s);
    const emittedCounts: number[] = [];
    for (let frame = 1; frame <= 4; frame++) {
      delta.clear();
      delta.activate(4);
      delta.values[4 * 2 + 1] = 0.25;
      kernels.activation(delta, { kind: 'relu' }, state, 0.6, out);
      emittedCounts.push(out.count);
      if (frame === 3) {
        expect(out.active[0]).toBe(4);
        expect(Array.from(out.values.subarray(8, 10))).toEqual([0, 0.75]);
      }
    }
    // 0.25, 0.5 wait; 0.75 > 0.6 goes out whole; the next 0.25 waits again.
    expect(emittedCounts).toEqual([0, 0, 1, 0]);
    expect(state.accumulated[9]).toBe(2);
    expect(state.emitted[9]).toBe(1.75);
  });

  it('emits nothing where the activation output does not move (relu below zero)', () => {
    const s = [1, 2, 2, 1] as const;
    const state = { accumulated: new Float32Array([-3, -3, 1, 1]), emitted: new Float32Array([0, 0, 1, 1]) };
    const delta = new DeltaBuffer(s);
    delta.activate(0);
    delta.values[0] = 1;
    delta.activate(2);
    delta.values[2] = 1;
    const out = new DeltaBuffer(s);
    kernels.activation(delta, { kind: 'relu' }, state, 0, out);
    expect(Array.from(out.active.subarray(0, out.count))).toEqual([2]);
    expect(out.values[2]).toBe(1);
  });
});
