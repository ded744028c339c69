import { BackendUnavailableError, blockGridOf } from '@motiondelta/core';
import { ReferenceBackend, registerBackend } from '@motiondelta/graph-runtime';
import { describe, expect, it } from 'vitest';
import { RlPolicy } from '../src/index.js';

/** A small network (the forward pass on the reference backend stays quick) on a 2x2 grid of 16-pixel blocks. */
const small = { widths: [4, 8, 8] as [number, number, number], pixelsPerBlock: 8 as const };
const grid = blockGridOf(32, 32, 16);
const frame = (shift: number) => ({ data: new Float32Array(32 * 32 * 3).map((_, i) => ((i + shift) % 7) / 7), shape: [1, 32, 32, 3] });
const output = { data: new Float32Array(32 * 32).fill(0.5), shape: [1, 32, 32, 1] };

async function twoFrames(policy: RlPolicy): Promise<void> {
  await policy.decide({ index: 0, input: frame(0), grid });
  await policy.observe({ index: 0, grid, executed: new Uint8Array(4).fill(1), output });
  await policy.decide({ index: 1, input: frame(3), grid, previousOutput: output });
}

describe('the rl forward pass backend', () => {
  it('is chosen from the registered defaults at the first forward pass (reference where nothing else is registered)', async () => {
    const policy = new RlPolicy({ targetRate: 0.5, seed: 2, architecture: small });
    expect(await policy.forwardBackend()).toBeUndefined();
    await twoFrames(policy);
    expect(await policy.forwardBackend()).toBe('reference');
  });

  it('takes an id, a preference list or an instance, and gives the same decisions on each', async () => {
    registerBackend('test-reference-copy', () => new ReferenceBackend());
    const decisions: number[][] = [];
    for (const backend of ['reference', ['missing-backend', 'test-reference-copy'], new ReferenceBackend()] as const) {
      const policy = new RlPolicy({ targetRate: 0.5, seed: 2, architecture: small, backend });
      await policy.decide({ index: 0, input: frame(0), grid });
      await policy.observe({ index: 0, grid, executed: new Uint8Array(4).fill(1), output });
      decisions.push([...(await policy.decide({ index: 1, input: frame(3), grid, previousOutput: output })).execute]);
      // The reference backend's id, whichever way it was named (the registered copy makes one too).
      expect(await policy.forwardBackend()).toBe('reference');
    }
    expect(decisions[1]).toEqual(decisions[0]);
    expect(decisions[2]).toEqual(decisions[0]);
  });

  it('fails at the first forward pass with BackendUnavailableError naming what was tried', async () => {
    const policy = new RlPolicy({ targetRate: 0.5, architecture: small, backend: ['no-such-backend'] });
    await expect(twoFrames(policy)).rejects.toSatisfy((e) => BackendUnavailableError.isInstance(e) && /no-such-backend/.test(String(e)));
  });
});
