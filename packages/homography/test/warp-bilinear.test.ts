import { describe, expect, it } from 'vitest';
import { AlignmentError, translationHomography, warpBilinear } from '../src/index.js';
import { texturedGray } from './helpers.js';

describe('warpBilinear', () => {
  const w = 40;
  const h = 30;
  const src = { data: texturedGray(w, h, 2), width: w, height: h, channels: 1 };

  it('an integer translation shifts pixels exactly and masks the uncovered band', () => {
    const { image, mask, covered } = warpBilinear(src, translationHomography(3, -2), { width: w, height: h, fill: 7 });
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const sx = x - 3;
        const sy = y + 2;
        const inside = sx >= 0 && sy < h;
        expect(mask[y * w + x]).toBe(inside ? 1 : 0);
        expect(image.data[y * w + x]).toBe(inside ? src.data[sy * w + sx]! : 7);
      }
    }
    expect(covered).toBe((w - 3) * (h - 2));
  });

  it('a half-pixel shift averages neighbours', () => {
    const ramp = { data: Uint8Array.from({ length: 8 }, (_, i) => i * 10), width: 8, height: 1, channels: 1 };
    const { image } = warpBilinear(ramp, translationHomography(-0.5, 0), { width: 8, height: 1 });
    expect(Array.from(image.data.subarray(0, 7))).toEqual([5, 15, 25, 35, 45, 55, 65]);
  });

  it('warps RGB interleaved and reuses caller buffers', () => {
    const rgb = { data: new Uint8Array(4 * 4 * 3).fill(100), width: 4, height: 4, channels: 3 };
    const out = new Uint8Array(4 * 4 * 3);
    const mask = new Uint8Array(16);
    const r = warpBilinear(rgb, translationHomography(0, 0), { width: 4, height: 4, out, mask });
    expect(r.image.data).toBe(out);
    expect(r.mask).toBe(mask);
    expect(out.every((v) => v === 100)).toBe(true);
  });

  it('throws typed errors for a singular H and wrong buffer sizes', () => {
    expect(() => warpBilinear(src, new Float64Array(9), { width: w, height: h })).toThrow(AlignmentError);
    expect(() => warpBilinear(src, translationHomography(0, 0), { width: w, height: h, out: new Uint8Array(3) })).toThrow(AlignmentError);
    expect(() => warpBilinear(src, [1, 0, 0, 0, 1, 0, 0, 0, Number.NaN], { width: w, height: h })).toThrow(/finite/);
  });
});
