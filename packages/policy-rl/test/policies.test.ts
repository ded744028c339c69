import { blockGridOf, OptionError, ResourceLimitError, ShapeError } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { AllPolicy, NonePolicy, RandomPolicy, RlPolicy, roundUpCount, roundUpExecuted, ThresholdPolicy } from '../src/index.js';
import { createRng } from '@motiondelta/core';
import { changedExecuted, movingSquares, simulateBlockMode } from './synthetic-clip.js';

describe('fixed policies', () => {
  it('all executes everything; none executes the first frame only', async () => {
    const clip = movingSquares(5, 32, 48, 16, 1);
    const all = await simulateBlockMode(new AllPolicy(), clip);
    expect(all.every((f) => f.executed.every((v) => v === 1))).toBe(true);
    const none = await simulateBlockMode(new NonePolicy(), clip);
    expect(Array.from(none[0]!.executed)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(none.slice(1).every((f) => f.executed.every((v) => v === 0))).toBe(true);
  });
});

describe('rounding the executed count', () => {
  it('rounds up to a multiple of 1/16 of the grid, never down', () => {
    expect(roundUpCount(0, 6, 96)).toBe(0);
    expect(roundUpCount(1, 6, 96)).toBe(6);
    expect(roundUpCount(37, 6, 96)).toBe(42);
    expect(roundUpCount(95, 6, 96)).toBe(96);
    const mask = new Uint8Array(96);
    for (let i = 0; i < 37; i++) mask[i * 2] = 1;
    roundUpExecuted(mask, 1 / 16, createRng(1));
    expect(mask.reduce((s, v) => s + v, 0)).toBe(42);
    for (let i = 0; i < 37; i++) expect(mask[i * 2]).toBe(1);
  });
});

describe('threshold policy', () => {
  it('executes the blocks that changed, at exactly the target count', async () => {
    // Squares move in the left half only: the right half's blocks never change.
    const clip = movingSquares(40, 64, 64, 16, 4);
    const frames = await simulateBlockMode(new ThresholdPolicy({ targetRate: 0.25, quantum: 0 }), clip);
    for (const f of frames.slice(1)) expect(f.executed.reduce((s, v) => s + v, 0)).toBe(4);
    const random = await simulateBlockMode(new RandomPolicy({ targetRate: 0.25, quantum: 0, seed: 1 }), clip);
    expect(changedExecuted(frames, 1)).toBeGreaterThan(0.6);
    expect(changedExecuted(frames, 1)).toBeGreaterThan(changedExecuted(random, 1) + 0.25);
  });

  it('with an energy threshold, a static scene executes nothing after the first frame', async () => {
    const still = movingSquares(1, 32, 32, 16, 2).frames[0]!;
    const frames = await simulateBlockMode(new ThresholdPolicy({ targetRate: 0.5, energyThreshold: 1e-6 }), {
      frames: [still, still, still],
      grid: blockGridOf(32, 32, 16),
    });
    expect(frames.map((f) => Array.from(f.executed))).toEqual([
      [1, 1, 1, 1],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });
});

describe('option and input checks', () => {
  it('rejects bad options with OptionError', () => {
    expect(() => new RandomPolicy({ targetRate: 1.5 })).toThrow(OptionError);
    expect(() => new ThresholdPolicy({})).toThrow(/targetRate in \[0, 1\], an energyThreshold/);
    expect(() => new RlPolicy({ targetRate: 0.4, gain: 'kl' as never })).toThrow(/gain must be one of/);
    expect(() => new RlPolicy({ targetRate: 0.4, architecture: { pixelsPerBlock: 12 as never } })).toThrow(
      /pixelsPerBlock must be 8, 16 or 32/,
    );
    expect(() => new RlPolicy({ targetRate: 0.4, stepEvery: 0 })).toThrow(/stepEvery must be a positive integer/);
  });

  it('rejects frames that do not fit the grid or the network with ShapeError', async () => {
    const input = { data: new Float32Array(32 * 32 * 3), shape: [1, 32, 32, 3] };
    expect(() => new RandomPolicy({ targetRate: 0.5 }).decide({ index: 0, input, grid: blockGridOf(64, 32, 16) })).toThrow(ShapeError);
    const gray = { data: new Float32Array(32 * 32), shape: [1, 32, 32, 1] };
    await expect(new RlPolicy({ targetRate: 0.5 }).decide({ index: 0, input: gray, grid: blockGridOf(32, 32, 16) })).rejects.toThrow(
      /frames of 3 channels; got 1/,
    );
  });
});

describe('resource limits', () => {
  it('refuses a grid whose network input would be too large before allocating it', async () => {
    // 1088x1920 frames in 16-pixel blocks: a 68x120 grid, a 2176x3840 network input at 32 pixels per block.
    const grid = blockGridOf(1088, 1920, 16);
    const input = { data: new Float32Array(1088 * 1920 * 3), shape: [1, 1088, 1920, 3] };
    const policy = new RlPolicy({ targetRate: 0.4 });
    await policy.decide({ index: 0, input, grid });
    const output = { data: new Float32Array(4), shape: [1, 1, 1, 4] };
    await expect(policy.decide({ index: 1, input, grid, previousOutput: output })).rejects.toThrow(
      /use larger blocks or architecture.pixelsPerBlock 16 or 8/,
    );
    await expect(policy.decide({ index: 1, input, grid, previousOutput: output })).rejects.toSatisfy((e) =>
      ResourceLimitError.isInstance(e),
    );
  });
});
