import { DeltaBuffer } from '@motiondelta/core';
import type { Shape, Tensor } from '@motiondelta/core';
import { checkDelta } from './compare-delta.js';
import { checkValues } from './compare-values.js';
import { ALL_PATTERNS, cloneDelta, dirtyBuffer, patternPixels } from './change-patterns.js';
import type { ChangePattern } from './change-patterns.js';
import { deltaCase, framePatterns } from './delta-case.js';
import { dyadic, dyadicArray } from './random-data.js';
import { DENSE_TOLERANCE, STATE_TOLERANCE } from './tolerance.js';
import type { ConformanceCase } from './types.js';

/** Grid threshold: differences of grid values are exact, so a change of exactly 0.25 must stay inactive everywhere. */
const THRESHOLD = 0.25;

/**
 * The next frame: changed pixels (the pattern) get a change whose largest channel is above the
 * threshold, exactly at it (must stay inactive: the rule is `>`), or below it; unchanged pixels
 * keep their value or, above threshold 0, move by less than the threshold (residue).
 */
function nextFrame(shape: Shape, previous: Float32Array, pixels: readonly number[], threshold: number, rng: () => number): Float32Array {
  const c = shape[3]!;
  const x = Float32Array.from(previous);
  const step = 1 / 256;
  const grid = (lo: number, hi: number): number => dyadic({ next: rng }, lo, hi);
  const changed = new Set(pixels);
  for (let p = 0; p < x.length / c; p++) {
    const base = p * c;
    if (changed.has(p)) {
      const kind = threshold === 0 ? 'above' : (['above', 'above', 'at', 'below'] as const)[Math.floor(rng() * 4)]!;
      const peak = kind === 'above' ? threshold + grid(step, 1) : kind === 'at' ? threshold : grid(0, threshold - step);
      const k = Math.floor(rng() * c);
      for (let ch = 0; ch < c; ch++) {
        const size = ch === k ? peak : grid(0, peak);
        x[base + ch] = previous[base + ch]! + (rng() < 0.5 ? -size : size);
      }
    } else if (threshold > 0 && rng() < 0.2) {
      for (let ch = 0; ch < c; ch++) x[base + ch] = previous[base + ch]! + grid(-threshold + step, threshold - step);
    }
  }
  return x;
}

function sparsifyCase(shape: Shape, threshold: number, pattern: ChangePattern): ConformanceCase {
  return deltaCase('sparsify', `t${threshold} ${pattern} [${shape.join(',')}]`, async ({ backend, reference, rng, report }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const rngFn = (): number => rng.next();
    const refState = dyadicArray(rng, size, -2, 2);
    const backendState = Float32Array.from(refState);
    let current: Float32Array = Float32Array.from(refState);
    const outRef = new DeltaBuffer(shape);
    dirtyBuffer(outRef, rng);
    const outBackend = cloneDelta(outRef);
    for (const [f, framePattern] of framePatterns(pattern).entries()) {
      current = nextFrame(shape, current, patternPixels(framePattern, shape, rng), threshold, rngFn);
      const x: Tensor = { data: current, shape };
      await reference.sparsify({ data: Float32Array.from(current), shape }, refState, threshold, outRef);
      await backend.sparsify(x, backendState, threshold, outBackend);
      checkDelta(report, `frame ${f + 1} (${framePattern}) out`, outBackend, outRef, DENSE_TOLERANCE);
      checkValues(report, `frame ${f + 1} reference state`, backendState, refState, STATE_TOLERANCE);
    }
  });
}

function accumulateCase(shape: Shape, pattern: ChangePattern): ConformanceCase {
  return deltaCase('accumulate', `${pattern} [${shape.join(',')}]`, async ({ backend, reference, rng, report }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const refTarget = dyadicArray(rng, size, -2, 2);
    const backendTarget = Float32Array.from(refTarget);
    for (const [f, framePattern] of framePatterns(pattern).entries()) {
      const delta = new DeltaBuffer(shape);
      dirtyBuffer(delta, rng);
      delta.clear();
      for (const p of patternPixels(framePattern, shape, rng)) {
        delta.activate(p);
        for (let ch = 0; ch < delta.channels; ch++) delta.values[p * delta.channels + ch] = rng.next() * 2 - 1;
      }
      await reference.accumulate(cloneDelta(delta), refTarget);
      await backend.accumulate(delta, backendTarget);
      checkValues(report, `frame ${f + 1} (${framePattern}) target`, backendTarget, refTarget, STATE_TOLERANCE);
    }
  });
}

export function sparsifyDeltaCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const tiled: Shape = [2, 24, 24, 3];
  for (const threshold of [0, THRESHOLD]) for (const pattern of ALL_PATTERNS) cases.push(sparsifyCase(tiled, threshold, pattern));
  for (const c of [1, 5, 33]) cases.push(sparsifyCase([2, 13, 17, c], THRESHOLD, 'scattered'));
  cases.push(sparsifyCase([1, 64, 64, 16], THRESHOLD, 'scattered'));
  for (const pattern of ALL_PATTERNS) cases.push(accumulateCase(tiled, pattern));
  for (const c of [1, 17]) cases.push(accumulateCase([2, 13, 17, c], 'tile-borders'));
  return cases;
}
