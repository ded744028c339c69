import { DeltaBuffer } from '@motiondelta/core';
import type { Rng } from '@motiondelta/core';
import { shuffle } from './random-data.js';

/**
 * Which pixels of a frame changed. Native kernels work per 8x8 tile, so the patterns aim at the
 * places tiled code gets wrong: tile borders (x = 7|8, 15|16, ...), image corners and edges,
 * one lone pixel, nothing at all, everything, and a dense scatter that pushes a backend past
 * its dense-fallback break-even point.
 */
export type ChangePattern = 'none' | 'single' | 'corners' | 'tile-borders' | 'scattered' | 'dense-scatter' | 'everything' | 'second-batch';

export const ALL_PATTERNS: readonly ChangePattern[] = [
  'none',
  'single',
  'corners',
  'tile-borders',
  'scattered',
  'dense-scatter',
  'everything',
  'second-batch',
];

/** Tile edge: the last row/column of one 8-pixel tile and the first of the next. */
const TILE = 8;

function tileBorders(size: number): number[] {
  const out: number[] = [];
  for (let t = TILE; t < size; t += TILE) out.push(t - 1, t);
  return out;
}

/** The changed pixel indices (n*H*W + y*W + x) of a pattern on an [N,H,W,*] frame, distinct, in random order. */
export function patternPixels(pattern: ChangePattern, shape: readonly number[], rng: Rng): number[] {
  const [batch, h, w] = shape as [number, number, number];
  const plane = h * w;
  const set = new Set<number>();
  const add = (n: number, y: number, x: number): void => {
    if (n >= 0 && n < batch && y >= 0 && y < h && x >= 0 && x < w) set.add(n * plane + y * w + x);
  };
  const randomPixels = (p: number, batches: readonly number[]): void => {
    for (const n of batches) for (let q = 0; q < plane; q++) if (rng.next() < p) set.add(n * plane + q);
  };
  const every = Array.from({ length: batch }, (_, n) => n);
  switch (pattern) {
    case 'none':
      break;
    case 'single':
      add(Math.floor(rng.next() * batch), Math.floor(rng.next() * h), Math.floor(rng.next() * w));
      break;
    case 'corners':
      for (const n of every) for (const y of [0, h - 1]) for (const x of [0, w - 1]) add(n, y, x);
      break;
    case 'tile-borders': {
      const rows = tileBorders(h);
      const cols = tileBorders(w);
      // Where borders cross, plus one random pixel on each border line, in a random batch entry.
      const n = Math.floor(rng.next() * batch);
      for (const y of rows) for (const x of cols) add(n, y, x);
      for (const y of rows) add(n, y, Math.floor(rng.next() * w));
      for (const x of cols) add(n, Math.floor(rng.next() * h), x);
      // The last row and column are tile edges too when the size is not a multiple of 8.
      add(n, h - 1, Math.floor(rng.next() * w));
      add(n, Math.floor(rng.next() * h), w - 1);
      break;
    }
    case 'scattered':
      randomPixels(0.08, every);
      if (set.size === 0) add(0, Math.floor(rng.next() * h), Math.floor(rng.next() * w));
      break;
    case 'dense-scatter':
      randomPixels(0.6, every);
      break;
    case 'everything':
      for (let p = 0; p < batch * plane; p++) set.add(p);
      break;
    case 'second-batch':
      randomPixels(0.15, [batch - 1]);
      break;
  }
  return shuffle(rng, [...set]);
}

/**
 * Stands in for the stale values a reused buffer holds: inactive pixels of a real DeltaBuffer
 * keep the values of earlier frames, and kernels must never read them. Large and finite, so a
 * kernel that reads one produces an error far outside any tolerance.
 */
export const GARBAGE = 4096;

/**
 * A DeltaBuffer with `pixels` active (in that order, which is random) and values from
 * `value(pixel, channel)`; every inactive value holds garbage.
 */
export function makeDelta(
  shape: readonly number[],
  pixels: readonly number[],
  value: (pixel: number, channel: number) => number,
  rng: Rng,
): DeltaBuffer {
  const d = new DeltaBuffer(shape);
  for (let i = 0; i < d.values.length; i++) d.values[i] = GARBAGE + rng.next();
  fillDelta(d, pixels, value);
  return d;
}

/** Clears `d` and activates `pixels` with the given values (inactive values are left as they are). */
export function fillDelta(d: DeltaBuffer, pixels: readonly number[], value: (pixel: number, channel: number) => number): void {
  d.clear();
  const c = d.channels;
  for (const p of pixels) {
    d.activate(p);
    for (let ch = 0; ch < c; ch++) d.values[p * c + ch] = value(p, ch);
  }
}

/**
 * Puts an output buffer in the state a previous frame would leave: a third of the pixels active
 * and every value garbage. A kernel must clear this before writing (the contract says every
 * kernel clears `out` first), so nothing of it may survive into the result.
 */
export function dirtyBuffer(d: DeltaBuffer, rng: Rng): void {
  d.clear();
  for (let p = 0; p < d.pixels; p++) if (rng.next() < 0.3) d.activate(p);
  for (let i = 0; i < d.values.length; i++) d.values[i] = GARBAGE + rng.next();
}

/** An independent copy of a DeltaBuffer (the same active order). */
export function cloneDelta(d: DeltaBuffer): DeltaBuffer {
  const copy = new DeltaBuffer(d.shape);
  copy.values.set(d.values);
  copy.mask.set(d.mask);
  copy.active.set(d.active);
  copy.count = d.count;
  return copy;
}
