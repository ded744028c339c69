import { describe, expect, it } from 'vitest';
import {
  AlignmentError,
  applyHomography,
  composeHomographies,
  cornerError,
  homographyFromRotation,
  identityHomography,
  invertHomography,
  normalizeHomography,
  rotationFromQuaternion,
  splitViewport,
  translationHomography,
} from '../src/index.js';

const H = Float64Array.of(1.02, 0.05, 12, -0.03, 0.98, -7, 1e-4, -2e-4, 1);

describe('homography math', () => {
  it('composes in the documented order (apply b first, then a)', () => {
    const scale = Float64Array.of(2, 0, 0, 0, 2, 0, 0, 0, 1);
    const shift = translationHomography(10, 0);
    expect(applyHomography(composeHomographies(shift, scale), 1, 1)).toEqual([12, 2]);
    expect(applyHomography(composeHomographies(scale, shift), 1, 1)).toEqual([22, 2]);
  });

  it('inverts: H · H⁻¹ is the identity and points round-trip', () => {
    const inv = invertHomography(H)!;
    const id = normalizeHomography(composeHomographies(H, inv));
    for (let i = 0; i < 9; i++) expect(id[i]).toBeCloseTo(identityHomography()[i]!, 12);
    const [x, y] = applyHomography(H, 100, 200);
    const [bx, by] = applyHomography(inv, x, y);
    expect(bx).toBeCloseTo(100, 9);
    expect(by).toBeCloseTo(200, 9);
  });

  it('returns null for singular matrices instead of NaN', () => {
    expect(invertHomography([1, 2, 3, 2, 4, 6, 0, 0, 1])).toBeNull();
    expect(invertHomography(new Float64Array(9))).toBeNull();
  });

  it('normalizes so entry 8 is 1, and by Frobenius norm when entry 8 vanishes', () => {
    expect(Array.from(normalizeHomography([2, 0, 4, 0, 2, 6, 0, 0, 2]))).toEqual([1, 0, 2, 0, 1, 3, 0, 0, 1]);
    const n = normalizeHomography([3, 0, 0, 0, 4, 0, 0, 0, 0]);
    expect(Math.hypot(...n)).toBeCloseTo(1, 12);
  });

  it('measures corner error as the mean corner distance', () => {
    expect(cornerError(translationHomography(3, 4), identityHomography(), 640, 480)).toBeCloseTo(5, 12);
    expect(cornerError(H, H, 640, 480)).toBe(0);
  });
});

describe('splitViewport', () => {
  it('gives offsets that are multiples of the stride and recomposes exactly', () => {
    for (const stride of [1, 8, 16, 32]) {
      const world = composeHomographies(translationHomography(123.7, -58.2), H);
      const split = splitViewport(world, { frameWidth: 640, frameHeight: 480, viewportWidth: 512, viewportHeight: 384, stride });
      expect(Math.abs(split.offsetX % stride)).toBe(0);
      expect(Math.abs(split.offsetY % stride)).toBe(0);
      const back = composeHomographies(translationHomography(split.offsetX, split.offsetY), split.residual);
      for (let i = 0; i < 9; i++) expect(back[i]).toBeCloseTo(world[i]!, 9);
      // The residual leaves the frame centre within half a stride of the viewport centre.
      const [cx, cy] = applyHomography(split.residual, 319.5, 239.5);
      expect(Math.abs(cx - 255.5)).toBeLessThanOrEqual(stride / 2 + 1e-9);
      expect(Math.abs(cy - 191.5)).toBeLessThanOrEqual(stride / 2 + 1e-9);
    }
  });

  it('rejects a non-integer stride with a typed error', () => {
    expect(() =>
      splitViewport(identityHomography(), { frameWidth: 64, frameHeight: 64, viewportWidth: 64, viewportHeight: 64, stride: 1.5 }),
    ).toThrow(AlignmentError);
  });
});

describe('homographyFromRotation', () => {
  const K = { fx: 500, fy: 500, cx: 319.5, cy: 239.5 };

  it('is the identity for no rotation', () => {
    const h = homographyFromRotation(rotationFromQuaternion(1, 0, 0, 0), K);
    for (let i = 0; i < 9; i++) expect(h[i]).toBeCloseTo(identityHomography()[i]!, 12);
  });

  it('moves the principal point by f·tan(angle) for a pan about the vertical axis', () => {
    const angle = 0.1;
    // Rotation about y by +angle: a direction straight ahead in b points to +x in a.
    const q = [Math.cos(angle / 2), 0, Math.sin(angle / 2), 0] as const;
    const h = homographyFromRotation(rotationFromQuaternion(...q), K);
    const [x, y] = applyHomography(h, K.cx, K.cy);
    expect(x - K.cx).toBeCloseTo(K.fx * Math.tan(angle), 9);
    expect(y).toBeCloseTo(K.cy, 9);
  });

  it('inverse rotation gives the inverse homography', () => {
    const r = rotationFromQuaternion(0.99, 0.05, -0.08, 0.02);
    const rt = Float64Array.of(r[0]!, r[3]!, r[6]!, r[1]!, r[4]!, r[7]!, r[2]!, r[5]!, r[8]!);
    const prod = normalizeHomography(composeHomographies(homographyFromRotation(r, K), homographyFromRotation(rt, K)));
    for (let i = 0; i < 9; i++) expect(prod[i]).toBeCloseTo(identityHomography()[i]!, 10);
  });
});
