import type { Rng } from '@motiondelta/core';
import { randomInt } from '@motiondelta/core';
import type { Rect, SphericalGeometry, WorldPoint } from '../src/index.js';

/** Every world pixel of `r` as `"y,x"` keys, for brute-force set comparisons on small sizes. */
export function pixelSet(r: Rect): Set<string> {
  const out = new Set<string>();
  for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) out.add(`${y},${x}`);
  return out;
}

/** Union of the pixel sets of `rects`, failing (returns undefined) if two rectangles overlap. */
export function disjointUnion(rects: readonly Rect[]): Set<string> | undefined {
  const out = new Set<string>();
  for (const r of rects) {
    for (const k of pixelSet(r)) {
      if (out.has(k)) return undefined;
      out.add(k);
    }
  }
  return out;
}

/** `a` minus `b` on pixel sets. */
export function setMinus(a: Set<string>, b: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const k of a) if (!b.has(k)) out.add(k);
  return out;
}

/**
 * A seeded random walk of viewport origins mixing the paths that break spherical buffers: one
 * stride back and forth, diagonals that clip corners, jumps larger than the buffer, exact multiples
 * of the buffer size (same slots, other positions), zero motion, and a start in negative coordinates.
 */
export function randomWalk(rng: Rng, geometry: SphericalGeometry, steps: number): WorldPoint[] {
  let y = randomInt(rng, -3 * geometry.slotsH, geometry.slotsH);
  let x = randomInt(rng, -3 * geometry.slotsW, geometry.slotsW);
  const out: WorldPoint[] = [{ y, x }];
  while (out.length <= steps) {
    const kind = randomInt(rng, 0, 9);
    if (kind <= 2) {
      // One stride forth and straight back.
      const dy = randomInt(rng, -1, 1);
      const dx = randomInt(rng, -1, 1);
      out.push({ y: y + dy, x: x + dx }, { y, x });
      continue;
    }
    if (kind <= 4) {
      const d = randomInt(rng, 0, 1) === 0 ? -1 : 1;
      const e = randomInt(rng, 0, 1) === 0 ? -1 : 1;
      y += d;
      x += e;
    } else if (kind === 5) {
      y += randomInt(rng, -3, 3) * geometry.slotsH + randomInt(rng, -2, 2);
      x += randomInt(rng, -3, 3) * geometry.slotsW + randomInt(rng, -2, 2);
    } else if (kind === 6) {
      y += (randomInt(rng, 0, 1) * 2 - 1) * geometry.slotsH;
    } else if (kind === 7) {
      // stay
    } else {
      y += randomInt(rng, -3, 3);
      x += randomInt(rng, -3, 3);
    }
    out.push({ y, x });
  }
  return out;
}
