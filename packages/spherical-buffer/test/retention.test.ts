import { createRng, randomInt } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { SlotTracker, SphericalBuffer, SphericalGeometry, rectContains } from '../src/index.js';
import { randomWalk } from './helpers.js';

/** A value that names a world position, so a slot's content says which position wrote it. */
const code = (y: number, x: number): number => y * 4096 + x + 0.5;

describe('leaving and re-entering (property 4)', () => {
  it('one stride right then back: the column that left keeps its content; the new column was reset', () => {
    const g = new SphericalGeometry({ slotsH: 6, slotsW: 6, viewportHeight: 4, viewportWidth: 4 });
    const t = new SlotTracker(g, { y: 0, x: 0 });
    const buf = new SphericalBuffer(g, 1);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) buf.set(y, x, 0, code(y, x));
    const right = t.move({ y: 0, x: 1 });
    expect(right.resetSlots.length).toBe(4); // column 4 claims fresh slots; column 0 is only out of view
    buf.resetSlotIndices(right.resetSlots);
    const back = t.move({ y: 0, x: 0 });
    expect(back.unveiled).toEqual([{ y: 0, x: 0, height: 4, width: 1 }]);
    expect(back.resetSlots.length).toBe(0);
    for (let y = 0; y < 4; y++) expect(buf.get(y, 0, 0)).toBe(code(y, 0));
  });

  it('a position whose slot was claimed while it was away is reset when it comes back', () => {
    const g = new SphericalGeometry({ slotsH: 4, slotsW: 6, viewportHeight: 4, viewportWidth: 4 });
    const t = new SlotTracker(g, { y: 0, x: 0 });
    const buf = new SphericalBuffer(g, 1);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) buf.set(y, x, 0, code(y, x));
    // x = 6 shares column 0's slots; moving to x in [3, 7) claims them.
    const away = t.move({ y: 0, x: 3 });
    buf.resetSlotIndices(away.resetSlots);
    const back = t.move({ y: 0, x: 0 });
    buf.resetSlotIndices(back.resetSlots);
    expect(Array.from(back.resetSlots).sort((a, b) => a - b)).toEqual([0, 6, 12, 18]);
    for (let y = 0; y < 4; y++) {
      expect(buf.get(y, 0, 0)).toBe(0);
      expect(buf.get(y, 1, 0)).toBe(code(y, 1)); // never overwritten: retained
    }
  });

  it("on random walks, every window slot holds its own position's content or was reset, never another's", () => {
    const rng = createRng(21);
    for (let i = 0; i < 60; i++) {
      const viewportHeight = randomInt(rng, 1, 5);
      const viewportWidth = randomInt(rng, 1, 5);
      const ring = randomInt(rng, 0, 2);
      const g = new SphericalGeometry({
        viewportHeight,
        viewportWidth,
        ring,
        slotsH: viewportHeight + 2 * ring + randomInt(rng, 0, 4),
        slotsW: viewportWidth + 2 * ring + randomInt(rng, 0, 4),
      });
      const path = randomWalk(rng, g, 30);
      const t = new SlotTracker(g, path[0]!);
      const buf = new SphericalBuffer(g, 2);
      const fill = (): void => {
        const w = g.windowAt(t.origin);
        for (let y = w.y; y < w.y + w.height; y++) {
          for (let x = w.x; x < w.x + w.width; x++) {
            buf.set(y, x, 0, code(y, x));
            buf.set(y, x, 1, -code(y, x));
          }
        }
      };
      fill();
      const problems: string[] = [];
      for (let k = 1; k < path.length; k++) {
        const m = t.move(path[k]!);
        buf.resetSlotIndices(m.resetSlots);
        const reset = new Set(m.resetSlots);
        const w = g.windowAt(path[k]!);
        for (let y = w.y; y < w.y + w.height; y++) {
          for (let x = w.x; x < w.x + w.width; x++) {
            const v = buf.get(y, x, 0);
            const wasReset = reset.has(g.slotOf(y, x));
            // Reset slots are zero; all others still hold exactly what this position wrote.
            if (wasReset ? v !== 0 : v !== code(y, x)) problems.push(`step ${k} (${y},${x}): ${v}`);
            // A re-entering position keeps its content only if no other position owned its slot meanwhile.
            const owner = t.ownerOf(g.slotOf(y, x));
            if (owner?.y !== y || owner.x !== x) problems.push(`step ${k} (${y},${x}) not owner`);
          }
        }
        // Retained slots outside the window are left alone by the move.
        for (const s of m.resetSlots) {
          const o = t.ownerOf(s);
          if (o === undefined || !rectContains(w, o.y, o.x)) problems.push(`step ${k}: reset slot ${s} outside window`);
        }
        // Every pixel writes its value each frame (as a dense layer would), so content is its own.
        fill();
      }
      expect(problems).toEqual([]);
    }
  });
});
