import { type Tensor, type TensorMap } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { makeNode, type Graph } from '../../src/ir/graph.js';
import { Model } from '../../src/model.js';
import { relativeL2 } from '../helpers/relative-l2.js';
import { sparseFrames } from './session-fixtures.js';

/**
 * Activations outside their domain (log of a negative value) give NaN, as dense inference does.
 * In delta and motion mode a NaN lives in the accumulated state, where it never cancels and
 * `|y - NaN| > threshold` is never true: the stream must not loop or carry it on, but show the
 * NaNs where dense inference has them and recover with a `non-finite` keyframe.
 */
const H = 8;
const W = 10;
const EXACT = 1e-5;

/** x -> 1x1 conv (positive weights) + log (fused) -> 3x3 conv: NaN wherever an input pixel goes negative. */
function logNet(): Graph {
  const constants = new Map<string, Tensor>([
    ['w1', { data: Float32Array.from({ length: 3 * 4 }, (_, i) => 0.25 + (i % 5) / 8), shape: [1, 1, 3, 4] }],
    ['w2', { data: Float32Array.from({ length: 3 * 3 * 4 * 2 }, (_, i) => ((i % 7) - 3) / 8), shape: [3, 3, 4, 2] }],
  ]);
  const conv = (k: number) =>
    ({ kernel: [k, k], strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], autoPad: 'same-upper', groups: 1 }) as const;
  return {
    source: { format: 'onnx', location: '<log-net>' },
    inputs: [{ name: 'x', shape: [1, null, null, 3], dtype: 'float32' }],
    outputs: [{ name: 'y', shape: [1, null, null, 2], dtype: 'float32' }],
    nodes: [
      makeNode('mix', 'Conv2D', conv(1), ['x', 'w1', ''], ['m']),
      makeNode('log', 'Activation', { activation: { kind: 'log' } }, ['m'], ['l']),
      makeNode('out', 'Conv2D', conv(3), ['l', 'w2', ''], ['y']),
    ],
    constants,
    intConstants: new Map(),
  };
}

/** Frames of values in [0.5, 1.5), with a negative patch on frames 4 and 5. */
function frames(): Tensor[] {
  return sparseFrames(5, H, W, 12).map((t, i) => {
    const data = t.data.map((v) => v + 0.5);
    if (i === 4 || i === 5) for (let y = 2; y < 4; y++) for (let x = 3; x < 6; x++) data.fill(-1, (y * W + x) * 3, (y * W + x + 1) * 3);
    return { data, shape: t.shape };
  });
}

const hasNaN = (out: TensorMap): boolean => Object.values(out).some((t) => t.data.some((v) => Number.isNaN(v)));

describe.each(['delta', 'motion'] as const)('%s mode with log of negative values', (mode) => {
  it('shows the NaNs dense inference has, then recovers with a non-finite keyframe', async () => {
    const model = new Model(logNet());
    const session = await model.createSession({ mode, threshold: 0 });
    const reference = await model.createSession({ mode: 'dense' });
    for (const [i, frame] of frames().entries()) {
      const want = await reference.run({ x: frame });
      const got = await session.run({ x: frame });
      expect(hasNaN(want), `dense frame ${i}`).toBe(i === 4 || i === 5);
      if (hasNaN(want)) {
        // NaN exactly where dense has it.
        for (const [name, t] of Object.entries(want)) {
          const nanAt = (d: Float32Array) => [...d].map((v) => Number.isNaN(v));
          expect(nanAt(got[name]!.data), `frame ${i} '${name}'`).toEqual(nanAt(t.data));
        }
      } else {
        for (const name of Object.keys(want))
          expect(relativeL2(got[name]!.data, want[name]!.data), `frame ${i}`).toBeLessThanOrEqual(EXACT);
      }
    }
    const reasons = session.stats().frames.map((f) => f.reason);
    // Frame 4's NaN outputs make frame 5 a keyframe, frame 5's make frame 6 one; then incremental again.
    expect(reasons[5]).toBe('non-finite');
    expect(reasons[6]).toBe('non-finite');
    expect(reasons.slice(7)).toEqual(new Array<undefined>(5).fill(undefined));
  });
});
