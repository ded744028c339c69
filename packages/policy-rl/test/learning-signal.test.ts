import { describe, expect, it } from 'vitest';
import { RandomPolicy, RlPolicy } from '../src/index.js';
import { changedExecuted, executionRate, movingSquares, simulateBlockMode } from './synthetic-clip.js';

describe('learning signal', () => {
  it('after online training, rl executes the blocks that change more often than random at the same rate', async () => {
    // Two squares bounce in the left half of a static textured frame: about a quarter of the
    // blocks change per frame. The model is the identity, so the information gain of a block is
    // exactly how much it changed since it last executed. A short clip needs a faster learner than
    // BlockCopy's defaults: learning rate 1e-3 and a stronger gain weight (0.2), both options; a
    // narrow network (widths 4/8/16) keeps the 74 training steps to seconds.
    const clip = movingSquares(300, 64, 64, 16, 3);
    const policy = new RlPolicy({
      targetRate: 0.4,
      seed: 1,
      architecture: { widths: [4, 8, 16], pixelsPerBlock: 8 },
      learningRate: 1e-3,
      gainWeight: 0.2,
    });
    const frames = await simulateBlockMode(policy, clip);
    const rate = executionRate(frames, 200);
    // Random at the rate the rl policy actually ran, so that only where it executes differs.
    const random = await simulateBlockMode(new RandomPolicy({ targetRate: rate, seed: 1 }), clip);
    const learned = changedExecuted(frames, 200);
    const chance = changedExecuted(random, 200);
    expect(Math.abs(executionRate(random, 200) - rate)).toBeLessThan(0.05);
    expect(learned, `rl executed ${learned} of changed blocks at rate ${rate}; random ${chance}`).toBeGreaterThan(chance + 0.1);
  }, 600_000);
});
