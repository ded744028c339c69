import { ensureData } from '@motiondelta/data';
import { cornerError, estimateHomography } from '@motiondelta/homography';
import { beforeAll, describe, expect, it } from 'vitest';
import { readImage } from '../src/read-image.js';
import { createSyntheticClip } from '../src/synthetic/synthetic-clip.js';
import type { RgbImage } from '../src/types.js';

let photo: RgbImage;
beforeAll(async () => {
  photo = await readImage((await ensureData('flower')).main);
});

describe('synthetic clips against @motiondelta/homography', () => {
  it('estimateHomography recovers the ground truth of a composed path to under half a pixel', () => {
    const clip = createSyntheticClip(photo, {
      frames: 4,
      width: 640,
      height: 480,
      path: {
        kind: 'compose',
        paths: [
          { kind: 'pan', dx: 6.5, dy: -3.25 },
          { kind: 'rotation', degreesPerFrame: 0.8 },
          { kind: 'zoom', scalePerFrame: 1.02 },
        ],
      },
    });
    const a = clip.frame(1);
    const b = clip.frame(3);
    const result = estimateHomography({ ...a, channels: 3 }, { ...b, channels: 3 }, { seed: 1 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(cornerError(result.H, clip.homographyBetween(1, 3), 640, 480)).toBeLessThan(0.5);
    // Against frame 0 the estimate is the clip's own H_i (frame-i pixels to world pixels).
    const toWorld = estimateHomography({ ...clip.frame(0), channels: 3 }, { ...b, channels: 3 }, { seed: 1 });
    expect(toWorld.ok).toBe(true);
    if (toWorld.ok) expect(cornerError(toWorld.H, clip.homography(3), 640, 480)).toBeLessThan(0.5);
  });
});
