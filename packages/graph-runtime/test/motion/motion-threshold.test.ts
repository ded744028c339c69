import { createRng, randomInt, uniform } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { Model } from '../../src/model.js';
import { smallConvNet } from '../helpers/build-graph.js';
import { relativeL2 } from '../helpers/relative-l2.js';

describe('motion mode above threshold 0', () => {
  it('keeps a bounded error against dense over a long back-and-forth pan with changing content (no drift)', async () => {
    const model = new Model(smallConvNet(11, 6));
    const dense = await model.createSession({ mode: 'dense' });
    const motion = await model.createSession({ mode: 'motion', threshold: 0.05, inputThreshold: 0.02 });
    const rng = createRng(12);
    const H = 40;
    const W = 60;
    const world = new Float32Array(H * W * 3).map(() => uniform(rng, 0, 1));
    const errors: number[] = [];
    let saved = 0;
    for (let f = 0; f < 60; f++) {
      const x = 10 + Math.round(8 * Math.sin(f / 5));
      const y = 10 + (f % 7 < 3 ? 1 : 0);
      // Slow drift of the whole scene plus a spot that changes: sub-threshold change must add up.
      for (let i = 0; i < world.length; i++) world[i] = world[i]! + 0.002;
      const sy = randomInt(rng, 0, H - 3);
      const sx = randomInt(rng, 0, W - 3);
      for (let yy = sy; yy < sy + 3; yy++)
        for (let xx = sx; xx < sx + 3; xx++) for (let c = 0; c < 3; c++) world[(yy * W + xx) * 3 + c] = uniform(rng, 0, 1);
      const data = new Float32Array(16 * 20 * 3);
      for (let r = 0; r < 16; r++) data.set(world.subarray(((y + r) * W + x) * 3, ((y + r) * W + x + 20) * 3), r * 20 * 3);
      const frame = { data, shape: [1, 16, 20, 3] };
      const want = await dense.run({ x: frame });
      const got = await motion.run({ x: frame }, { homography: [1, 0, x - 10, 0, 1, y - 10, 0, 0, 1] });
      errors.push(relativeL2(got.y!.data, want.y!.data));
      const s = motion.stats().frames.at(-1)!;
      if (!s.keyframe) saved += 1 - s.macs / s.denseMacs;
    }
    expect(motion.stats().frames.filter((s) => s.keyframe)).toHaveLength(1);
    expect(Math.max(...errors)).toBeLessThan(0.05);
    // No drift: the last frames are no worse than the first ones by much.
    const mean = (a: number[]): number => a.reduce((p, q) => p + q, 0) / a.length;
    expect(mean(errors.slice(-15))).toBeLessThan(Math.max(2 * mean(errors.slice(1, 16)), 0.01));
    expect(saved).toBeGreaterThan(0);
  });
});
