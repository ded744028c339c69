import { describe, expect, it } from 'vitest';
import { RandomPolicy, RlPolicy, ThresholdPolicy } from '../src/index.js';
import { movingSquares, simulateBlockMode } from './synthetic-clip.js';

const small = { widths: [4, 8, 8] as [number, number, number], pixelsPerBlock: 8 as const };

describe('seeded reproducibility', () => {
  const clip = movingSquares(21, 64, 64, 16, 5);

  it('rl: the same seed gives the same decisions and the same weights after training steps', async () => {
    const run = async (seed: number) => {
      const policy = new RlPolicy({ targetRate: 0.4, seed, architecture: small });
      const frames = await simulateBlockMode(policy, clip);
      return { decisions: frames.map((f) => Array.from(f.executed)), weights: policy.weights(), steps: policy.stats.trainingSteps };
    };
    const a = await run(3);
    const b = await run(3);
    expect(a.steps).toBe(5);
    expect(b.decisions).toEqual(a.decisions);
    expect(b.weights).toEqual(a.weights);
    const c = await run(4);
    expect(c.decisions).not.toEqual(a.decisions);
    // Training moved the weights away from their seeded start.
    const fresh = new RlPolicy({ targetRate: 0.4, seed: 3, architecture: small }).weights();
    expect(a.weights.get('head3.bias')).not.toEqual(fresh.get('head3.bias'));
  });

  it('random and threshold: the same seed and frames give the same decisions', async () => {
    for (const make of [() => new RandomPolicy({ targetRate: 0.3, seed: 8 }), () => new ThresholdPolicy({ targetRate: 0.3, seed: 8 })]) {
      const a = (await simulateBlockMode(make(), clip)).map((f) => Array.from(f.executed));
      const b = (await simulateBlockMode(make(), clip)).map((f) => Array.from(f.executed));
      expect(b).toEqual(a);
    }
  });
});
