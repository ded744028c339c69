import { describe, expect, it } from 'vitest';
import { RandomPolicy, RlPolicy, ThresholdPolicy } from '../src/index.js';
import { executionRate, movingSquares, simulateBlockMode } from './synthetic-clip.js';

// A 300-frame clip on a 4x4 grid. The rl policy uses a narrow network (widths 4/8/16) at 8 pixels
// per block so that 300 frames with 74 training steps take seconds, not minutes: rate control does
// not depend on the network's capacity (BlockCopy's own network is checked in policy-network.test.ts).
const clip = movingSquares(300, 64, 64, 16, 3);
const target = 0.4;

describe('rate control over the last 100 frames of a 300-frame clip', () => {
  it('random stays within 0.08 of the target', async () => {
    const frames = await simulateBlockMode(new RandomPolicy({ targetRate: target, seed: 1 }), clip);
    expect(Math.abs(executionRate(frames, 200) - target)).toBeLessThanOrEqual(0.08);
  });

  it('threshold stays within 0.08 of the target', async () => {
    const frames = await simulateBlockMode(new ThresholdPolicy({ targetRate: target }), clip);
    expect(Math.abs(executionRate(frames, 200) - target)).toBeLessThanOrEqual(0.08);
  });

  it('rl (BlockCopy defaults: lr 1e-4, gamma 5, a step every 4 frames) stays within 0.08 of the target', async () => {
    const policy = new RlPolicy({ targetRate: target, seed: 1, architecture: { widths: [4, 8, 16], pixelsPerBlock: 8 } });
    const frames = await simulateBlockMode(policy, clip);
    expect(policy.stats.trainingSteps).toBe(74);
    const rate = executionRate(frames, 200);
    expect(Math.abs(rate - target), `rate ${rate}`).toBeLessThanOrEqual(0.08);
  }, 600_000);
});
