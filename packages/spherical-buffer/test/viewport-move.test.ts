import { createRng, randomInt } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { SlotTracker, SphericalGeometry, rectContains, type ViewportMove, type WorldPoint } from '../src/index.js';
import { disjointUnion, pixelSet, randomWalk, setMinus } from './helpers.js';

function randomGeometry(rng: ReturnType<typeof createRng>): SphericalGeometry {
  const viewportHeight = randomInt(rng, 1, 5);
  const viewportWidth = randomInt(rng, 1, 5);
  const ring = randomInt(rng, 0, 2);
  return new SphericalGeometry({
    viewportHeight,
    viewportWidth,
    ring,
    slotsH: viewportHeight + 2 * ring + randomInt(rng, 0, 4),
    slotsW: viewportWidth + 2 * ring + randomInt(rng, 0, 4),
    tileSize: randomInt(rng, 1, 4),
  });
}

const sorted = (a: ArrayLike<number>): number[] => Array.from(a).sort((p, q) => p - q);

/** Brute-force unveiled check (property 3) shared by the stateless and tracked moves. */
function checkUnveiled(g: SphericalGeometry, move: ViewportMove, from: WorldPoint, to: WorldPoint): void {
  const expected = setMinus(pixelSet(g.windowAt(to)), pixelSet(g.windowAt(from)));
  const union = disjointUnion(move.unveiled);
  expect(union).toBeDefined();
  expect([...union!].sort()).toEqual([...expected].sort());
  expect(move.unveiled.length).toBeLessThanOrEqual(4);
  const slots: number[] = [];
  for (const r of move.unveiled)
    for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) slots.push(g.slotOf(y, x));
  expect(Array.from(move.unveiledSlots)).toEqual(slots);
  const entered = setMinus(pixelSet(g.viewportAt(to)), pixelSet(g.viewportAt(from)));
  const left = setMinus(pixelSet(g.viewportAt(from)), pixelSet(g.viewportAt(to)));
  expect([...disjointUnion(move.enteredViewport)!].sort()).toEqual([...entered].sort());
  expect([...disjointUnion(move.leftViewport)!].sort()).toEqual([...left].sort());
}

describe('viewport moves', () => {
  it('zero motion unveils and resets nothing', () => {
    const g = new SphericalGeometry({ slotsH: 8, slotsW: 8, viewportHeight: 4, viewportWidth: 4, ring: 1 });
    const m = g.moveViewport({ y: -5, x: 3 }, { y: -5, x: 3 });
    expect(m.unveiled).toEqual([]);
    expect(m.unveiledSlots.length).toBe(0);
    expect(m.resetSlots.length).toBe(0);
    expect(m.resetTiles.length).toBe(0);
    const t = new SlotTracker(g, { y: -5, x: 3 });
    expect(t.move({ y: -5, x: 3 }).resetSlots.length).toBe(0);
  });

  it('a jump larger than the buffer unveils and resets the whole window, even onto the same slots', () => {
    const g = new SphericalGeometry({ slotsH: 8, slotsW: 8, viewportHeight: 4, viewportWidth: 4, ring: 1 });
    const window = g.windowAt({ y: 16, x: -24 });
    for (const m of [g.moveViewport({ y: 0, x: 0 }, { y: 16, x: -24 }), new SlotTracker(g, { y: 0, x: 0 }).move({ y: 16, x: -24 })]) {
      expect(m.unveiled).toEqual([window]);
      expect(sorted(m.resetSlots)).toEqual(sorted(g.slotsOfRects([window])));
    }
  });

  it('stateless moves reset exactly the unveiled slots (exact viewport semantics)', () => {
    const rng = createRng(11);
    for (let i = 0; i < 40; i++) {
      const g = randomGeometry(rng);
      const path = randomWalk(rng, g, 20);
      for (let k = 1; k < path.length; k++) {
        const m = g.moveViewport(path[k - 1]!, path[k]!);
        checkUnveiled(g, m, path[k - 1]!, path[k]!);
        expect(m.resetSlots).toEqual(m.unveiledSlots);
        expect(Array.from(m.resetTiles)).toEqual(Array.from(g.tilesOfSlots(m.resetSlots)));
      }
    }
  });

  it('tracked moves: unveiled = new window minus old; every window slot has one owner; reset = owner changed (properties 2, 3)', () => {
    const rng = createRng(12);
    for (let i = 0; i < 60; i++) {
      const g = randomGeometry(rng);
      const path = randomWalk(rng, g, 30);
      const tracker = new SlotTracker(g, path[0]!);
      // Brute-force model: slot -> "y,x" of the position it stands for.
      const owner = new Map<number, string>();
      for (const k of pixelSet(g.windowAt(path[0]!))) {
        const [y, x] = k.split(',').map(Number) as [number, number];
        owner.set(g.slotOf(y, x), k);
      }
      for (let k = 1; k < path.length; k++) {
        const from = path[k - 1]!;
        const to = path[k]!;
        const m = tracker.move(to);
        checkUnveiled(g, m, from, to);
        const expectedReset: number[] = [];
        const window = g.windowAt(to);
        const seen = new Set<number>();
        let sharedSlots = 0;
        for (const key of pixelSet(window)) {
          const [y, x] = key.split(',').map(Number) as [number, number];
          const s = g.slotOf(y, x);
          if (seen.has(s)) sharedSlots++; // two window positions in one slot
          seen.add(s);
          if (owner.get(s) !== key) {
            expectedReset.push(s);
            owner.set(s, key);
          }
        }
        expect(sharedSlots).toBe(0);
        expect(sorted(m.resetSlots)).toEqual(sorted(expectedReset));
        // Reset slots are unveiled slots: positions that stayed in the window never lose their slot.
        const unveiled = new Set(m.unveiledSlots);
        expect(Array.from(m.resetSlots).filter((s) => !unveiled.has(s))).toEqual([]);
        expect(Array.from(m.resetTiles)).toEqual(Array.from(g.tilesOfSlots(m.resetSlots)));
        const mismatches: string[] = [];
        for (let s = 0; s < g.slotCount; s++) {
          const o = tracker.ownerOf(s);
          const got = o === undefined ? undefined : `${o.y},${o.x}`;
          if (got !== owner.get(s)) mismatches.push(`slot ${s}: ${got} != ${owner.get(s)}`);
          if (o !== undefined && rectContains(window, o.y, o.x) && g.slotOf(o.y, o.x) !== s)
            mismatches.push(`slot ${s} owner maps elsewhere`);
        }
        expect(mismatches).toEqual([]);
      }
    }
  });

  it('tiles touched by a one-column reset are one tile column', () => {
    const g = new SphericalGeometry({ slotsH: 32, slotsW: 32, viewportHeight: 16, viewportWidth: 16, tileSize: 8 });
    const m = new SlotTracker(g, { y: 0, x: 0 }).move({ y: 0, x: 1 });
    expect(Array.from(m.resetTiles)).toEqual([2, 6]);
  });
});
