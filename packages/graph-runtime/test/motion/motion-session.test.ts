import {
  BackendUnavailableError,
  InputError,
  OptionError,
  UnsupportedOpError,
  createRng,
  uniform,
  type Rng,
  type Tensor,
} from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { outputToFrame } from '../../src/motion/map-output.js';
import { Model } from '../../src/model.js';
import { smallConvNet } from '../helpers/build-graph.js';
import { oddShapesNet } from '../helpers/odd-shapes-net.js';
import { randomNet } from './random-net.js';

function randomFrame(rng: Rng, h: number, w: number): Float32Array {
  return new Float32Array(h * w * 3).map(() => uniform(rng, -1, 1));
}

const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const pan = (x: number, y: number): number[] => [1, 0, x, 0, 1, y, 0, 0, 1];

describe('motion session API', () => {
  it('rejects missing, malformed, non-finite and singular homographies with InputError, and stays usable', async () => {
    const model = new Model(smallConvNet(2));
    const motion = await model.createSession({ mode: 'motion' });
    const frame: Tensor = { data: randomFrame(createRng(1), 8, 8), shape: [1, 8, 8, 3] };
    await motion.run({ x: frame });
    const bad: unknown[] = [
      undefined,
      null,
      [1, 0, 0, 0, 1, 0],
      [1, 0, 0, 0, 1, 0, 0, 0, Number.NaN],
      [1, 0, 0, 0, 1, 0, 0, 0, 0],
      [1, 2, 0, 2, 4, 0, 0, 0, 1],
      'identity',
    ];
    for (const homography of bad) {
      const error = await motion.run({ x: frame }, { homography } as never).catch((e: unknown) => e);
      expect(InputError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/3x3 row-major array of 9 finite numbers/);
    }
    const nan = { data: new Float32Array(frame.data).fill(Number.NaN, 5, 6), shape: frame.shape };
    expect(InputError.isInstance(await motion.run({ x: nan }, { homography: IDENTITY }).catch((e: unknown) => e))).toBe(true);
    // Nothing above touched the state: the next frame continues incrementally.
    await motion.run({ x: frame }, { homography: pan(1, 0) });
    expect(motion.stats().frames.map((f) => f.keyframe)).toEqual([true, false]);
    expect(motion.stats().frames.at(-1)!.offset).toEqual({ y: 0, x: 1 });
  });

  it('re-anchors on rotation, zoom, a jump past the viewport and low coverage, and says why', async () => {
    const model = new Model(smallConvNet(3));
    const motion = await model.createSession({ mode: 'motion', reanchor: { minCoverage: 0.9 } });
    const rng = createRng(4);
    const frame = (): Tensor => ({ data: randomFrame(rng, 12, 16), shape: [1, 12, 16, 3] });
    const c = Math.cos(0.4);
    const s = Math.sin(0.4);
    const steps: [number[], string | undefined][] = [
      [IDENTITY, 'first'],
      [pan(2, 1), undefined],
      [[c, -s, 0, s, c, 0, 0, 0, 1], 'rotation'],
      // Relative to the user's world, as before: the session re-anchored on the rotated frame.
      [[c, -s, 2 * c, s, c, 2 * s, 0, 0, 1], undefined],
      [[2, 0, 0, 0, 2, 0, 0, 0, 1], 'scale'],
      [[2, 0, 40, 0, 2, 0, 0, 0, 1], 'motion'],
      [[2, 0, 41, 0, 2, 0, 0, 0, 1], undefined],
      [[2, 0, 41, 0, 2, 1, 0, 0, 1], 'coverage'],
    ];
    for (const [homography] of steps) await motion.run({ x: frame() }, { homography });
    expect(motion.stats().frames.map((f) => f.reason)).toEqual(steps.map(([, r]) => r));
    const frames = motion.stats().frames;
    expect(frames[3]!.coverage).toBe(1);
    expect(frames[3]!.offset).toEqual({ y: 0, x: 2 });
    expect(frames[6]!.coverage).toBeCloseTo(15 / 16, 10);
  });

  it('warps sub-stride motion and leaves uncovered pixels without update', async () => {
    // oddShapesNet-like stride 4 is not available in motion (max pooling); a random stride-4 net is.
    let found: ReturnType<typeof randomNet> | undefined;
    for (let seed = 1; !found; seed++) {
      const candidate = randomNet(createRng(seed), 6);
      if (candidate.sizeMultiple >= 2) found = candidate;
    }
    const model = new Model(found.graph);
    const motion = await model.createSession({ mode: 'motion' });
    const h = 4 * found.sizeMultiple;
    const frame = { data: randomFrame(createRng(9), h, h), shape: [1, h, h, 3] };
    await motion.run({ x: frame });
    const S = motion.totalStride!;
    expect(S).toBe(found.sizeMultiple);
    // A pan by half a stride or less (rounding towards the nearer multiple) keeps the offset and
    // shifts the frame inside the viewport: its last column is not covered.
    await motion.run({ x: frame }, { homography: pan(-1, 0) });
    const f = motion.stats().frames.at(-1)!;
    expect(f.offset).toEqual({ y: 0, x: 0 });
    expect(f.coverage).toBeCloseTo((h - 1) / h, 10);
    // Viewport pixel x sees frame pixel x + 1.
    const scale = { y: 1, x: 1 };
    expect(outputToFrame(motion.frameGeometry!, scale, 0, 1)).toEqual([2, 0]);
    // A non-integer, slightly rotated homography runs (bilinear warp) and gives finite outputs.
    const out = await motion.run(
      { x: frame },
      { homography: [Math.cos(0.05), -Math.sin(0.05), 0.3, Math.sin(0.05), Math.cos(0.05), -0.2, 0, 0, 1] },
    );
    for (const t of Object.values(out)) expect(t.data.every(Number.isFinite)).toBe(true);
    expect(motion.stats().frames.at(-1)!.coverage).toBeLessThan(1);
  });

  it('maps outputs back to frame pixels', async () => {
    const model = new Model(smallConvNet(5));
    const motion = await model.createSession({ mode: 'motion' });
    const frame = { data: randomFrame(createRng(3), 12, 12), shape: [1, 12, 12, 3] };
    await motion.run({ x: frame }, { homography: pan(100, 50) });
    await motion.run({ x: frame }, { homography: pan(103, 48) });
    // Stride 1: the viewport follows the frame exactly, so viewport and frame pixels coincide.
    expect(motion.stats().frames.at(-1)!.offset).toEqual({ y: -2, x: 3 });
    expect(motion.outputScale('y')).toEqual({ y: 1, x: 1 });
    expect(outputToFrame(motion.frameGeometry!, motion.outputScale('y')!, 2, 5)).toEqual([5, 2]);
  });

  it('names nodes motion mode cannot run, and needs delta kernels', async () => {
    const model = new Model(oddShapesNet(1));
    const motion = await model.createSession({ mode: 'motion' });
    const error = await motion.run({ x: { data: new Float32Array(8 * 8 * 3), shape: [1, 8, 8, 3] } }).catch((e: unknown) => e);
    expect(UnsupportedOpError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/motion mode/);
    const dense = { id: 'dense-only', supports: () => true, runDense: () => ({ data: new Float32Array(0), shape: [0] }) };
    // A backend without delta kernels is skipped, naming the step kind it lacks; with nothing else listed, no backend is usable.
    const refused = await model.createSession({ mode: 'motion', backend: dense }).catch((e: unknown) => e);
    expect(BackendUnavailableError.isInstance(refused)).toBe(true);
    expect((refused as Error).message).toMatch(/cannot run 'sparsify' steps, which motion mode needs/);
    await expect(model.createSession({ mode: 'motion', reanchor: { minOverlap: 2 } })).rejects.toSatisfy((e: unknown) =>
      OptionError.isInstance(e),
    );
  });

  it('reset forgets the stream; stats report macs, dense macs, offsets and state bytes', async () => {
    const model = new Model(smallConvNet(6));
    const motion = await model.createSession({ mode: 'motion' });
    const rng = createRng(7);
    for (const x of [0, 1, 2, 1])
      await motion.run({ x: { data: randomFrame(rng, 10, 10), shape: [1, 10, 10, 3] } }, { homography: pan(x, 0) });
    const stats = motion.stats();
    expect(stats.mode).toBe('motion');
    expect(stats.frames.map((f) => f.offset.x)).toEqual([0, 1, 2, 1]);
    for (const f of stats.frames) {
      expect(f.denseMacs).toBeGreaterThan(0);
      expect(f.macs).toBeGreaterThan(0);
    }
    expect(stats.frames.at(-1)!.stateBytes).toBe(motion.stateBytes);
    expect(motion.updateMasks().length).toBeGreaterThan(0);
    const m = motion.memory;
    expect(m.stateBytes).toBe(m.persistentBytes + m.frameBufferBytes);
    expect(m.ringBytes).toBeGreaterThan(0);
    motion.reset();
    expect(motion.stats().frames).toEqual([]);
    await motion.run({ x: { data: randomFrame(rng, 10, 10), shape: [1, 10, 10, 3] } }, { homography: pan(5, 5) });
    expect(motion.stats().frames[0]!.reason).toBe('first');
  });

  it('serialises overlapping run() calls', async () => {
    const model = new Model(smallConvNet(8));
    const a = await model.createSession({ mode: 'motion' });
    const b = await model.createSession({ mode: 'motion' });
    const rng = createRng(2);
    const frames = [0, 1, 2, 3].map(() => ({ data: randomFrame(rng, 8, 8), shape: [1, 8, 8, 3] }));
    const together = await Promise.all(frames.map((f, i) => a.run({ x: f }, { homography: pan(i, 0) })));
    for (const [i, f] of frames.entries()) {
      const one = await b.run({ x: f }, { homography: pan(i, 0) });
      expect(together[i]!.y!.data).toEqual(one.y!.data);
    }
  });
});
