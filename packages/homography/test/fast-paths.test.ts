import { describe, expect, it } from 'vitest';
import {
  AlignmentError,
  blurBinomial3,
  estimateHomography,
  extractFeatures,
  halveBox,
  levelWindow,
  lumaHalf,
  matchDescriptors,
  patchOrientation,
  PATCH_RADIUS,
} from '../src/index.js';
import { texturedGray } from './helpers.js';

/** A copy of `bytes` that starts one byte into its buffer, so no word view of it exists. */
function unaligned(bytes: Uint8Array): Uint8Array {
  const buf = new Uint8Array(bytes.length + 1).subarray(1);
  buf.set(bytes);
  return buf;
}

describe('packed-word kernels match the scalar ones bit for bit', () => {
  it('3-tap blur on widths that are multiples of 4, against the direct clamped convolution', () => {
    for (const [w, h] of [
      [16, 7],
      [4, 1],
      [8, 2],
      [320, 12],
    ] as const) {
      const src = texturedGray(w, h, w + h);
      // Extremes exercise the lane sums at their largest.
      src[0] = 255;
      src[w - 1] = 255;
      src[src.length - 1] = 0;
      const packed = blurBinomial3({ data: src, width: w, height: h });
      const scalar = blurBinomial3({ data: unaligned(src), width: w, height: h });
      expect(Array.from(packed.data)).toEqual(Array.from(scalar.data));
      const at = (x: number, y: number) => src[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))]!;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let s = 0;
          for (let v = -1; v <= 1; v++) for (let u = -1; u <= 1; u++) s += (2 - Math.abs(u)) * (2 - Math.abs(v)) * at(x + u, y + v);
          expect(packed.data[y * w + x]).toBe((s + 8) >> 4);
        }
      }
    }
    const white = blurBinomial3({ data: new Uint8Array(64).fill(255), width: 8, height: 8 });
    expect(white.data.every((v) => v === 255)).toBe(true);
  });

  it('half-resolution RGB luma, with odd heights and saturated pixels', () => {
    for (const [w, h] of [
      [20, 9],
      [4, 2],
      [640, 6],
    ] as const) {
      const rgb = new Uint8Array(w * h * 3);
      for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 7919 + (i >> 5) * 31) % 256;
      // The first output pixel's 2x2 block is white: every lane sum at its largest (510).
      rgb.fill(255, 0, 6);
      rgb.fill(255, w * 3, w * 3 + 6);
      const packed = lumaHalf({ data: rgb, width: w, height: h, channels: 3 });
      const scalar = lumaHalf({ data: unaligned(rgb), width: w, height: h, channels: 3 });
      expect([packed.width, packed.height]).toEqual([w >> 1, h >> 1]);
      expect(Array.from(packed.data)).toEqual(Array.from(scalar.data));
      expect(packed.data[0]).toBe(255);
    }
  });
});

describe('orientation, scratch buffers and level-windowed matching', () => {
  it('orientation equals the intensity centroid summed pixel by pixel', () => {
    const w = 64;
    const img = { data: texturedGray(w, w, 21), width: w, height: w };
    const r = PATCH_RADIUS;
    for (const [x, y] of [
      [20, 20],
      [31, 40],
      [45, 17],
    ] as const) {
      let m10 = 0;
      let m01 = 0;
      for (let v = -r; v <= r; v++) {
        const e = Math.floor(Math.sqrt(r * r - v * v) + 1e-9);
        for (let u = -e; u <= e; u++) {
          const p = img.data[(y + v) * w + x + u]!;
          m10 += u * p;
          m01 += v * p;
        }
      }
      expect(patchOrientation(img, x, y)).toBe(Math.atan2(m01, m10));
    }
  });

  it('reuses scratch memory across frames without changing or sharing results', () => {
    const a = { data: texturedGray(640, 480, 3), width: 640, height: 480, channels: 1 };
    const b = { data: texturedGray(400, 360, 4), width: 400, height: 360, channels: 1 };
    const first = extractFeatures(a);
    const kept = Array.from(first.smoothed.data);
    extractFeatures(b);
    const again = extractFeatures(a);
    expect(Array.from(first.smoothed.data)).toEqual(kept);
    expect(again.smoothed.data).not.toBe(first.smoothed.data);
    expect(again.count).toBe(first.count);
    expect(Array.from(again.descriptors)).toEqual(Array.from(first.descriptors));
    expect(Array.from(again.x)).toEqual(Array.from(first.x));
  });

  it('windows each keypoint to its own and the neighbouring pyramid levels', () => {
    const f = extractFeatures({ data: texturedGray(640, 480, 8), width: 640, height: 480, channels: 1 });
    const w = levelWindow(f, f, 1, Math.SQRT2)!;
    const levels = [...new Set(f.scale)];
    expect(levels.length).toBe(4);
    for (let i = 0; i < f.count; i++) {
      const li = levels.indexOf(f.scale[i]!);
      for (let j = 0; j < f.count; j++) {
        const inside = j >= w.from[i]! && j < w.to[i]!;
        expect(inside).toBe(Math.abs(levels.indexOf(f.scale[j]!) - li) <= 1);
      }
    }
    expect(levelWindow(f, f, Infinity, Math.SQRT2)).toBeUndefined();
    // A frame still matches itself one to one inside the windows.
    const m = matchDescriptors(f.descriptors, f.count, f.descriptors, f.count, {}, w);
    expect(m.count).toBeGreaterThan(f.count * 0.9);
    for (let k = 0; k < m.count; k++) expect(m.a[k]).toBe(m.b[k]);
  });

  it('maxLevelGap: Infinity compares every pair; negative values are refused', () => {
    const img = { data: texturedGray(640, 480, 12), width: 640, height: 480, channels: 1 };
    const full = estimateHomography(img, img, { maxLevelGap: Infinity });
    const windowed = estimateHomography(img, img);
    expect(full.ok && windowed.ok).toBe(true);
    expect(windowed.stats.matches).toBeGreaterThan(0.9 * full.stats.matches);
    expect(() => estimateHomography(img, img, { maxLevelGap: -1 })).toThrow(AlignmentError);
  });
});

describe('packed-word 2x2 halving', () => {
  it('matches the scalar average on widths that are multiples of 8, odd heights included', () => {
    for (const [w, h] of [
      [8, 2],
      [16, 5],
      [320, 7],
    ] as const) {
      const src = texturedGray(w, h, 31);
      src.fill(255, 0, 8);
      src.fill(255, w, w + 8);
      const packed = halveBox({ data: src, width: w, height: h });
      const scalar = halveBox({ data: unaligned(src), width: w, height: h });
      expect([packed.width, packed.height]).toEqual([w >> 1, h >> 1]);
      expect(Array.from(packed.data)).toEqual(Array.from(scalar.data));
      expect(packed.data[0]).toBe(255);
    }
  });
});
