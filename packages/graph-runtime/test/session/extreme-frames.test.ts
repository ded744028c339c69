import { type Tensor, type TensorMap } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { makeNode, type Graph } from '../../src/ir/graph.js';
import { Model } from '../../src/model.js';
import type { Session } from '../../src/session/session.js';
import { RESYNC_RATIO } from '../../src/session/stream-health.js';
import { smallConvNet } from '../helpers/build-graph.js';
import { relativeL2 } from '../helpers/relative-l2.js';
import { sparseFrames } from './session-fixtures.js';

/**
 * One frame of extreme (finite) values must not poison a delta or motion stream at threshold 0:
 * float32 accumulators keep the rounding of the huge values after they are gone, and an overflow
 * inside the network leaves infinities that never cancel. The session resynchronises with a dense
 * keyframe (reason `resync` or `non-finite`), so every later frame equals dense again, and it
 * never does so on ordinary frames.
 */
const STATEFUL = ['delta', 'motion'] as const;
const H = 8;
const W = 10;
/** What the small test networks hold delta and motion to at threshold 0 (dense up to rounding). */
const EXACT = 1e-5;

const scaled = (t: Tensor, s: number): Tensor => ({ data: t.data.map((v) => v * s), shape: t.shape });
const finite = (out: TensorMap): boolean => Object.values(out).every((t) => t.data.every((v) => Number.isFinite(v)));
const worst = (a: TensorMap, b: TensorMap): number => Math.max(...Object.keys(b).map((n) => relativeL2(a[n]!.data, b[n]!.data)));

async function stream(
  model: Model,
  mode: (typeof STATEFUL)[number],
  frames: readonly Tensor[],
): Promise<{ errors: number[]; session: Session; dense: TensorMap[] }> {
  const session = await model.createSession({ mode, threshold: 0 });
  const reference = await model.createSession({ mode: 'dense' });
  const errors: number[] = [];
  const dense: TensorMap[] = [];
  for (const frame of frames) {
    const want = await reference.run({ x: frame });
    const got = await session.run({ x: frame });
    dense.push(want);
    errors.push(finite(want) ? worst(got, want) : Number.NaN);
  }
  return { errors, session, dense };
}

const reasons = (s: Session): (string | undefined)[] => s.stats().frames.map((f) => f.reason);

/**
 * x -> 3x3 conv with weights 1e36 -> 1x1 conv with weights 1e-37: ordinary inputs in [0.5, 1)
 * give values up to 2.7e37 inside and about 10 out; inputs 20 times larger (not extreme enough
 * for `resync`) overflow to infinity inside.
 */
function highGainNet(): Graph {
  const constants = new Map<string, Tensor>([
    ['w1', { data: new Float32Array(3 * 3 * 3 * 4).fill(1e36), shape: [3, 3, 3, 4] }],
    ['w2', { data: new Float32Array(4 * 4).fill(1e-37), shape: [1, 1, 4, 4] }],
  ]);
  const conv = (k: number) =>
    ({ kernel: [k, k], strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], autoPad: 'same-upper', groups: 1 }) as const;
  return {
    source: { format: 'onnx', location: '<high-gain>' },
    inputs: [{ name: 'x', shape: [1, null, null, 3], dtype: 'float32' }],
    outputs: [{ name: 'y', shape: [1, null, null, 4], dtype: 'float32' }],
    nodes: [makeNode('big', 'Conv2D', conv(3), ['x', 'w1', ''], ['h']), makeNode('small', 'Conv2D', conv(1), ['h', 'w2', ''], ['y'])],
    constants,
    intConstants: new Map(),
  };
}

describe.each(STATEFUL)('%s mode, threshold 0', (mode) => {
  const model = new Model(smallConvNet(9));
  const normal = sparseFrames(21, H, W, 15);

  it.each([
    ['1e8', 1e8],
    ['1e30', 1e30],
  ])('after one frame scaled by %s, every later frame equals dense again (one resync keyframe)', async (_, scale) => {
    const frames = [...normal.slice(0, 5), scaled(normal[5]!, scale), ...normal.slice(5)];
    const { errors, session } = await stream(model, mode, frames);
    for (const [i, e] of errors.entries()) if (i !== 5) expect(e, `frame ${i}`).toBeLessThanOrEqual(EXACT);
    // The extreme frame itself runs incrementally (its magnitude is over the stream's, not under);
    // the first normal frame after it is the resync keyframe, and the only extra one.
    expect(reasons(session)).toEqual([
      'first',
      ...new Array<undefined>(5).fill(undefined),
      'resync',
      ...new Array<undefined>(9).fill(undefined),
    ]);
  });

  it('after a finite frame that overflows to infinity inside the network, every later frame equals dense again', async () => {
    const extreme = scaled(normal[5]!, 3e38);
    const frames = [...normal.slice(0, 5), extreme, ...normal.slice(5)];
    const { errors, session, dense } = await stream(model, mode, frames);
    // It is the overflow case: dense inference itself gives non-finite outputs for that frame.
    expect(finite(dense[5]!)).toBe(false);
    for (const [i, e] of errors.entries()) if (i !== 5) expect(e, `frame ${i}`).toBeLessThanOrEqual(EXACT);
    // Both reasons hold for the next frame; non-finite values in the state are checked first.
    expect(reasons(session)[6]).toBe('non-finite');
    expect(session.stats().frames.filter((f) => f.keyframe)).toHaveLength(2);
  });

  it('an overflow inside the network from inputs only 20 times larger is caught by its non-finite outputs', async () => {
    const gain = new Model(highGainNet());
    const frames: Tensor[] = sparseFrames(8, H, W, 10).map((t) => ({ data: t.data.map((v) => 0.5 + v / 2), shape: t.shape }));
    expect(20).toBeLessThan(RESYNC_RATIO);
    frames.splice(4, 0, scaled(frames[4]!, 20));
    const { errors, session, dense } = await stream(gain, mode, frames);
    expect(finite(dense[3]!)).toBe(true);
    expect(finite(dense[4]!)).toBe(false);
    for (const [i, e] of errors.entries()) if (i !== 4) expect(e, `frame ${i}`).toBeLessThanOrEqual(EXACT);
    expect(reasons(session)).toEqual([
      'first',
      undefined,
      undefined,
      undefined,
      undefined,
      'non-finite',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('takes no keyframe on 300 ordinary frames (sparse changes, brightness drifting by up to 2x)', async () => {
    const frames = sparseFrames(33, H, W, 300).map((t, i) => scaled(t, 1 + 0.5 * Math.sin(i / 20)));
    const session = await model.createSession({ mode, threshold: 0 });
    for (const frame of frames) await session.run({ x: frame });
    expect(
      session
        .stats()
        .frames.filter((f) => f.keyframe)
        .map((f) => f.index),
    ).toEqual([0]);
  });

  it('a fade to black and back resynchronises once, at black, and stays exact throughout', async () => {
    const base = normal[0]!;
    const levels = [1, 0.7, 0.4, 0.2, 0.1, 0.05, 0, 0, 0.05, 0.3, 1];
    const { errors, session } = await stream(
      model,
      mode,
      levels.map((l) => scaled(base, l)),
    );
    for (const [i, e] of errors.entries()) expect(e, `level ${levels[i]}`).toBeLessThanOrEqual(EXACT);
    // 0.05 is 20 times under the peak of 1 (under RESYNC_RATIO); black is infinitely far under it.
    expect(
      session
        .stats()
        .frames.filter((f) => f.keyframe)
        .map((f) => [f.index, f.reason]),
    ).toEqual([
      [0, 'first'],
      [6, 'resync'],
    ]);
  });
});
