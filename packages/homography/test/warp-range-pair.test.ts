import { createRng } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import {
  AlignmentError,
  applyHomography,
  composeHomographies,
  cornerError,
  invertHomography,
  MODERATE_WARP_RANGE,
  makeWarpRangePair,
  refineInverseCompositional,
  warpBilinear,
} from '../src/index.js';
import { texturedGray } from './helpers.js';

const photo = { data: texturedGray(1000, 860, 3), width: 1000, height: 860, channels: 1 };

/** Bilinear sample of a one-channel frame; both frames are bilinear reads of the same photo. */
function sample(img: { data: Uint8Array; width: number }, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const i = y0 * img.width + x0;
  const top = img.data[i]! * (1 - fx) + img.data[i + 1]! * fx;
  const bot = img.data[i + img.width]! * (1 - fx) + img.data[i + img.width + 1]! * fx;
  return top * (1 - fy) + bot * fy;
}

describe('makeWarpRangePair', () => {
  it('gives b(q) = a(H q) wherever H q falls inside a, and stays inside the range', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const pair = makeWarpRangePair(photo, MODERATE_WARP_RANGE, createRng(seed));
      let checked = 0;
      let worst = 0;
      for (let y = 5; y < 480; y += 37) {
        for (let x = 5; x < 640; x += 41) {
          const [u, v] = applyHomography(pair.H, x, y);
          if (!(u >= 0 && v >= 0 && u < 639 && v < 479)) continue;
          worst = Math.max(worst, Math.abs(pair.b.data[y * 640 + x]! - sample(pair.a, u, v)));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(50);
      // a is an integer crop (exact photo pixels), b a bilinear read: they differ by rounding only.
      expect(worst).toBeLessThanOrEqual(1);
      // The centre moves by the translation plus the perspective's shift there (none): ≤ 120 px per axis.
      const [cx, cy] = applyHomography(pair.H, 319.5, 239.5);
      expect(Math.abs(cx - 319.5)).toBeLessThanOrEqual(120 + 1e-9);
      expect(Math.abs(cy - 239.5)).toBeLessThanOrEqual(120 + 1e-9);
    }
  });

  it('is seeded, and a zero range gives the identity', () => {
    const p1 = makeWarpRangePair(photo, MODERATE_WARP_RANGE, createRng(9));
    const p2 = makeWarpRangePair(photo, MODERATE_WARP_RANGE, createRng(9));
    expect([...p1.H]).toEqual([...p2.H]);
    expect(Buffer.compare(p1.b.data, p2.b.data)).toBe(0);
    const still = makeWarpRangePair(photo, { maxTranslation: 0, maxRotationDeg: 0, maxScale: 0, maxPerspective: 0 }, createRng(1));
    expect(cornerError(still.H, Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1), 640, 480)).toBeLessThan(1e-9);
    expect(Buffer.compare(still.a.data, still.b.data)).toBe(0);
  });

  it('throws AlignmentError for a photo too small for the warp or a bad range', () => {
    const small = { data: new Uint8Array(700 * 520), width: 700, height: 520, channels: 1 };
    expect(() => makeWarpRangePair(small, MODERATE_WARP_RANGE, createRng(1))).toThrow(/too small/);
    expect(() => makeWarpRangePair(photo, { ...MODERATE_WARP_RANGE, maxScale: -1 }, createRng(1))).toThrow(AlignmentError);
    expect(() => makeWarpRangePair(photo, { ...MODERATE_WARP_RANGE, maxTranslation: NaN }, createRng(1))).toThrow(/maxTranslation/);
  });
});

describe('refineInverseCompositional guardBox', () => {
  // A start that is right at the centre and 1.2° off, i.e. several pixels off at the frame corners.
  const w = 320;
  const h = 240;
  const a = { data: texturedGray(w, h, 5), width: w, height: h };
  const truth = Float64Array.of(1.01, 0.02, 6, -0.015, 0.99, -4, 2e-5, -1e-5, 1);
  const bFromA = invertHomography(truth)!;
  const b = warpBilinear({ ...a, channels: 1 }, bFromA, { width: w, height: h }).image;
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const t = (0.2 * Math.PI) / 9 / 3; // 1.2°
  const spin = Float64Array.of(
    Math.cos(t),
    -Math.sin(t),
    cx - Math.cos(t) * cx + Math.sin(t) * cy,
    Math.sin(t),
    Math.cos(t),
    cy - Math.sin(t) * cx - Math.cos(t) * cy,
    0,
    0,
    1,
  );
  const start = composeHomographies(spin, truth);

  it('bounds the shift at the box corners, not the frame corners', () => {
    expect(cornerError(start, truth, w, h)).toBeGreaterThan(2);
    const frame = refineInverseCompositional(a, { data: b.data, width: w, height: h }, start, { maxShift: 2 });
    const box = refineInverseCompositional(a, { data: b.data, width: w, height: h }, start, {
      maxShift: 2,
      guardBox: [cx - 20, cy - 20, cx + 20, cy + 20],
    });
    expect(frame.accepted).toBe(false);
    expect(box.accepted).toBe(true);
    expect(cornerError(box.H, truth, w, h)).toBeLessThan(0.1);
  });

  it('throws AlignmentError for a non-finite box', () => {
    expect(() => refineInverseCompositional(a, { data: b.data, width: w, height: h }, start, { guardBox: [0, 0, NaN, 10] })).toThrow(
      AlignmentError,
    );
  });
});
