import { createRng } from '@motiondelta/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cornerError,
  estimateHomography,
  type ImageInput,
  makeSyntheticPair,
  MOTION_CLASSES,
  type MotionClass,
} from '@motiondelta/homography';
import { loadPhotos } from './photos.js';

/**
 * Acceptance on seeded synthetic warps of the data catalog's photos. The full run is 500 cases
 * (HOMOGRAPHY_ACCEPTANCE_CASES=500, or `pnpm bench homography --pairs 84`); the default here is 60 (10 per class)
 * so the package's tests stay inside their time budget on a shared 2-core machine.
 */
const CASES = Number(process.env.HOMOGRAPHY_ACCEPTANCE_CASES ?? 60);
/** A case succeeds when the estimate is ok and its mean corner error is under one pixel. */
const SUCCESS_PX = 1;

describe(`synthetic acceptance (${CASES} seeded cases)`, () => {
  let photos: Array<{ id: string; image: ImageInput }> = [];
  beforeAll(async () => {
    photos = await loadPhotos();
  });

  it('succeeds on >= 99% per motion class with mean corner error <= 0.3 px', () => {
    const perClass = new Map<MotionClass, { n: number; ok: number; errSum: number; worst: number }>();
    for (const m of MOTION_CLASSES) perClass.set(m, { n: 0, ok: 0, errSum: 0, worst: 0 });
    for (let k = 0; k < CASES; k++) {
      const motion = MOTION_CLASSES[k % MOTION_CLASSES.length]!;
      const photo = photos[Math.floor(k / MOTION_CLASSES.length) % photos.length]!;
      const pair = makeSyntheticPair(photo.image, motion, createRng(1000 + k));
      const r = estimateHomography(pair.a, pair.b, { seed: k });
      const s = perClass.get(motion)!;
      s.n++;
      if (!r.ok) continue;
      const e = cornerError(r.H, pair.H, 640, 480);
      if (e <= SUCCESS_PX) {
        s.ok++;
        s.errSum += e;
        s.worst = Math.max(s.worst, e);
      }
    }
    const rows = [...perClass].map(([m, s]) => ({
      motion: m,
      cases: s.n,
      success: `${((100 * s.ok) / s.n).toFixed(1)}%`,
      meanCornerErrorPx: +(s.errSum / Math.max(1, s.ok)).toFixed(4),
      worstPx: +s.worst.toFixed(4),
    }));
    console.table(rows);
    for (const [, s] of perClass) {
      expect(s.ok / s.n).toBeGreaterThanOrEqual(0.99);
      expect(s.errSum / s.ok).toBeLessThanOrEqual(0.3);
    }
  });
});
