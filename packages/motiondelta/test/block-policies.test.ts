import { OptionError, blockGridOf, type BlockPolicy } from '@motiondelta/core';
import { RlPolicy } from '@motiondelta/policy-rl';
import { describe, expect, it } from 'vitest';
import { BLOCK_POLICY_NAMES, createPolicy } from '../src/block-policies.js';

describe('createPolicy', () => {
  it('resolves every policy name to a policy of that name', () => {
    for (const name of BLOCK_POLICY_NAMES) expect(createPolicy(name, { targetRate: 0.4, seed: 1 }).name).toBe(name);
  });

  it('passes a policy object through and starts rl from saved weights', async () => {
    const own: BlockPolicy = { name: 'mine', decide: (f) => ({ execute: new Uint8Array(f.grid.rows * f.grid.cols) }) };
    expect(createPolicy(own)).toBe(own);
    const saved = new RlPolicy({ targetRate: 0.3, seed: 5, architecture: { widths: [4, 8, 8], pixelsPerBlock: 8 } }).save();
    const loaded = createPolicy('rl', { targetRate: 0.3, weights: saved }) as RlPolicy;
    expect(loaded.architecture.widths).toEqual([4, 8, 8]);
    const input = { data: new Float32Array(32 * 32 * 3), shape: [1, 32, 32, 3] };
    expect((await loaded.decide({ index: 0, input, grid: blockGridOf(32, 32, 16) })).execute).toEqual(new Uint8Array([1, 1, 1, 1]));
  });

  it('names what it accepts', () => {
    expect(() => createPolicy('fast' as never)).toThrow(OptionError);
    expect(() => createPolicy('fast' as never)).toThrow(/'rl', 'threshold', 'random', 'all', 'none'/);
    expect(() => createPolicy('random', {})).toThrow(/random: targetRate must be a number in \[0, 1\]/);
    expect(createPolicy('threshold', { energyThreshold: 0.01 }).name).toBe('threshold');
  });
});
