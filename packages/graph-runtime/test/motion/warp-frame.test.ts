import { createRng, uniform } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { applyHomography, checkHomography, compose, invert } from '../../src/motion/homography.js';
import { warpFrame } from '../../src/motion/warp-frame.js';

describe('residual warp of a frame into the viewport', () => {
  it('is exact on an affine ramp (bilinear reproduces linear functions) and marks coverage by the source footprint', () => {
    const rng = createRng(3);
    for (let trial = 0; trial < 20; trial++) {
      const h = 9;
      const w = 11;
      const ramp = (x: number, y: number, c: number): number => 0.25 * x - 0.5 * y + c;
      const data = new Float32Array(h * w * 2);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 2; c++) data[(y * w + x) * 2 + c] = ramp(x, y, c);
      const a = uniform(rng, -0.15, 0.15);
      const s = uniform(rng, 0.9, 1.1);
      const m = [s * Math.cos(a), -s * Math.sin(a), uniform(rng, -3, 3), s * Math.sin(a), s * Math.cos(a), uniform(rng, -3, 3), 0, 0, 1];
      const out = warpFrame({ data, shape: [1, h, w, 2] }, m, h, w);
      const inv = invert(m);
      let covered = 0;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const [sx, sy] = applyHomography(inv, x, y);
          const inside = sx >= -1e-6 && sy >= -1e-6 && sx <= w - 1 + 1e-6 && sy <= h - 1 + 1e-6;
          expect(out.covered[y * w + x]).toBe(inside ? 1 : 0);
          if (!inside) continue;
          covered++;
          for (let c = 0; c < 2; c++) expect(out.data[(y * w + x) * 2 + c]).toBeCloseTo(ramp(sx, sy, c), 4);
        }
      }
      expect(out.coveredCount).toBe(covered);
    }
  });

  it('copies exactly on integer translations', () => {
    const data = new Float32Array(4 * 5).map((_, i) => i * 0.1);
    const out = warpFrame({ data, shape: [1, 4, 5, 1] }, [1, 0, 2, 0, 1, -1, 0, 0, 1], 4, 5);
    // viewport (y, x) <- frame (y + 1, x - 2)
    expect(out.data[0 * 5 + 2]).toBe(data[1 * 5 + 0]);
    expect(out.covered[0]).toBe(0);
    expect(out.covered[3 * 5 + 4]).toBe(0);
    expect(out.coveredCount).toBe(3 * 3);
  });

  it('composes, inverts and validates homographies', () => {
    const h = checkHomography([2, 0, 4, 0, 2, 6, 0, 0, 2]);
    expect(h).toEqual([1, 0, 2, 0, 1, 3, 0, 0, 1]);
    expect(compose(h, invert(h)).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });
});
