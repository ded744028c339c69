import type { Rng } from '@motiondelta/core';

/**
 * The step the executed count is rounded to: `quantum` of the grid, at least one block. With
 * quantum 0 every count is allowed (step 1).
 */
export function quantumBlocks(totalBlocks: number, quantum: number): number {
  return Math.max(1, Math.floor(totalBlocks * quantum));
}

/** `count` rounded up to a multiple of `step`, at most `total` (a partial last step executes everything). */
export function roundUpCount(count: number, step: number, total: number): number {
  if (count <= 0) return 0;
  return Math.min(total, Math.ceil(count / step) * step);
}

/**
 * Rounds the number of executed blocks up to a multiple of the quantum by executing extra copied
 * blocks, in place. `pick` orders the candidates (copied blocks): the default is a seeded shuffle,
 * as BlockCopy adds random blocks; the threshold policy passes its energy ranking instead. No
 * executed block is ever dropped, so the count only goes up (a frame with nothing to execute
 * stays at zero).
 */
export function roundUpExecuted(execute: Uint8Array, quantum: number, rng: Rng, ranking?: readonly number[]): void {
  const total = execute.length;
  let count = 0;
  for (const v of execute) count += v;
  const target = roundUpCount(count, quantumBlocks(total, quantum), total);
  if (target === count) return;
  const order = ranking ?? shuffled(total, rng);
  for (const i of order) {
    if (count === target) break;
    if (execute[i] === 0) {
      execute[i] = 1;
      count++;
    }
  }
}

/** 0..n-1 in a seeded random order (Fisher-Yates). */
function shuffled(n: number, rng: Rng): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
