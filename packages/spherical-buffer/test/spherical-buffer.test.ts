import { OptionError, ShapeError, createRng, randomFloat32, randomInt } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { SphericalBuffer, SphericalGeometry } from '../src/index.js';

describe('SphericalBuffer', () => {
  it('world pixels congruent modulo the buffer size share storage', () => {
    const g = new SphericalGeometry({ slotsH: 8, slotsW: 8, viewportHeight: 4, viewportWidth: 4 });
    const buf = new SphericalBuffer(g, 3);
    buf.set(-1, 9, 2, 0.5);
    expect(buf.get(7, 1, 2)).toBe(0.5);
    expect(buf.get(7, 1, 1)).toBe(0);
    expect(buf.offsetOf(-1, 9)).toBe((7 * 8 + 1) * 3);
    expect(() => buf.get(0, 0, 3)).toThrow(OptionError);
    expect(() => new SphericalBuffer(g, 0)).toThrow(OptionError);
  });

  it('writeRect / readRect round-trip across the wrap and match per-pixel access', () => {
    const rng = createRng(31);
    for (let i = 0; i < 100; i++) {
      const slotsH = randomInt(rng, 2, 9);
      const slotsW = randomInt(rng, 2, 9);
      const c = randomInt(rng, 1, 3);
      const g = new SphericalGeometry({
        slotsH,
        slotsW,
        viewportHeight: randomInt(rng, 1, slotsH),
        viewportWidth: randomInt(rng, 1, slotsW),
      });
      const buf = new SphericalBuffer(g, c);
      const rect = {
        y: randomInt(rng, -20, 20),
        x: randomInt(rng, -20, 20),
        height: randomInt(rng, 0, slotsH),
        width: randomInt(rng, 0, slotsW),
      };
      const data = randomFloat32(rng, rect.height * rect.width * c);
      buf.writeRect(rect, { data, shape: [1, rect.height, rect.width, c] });
      const back = buf.readRect(rect);
      expect(back.shape).toEqual([1, rect.height, rect.width, c]);
      expect(back.data).toEqual(data);
      let bad = 0;
      for (let y = 0; y < rect.height; y++) {
        for (let x = 0; x < rect.width; x++) {
          for (let k = 0; k < c; k++) if (buf.get(rect.y + y, rect.x + x, k) !== data[(y * rect.width + x) * c + k]) bad++;
        }
      }
      expect(bad).toBe(0);
    }
  });

  it('readViewport copies the viewport (or the window) out in NHWC order', () => {
    const g = new SphericalGeometry({ slotsH: 6, slotsW: 6, viewportHeight: 2, viewportWidth: 3, ring: 1 });
    const buf = new SphericalBuffer(g, 1);
    for (let y = -6; y < 0; y++) for (let x = -6; x < 0; x++) buf.set(y, x, 0, y * 10 + x);
    const v = buf.readViewport({ y: -1, x: -2 });
    expect(v.shape).toEqual([1, 2, 3, 1]);
    // World row -1 then row 0 (which aliases -6), columns -2, -1, 0 (aliases -6).
    expect(Array.from(v.data)).toEqual([-12, -11, -16, -62, -61, -66]);
    expect(buf.readViewport({ y: -1, x: -2 }, { withRing: true }).shape).toEqual([1, 4, 5, 1]);
  });

  it('resetSlots zeroes world rectangles (with wrap) and nothing else', () => {
    const g = new SphericalGeometry({ slotsH: 5, slotsW: 5, viewportHeight: 2, viewportWidth: 2 });
    const buf = new SphericalBuffer(g, 2);
    buf.data.fill(1);
    buf.resetSlots([{ y: 4, x: -1, height: 2, width: 2 }]);
    // Rows 4 and 0 (5 mod 5), columns 4 and 0.
    const zeroSlots = [4 * 5 + 4, 4 * 5 + 0, 0 * 5 + 4, 0];
    for (let s = 0; s < 25; s++) {
      const want = zeroSlots.includes(s) ? 0 : 1;
      expect([buf.data[2 * s], buf.data[2 * s + 1]]).toEqual([want, want]);
    }
    buf.resetSlotIndices([7]);
    expect(buf.data[14]).toBe(0);
    expect(() => buf.resetSlotIndices([25])).toThrow(OptionError);
    expect(() => buf.resetSlots([{ y: 0, x: 0, height: 6, width: 1 }])).toThrow(OptionError);
  });

  it('rejects tensors of the wrong shape', () => {
    const g = new SphericalGeometry({ slotsH: 4, slotsW: 4, viewportHeight: 2, viewportWidth: 2 });
    const buf = new SphericalBuffer(g, 2);
    expect(() => buf.writeRect({ y: 0, x: 0, height: 2, width: 2 }, { data: new Float32Array(8), shape: [1, 2, 4, 1] })).toThrow(
      ShapeError,
    );
  });
});
