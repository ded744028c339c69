import { createRng } from '@motiondelta/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cornerError,
  estimateHomography,
  type ImageInput,
  makeSyntheticPair,
  makeWarpRangePair,
  MODERATE_WARP_RANGE,
  MOTION_CLASSES,
  type MotionClass,
} from '@motiondelta/homography';
import { loadPhotos, WIDE_PHOTOS } from './photos.js';

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

/**
 * The moderate-warp range at 640x480: translation ±120 px, rotation ±4°, scale ±5% and
 * perspective ±1e-4 per pixel, every term drawn at once (`MODERATE_WARP_RANGE`), on the same
 * four photos scaled so both frames stay inside the photo. 300 seeded pairs by default (26-42 s
 * measured on the shared 2-core machine at load 7-8): with no failure among 300, a failure rate
 * above 1% would have shown one with 95% probability. HOMOGRAPHY_MODERATE_CASES=2000 runs the
 * larger set recorded in docs/BENCHMARKS.md. Time per pair is measured by `pnpm bench homography
 * --moderate`, never asserted here.
 */
const MODERATE_CASES = Number(process.env.HOMOGRAPHY_MODERATE_CASES ?? 300);

describe(`moderate warps (${MODERATE_CASES} seeded pairs)`, () => {
  let photos: Array<{ id: string; image: ImageInput }> = [];
  beforeAll(async () => {
    photos = await loadPhotos(WIDE_PHOTOS);
  });

  it(
    'succeeds on >= 99% of pairs with mean corner error <= 0.3 px',
    () => {
      let ok = 0;
      let errSum = 0;
      let worst = 0;
      const failures: string[] = [];
      const failed = new Set<number>();
      for (let k = 0; k < MODERATE_CASES; k++) {
        const photo = photos[k % photos.length]!;
        const pair = makeWarpRangePair(photo.image, MODERATE_WARP_RANGE, createRng(20_000 + k));
        const r = estimateHomography(pair.a, pair.b, { seed: k });
        const e = r.ok ? cornerError(r.H, pair.H, 640, 480) : Infinity;
        if (e <= SUCCESS_PX) {
          ok++;
          errSum += e;
          worst = Math.max(worst, e);
        } else {
          failures.push(`#${k} ${photo.id}: ${r.ok ? `corner error ${e.toFixed(2)} px` : r.reason}`);
          failed.add(k);
        }
      }
      console.table([{ pairs: MODERATE_CASES, ok, meanCornerErrorPx: +(errSum / Math.max(1, ok)).toFixed(4), worstPx: +worst.toFixed(4) }]);
      if (failures.length) console.log(failures.join('\n'));
      expect(ok).toBeGreaterThanOrEqual(Math.ceil(0.99 * MODERATE_CASES));
      // #13 and #257 (evening-glow) failed (3.1 and 6.1 px) while the intensity refinement was
      // bounded at the frame corners: few, bunched matches left the feature estimate more than
      // 10 px off there, and the refinement that fixed it was thrown away.
      for (const k of [13, 257]) if (k < MODERATE_CASES) expect(failed.has(k)).toBe(false);
      expect(errSum / ok).toBeLessThanOrEqual(0.3);
      // 300 pairs fit the suite's 120 s default with room on a loaded 2-core machine (42 s at load
      // 8); larger runs by HOMOGRAPHY_MODERATE_CASES get 0.5 s per pair.
    },
    Math.max(120_000, MODERATE_CASES * 500),
  );
});
