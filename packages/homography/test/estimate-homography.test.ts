import { createRng } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { AlignmentError, cornerError, estimateHomography, makeSyntheticPair } from '../src/index.js';
import { texturedGray } from './helpers.js';

describe('estimateHomography: failures are results, bad arguments throw', () => {
  const w = 320;
  const h = 240;
  const textured = { data: texturedGray(w, h, 8), width: w, height: h, channels: 1 };

  it('throws AlignmentError for wrong data length or channel count', () => {
    const bad = { data: new Uint8Array(10), width: w, height: h, channels: 1 };
    expect(() => estimateHomography(textured, bad)).toThrow(AlignmentError);
    const two = { data: new Uint8Array(w * h * 2), width: w, height: h, channels: 2 };
    try {
      estimateHomography(two, textured);
      expect.unreachable();
    } catch (error) {
      expect(AlignmentError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/1 \(gray\), 3 \(RGB\) or 4 \(RGBA\)/);
    }
  });

  it('a flat frame gives ok: false with reason flat-frame', () => {
    const flat = { data: new Uint8Array(w * h).fill(128), width: w, height: h, channels: 1 };
    const r = estimateHomography(textured, flat);
    expect(r.ok).toBe(false);
    expect(r.reason).toBe('flat-frame');
    expect(r.H).toBeNull();
  });

  it('unrelated frames never give NaN: either a failure reason or a finite H', () => {
    const other = { data: texturedGray(w, h, 999), width: w, height: h, channels: 1 };
    const r = estimateHomography(textured, other, { seed: 3 });
    if (r.ok) {
      expect(Array.from(r.H).every(Number.isFinite)).toBe(true);
      expect(Number.isFinite(r.rms)).toBe(true);
    } else {
      expect(['too-few-matches', 'too-few-inliers', 'degenerate', 'too-few-features']).toContain(r.reason);
    }
  });

  it('sparse texture (a few dots) fails with a reason instead of guessing', () => {
    const dots = new Uint8Array(w * h);
    dots[100 * w + 100] = 255;
    dots[50 * w + 200] = 255;
    const r = estimateHomography({ data: dots, width: w, height: h, channels: 1 }, textured);
    expect(r.ok).toBe(false);
    expect(r.reason).not.toBeNull();
  });

  it('identical frames give the identity', () => {
    const r = estimateHomography(textured, textured);
    expect(r.ok).toBe(true);
    if (r.ok) expect(cornerError(r.H, [1, 0, 0, 0, 1, 0, 0, 0, 1], w, h)).toBeLessThan(0.05);
  });

  it('is deterministic for a seed and maps b to a (the documented direction)', () => {
    const photo = { data: texturedGray(900, 700, 4), width: 900, height: 700, channels: 1 };
    const pair = makeSyntheticPair(
      { ...photo, data: new Uint8Array(photo.data.length * 3).map((_, i) => photo.data[(i / 3) | 0]!), channels: 3 },
      'translation',
      createRng(12),
    );
    const r1 = estimateHomography(pair.a, pair.b, { seed: 5 });
    const r2 = estimateHomography(pair.a, pair.b, { seed: 5 });
    expect(r1.ok && r2.ok).toBe(true);
    if (r1.ok && r2.ok) {
      expect(Array.from(r1.H)).toEqual(Array.from(r2.H));
      expect(cornerError(r1.H, pair.H, 640, 480)).toBeLessThan(0.3);
      // The translation component has the sign of the true b -> a map, not its inverse.
      expect(Math.sign(r1.H[2]!)).toBe(Math.sign(pair.H[2]!));
    }
  });
});
