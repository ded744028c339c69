import { OptionError, createRng, randomInt } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { SphericalGeometry, wrapCoordinate } from '../src/index.js';

describe('world addressing', () => {
  it('wraps negative and positive world coordinates into [0, size)', () => {
    expect(wrapCoordinate(-1, 8)).toBe(7);
    expect(wrapCoordinate(-8, 8)).toBe(0);
    expect(Object.is(wrapCoordinate(-16, 8), 0)).toBe(true);
    expect(wrapCoordinate(-17, 8)).toBe(7);
    expect(wrapCoordinate(19, 8)).toBe(3);
  });

  it('is a bijection between any buffer-sized window and the slots (property 1)', () => {
    const rng = createRng(2);
    for (let i = 0; i < 300; i++) {
      const slotsH = randomInt(rng, 1, 13);
      const slotsW = randomInt(rng, 1, 13);
      const g = new SphericalGeometry({ slotsH, slotsW, viewportHeight: 1, viewportWidth: 1 });
      const y0 = randomInt(rng, -1000, 1000);
      const x0 = randomInt(rng, -1000, 1000);
      const hits = new Uint8Array(g.slotCount);
      for (let y = y0; y < y0 + slotsH; y++) {
        for (let x = x0; x < x0 + slotsW; x++) {
          // An out-of-range slot would be dropped by the typed array and show up as a missed slot below.
          hits[g.slotOf(y, x)]! += 1;
        }
      }
      expect(hits.every((h) => h === 1)).toBe(true);
      // And the window's slot list (one call) covers every slot once.
      const slots = g.slotsOfRects([{ y: y0, x: x0, height: slotsH, width: slotsW }]);
      expect([...slots].sort((a, b) => a - b)).toEqual(Array.from({ length: g.slotCount }, (_, k) => k));
    }
  });

  it('places the window as viewport plus ring', () => {
    const g = new SphericalGeometry({ slotsH: 16, slotsW: 12, viewportHeight: 8, viewportWidth: 6, ring: 2, stride: 4 });
    expect(g.viewportAt({ y: -3, x: 5 })).toEqual({ y: -3, x: 5, height: 8, width: 6 });
    expect(g.windowAt({ y: -3, x: 5 })).toEqual({ y: -5, x: 3, height: 12, width: 10 });
    expect(g.originFromInput({ y: -32, x: 64 }, 16)).toEqual({ y: -8, x: 16 });
  });

  it('rejects windows that do not fit, bad sizes, and non-integral origins', () => {
    expect(() => new SphericalGeometry({ slotsH: 9, slotsW: 16, viewportHeight: 8, viewportWidth: 8, ring: 1 })).toThrow(OptionError);
    expect(() => new SphericalGeometry({ slotsH: 0, slotsW: 16, viewportHeight: 8, viewportWidth: 8 })).toThrow(/slotsH/);
    expect(() => new SphericalGeometry({ slotsH: 8, slotsW: 8, viewportHeight: 4, viewportWidth: 4, ring: -1 })).toThrow(/ring/);
    const g = new SphericalGeometry({ slotsH: 8, slotsW: 8, viewportHeight: 4, viewportWidth: 4 });
    expect(() => g.windowAt({ y: 0.5, x: 0 })).toThrow(OptionError);
    expect(() => g.windowAt({ y: 2 ** 31, x: 0 })).toThrow(OptionError);
    expect(() => g.slotsOfRects([{ y: 0, x: 0, height: 9, width: 1 }])).toThrow(/share a slot/);
  });

  it('lists the distinct tiles touched by slots', () => {
    const g = new SphericalGeometry({ slotsH: 20, slotsW: 20, viewportHeight: 4, viewportWidth: 4, tileSize: 8 });
    expect(g.tilesH).toBe(3);
    expect([...g.tilesOfSlots([0, 7, 8, 19 * 20 + 19, 8 * 20])]).toEqual([0, 1, 3, 8]);
  });
});
