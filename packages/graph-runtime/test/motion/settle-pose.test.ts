import { OptionError, createRng, uniform } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { Model } from '../../src/model.js';
import { cornerDistance, settlePose } from '../../src/motion/settle-pose.js';
import { smallConvNet } from '../helpers/build-graph.js';

const pan = (x: number, y: number): number[] => [1, 0, x, 0, 1, y, 0, 0, 1];
const turn = (a: number, x = 0, y = 0): number[] => [Math.cos(a), -Math.sin(a), x, Math.sin(a), Math.cos(a), y, 0, 0, 1];

describe('settlePose', () => {
  it('measures the largest corner displacement between two poses', () => {
    expect(cornerDistance(pan(0.3, 0.4), pan(0, 0), 10, 8)).toBeCloseTo(0.5, 12);
    // A rotation about the origin moves the far corner most: |(9,7)| * 2 sin(a/2).
    expect(cornerDistance(turn(0.01), pan(0, 0), 10, 8)).toBeCloseTo(Math.hypot(9, 7) * 2 * Math.sin(0.005), 12);
  });

  it('holds the previous pose, snaps to whole pixels, or keeps the measured pose', () => {
    const prev = pan(3.4, -1.2);
    expect(settlePose(pan(3.45, -1.17), prev, 20, 10, 0.1)).toEqual({ pose: prev, choice: 'held' });
    expect(settlePose(pan(3.03, -0.96), prev, 20, 10, 0.1)).toEqual({ pose: pan(3, -1), choice: 'whole-pixel' });
    expect(settlePose(pan(3.2, -1), prev, 20, 10, 0.1)).toEqual({ pose: pan(3.2, -1), choice: 'measured' });
    // A turn that moves a corner by more than the tolerance is never rounded away.
    expect(settlePose(turn(0.02, 3, -1), pan(3, -1), 20, 10, 0.1).choice).toBe('measured');
    // Tolerance 0 keeps every pose as given, even one a hair from the previous.
    expect(settlePose(pan(3.4000001, -1.2), prev, 20, 10, 0)).toEqual({ pose: pan(3.4000001, -1.2), choice: 'measured' });
  });
});

describe('motion mode with jittery poses of a still camera', () => {
  it('does no work on a still scene when the jitter is within alignTolerance, and resamples without it', async () => {
    const model = new Model(smallConvNet(5));
    const rng = createRng(77);
    const frame = { data: new Float32Array(12 * 16 * 3).map(() => uniform(rng, -1, 1)), shape: [1, 12, 16, 3] };
    const held = await model.createSession({ mode: 'motion' });
    const exact = await model.createSession({ mode: 'motion', alignTolerance: 0 });
    for (let f = 0; f < 6; f++) {
      // Homography estimates of a still camera: a few hundredths of a pixel around the identity.
      const jitter = f === 0 ? pan(0, 0) : turn(uniform(rng, -1e-3, 1e-3), uniform(rng, -0.03, 0.03), uniform(rng, -0.03, 0.03));
      await held.run({ x: frame }, { homography: jitter });
      await exact.run({ x: frame }, { homography: jitter });
    }
    const heldFrames = held.stats().frames.slice(1);
    expect(heldFrames.every((s) => s.macs === 0 && s.pose === 'held')).toBe(true);
    expect(held.frameGeometry!.viewportFromFrame).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    // A pan to within 0.1 px of whole pixels runs as that whole-pixel pan: an exact copy.
    await held.run({ x: frame }, { homography: pan(3.04, -1.97) });
    expect(held.stats().frames.at(-1)).toMatchObject({ pose: 'whole-pixel', offset: { y: -2, x: 3 } });
    expect(held.frameGeometry!.viewportFromFrame).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const exactFrames = exact.stats().frames.slice(1);
    expect(exactFrames.every((s) => s.pose === 'measured')).toBe(true);
    expect(exactFrames.some((s) => s.macs > 0)).toBe(true);
  });

  it('rejects a tolerance that is not a number of pixels >= 0', async () => {
    const model = new Model(smallConvNet(5));
    await expect(model.createSession({ mode: 'motion', alignTolerance: -1 })).rejects.toSatisfy(
      (e: unknown) => OptionError.isInstance(e) && /alignTolerance must be a number of pixels >= 0/.test((e as Error).message),
    );
    await expect(model.createSession({ mode: 'motion', alignTolerance: Number.NaN })).rejects.toSatisfy((e: unknown) =>
      OptionError.isInstance(e),
    );
  });
});
