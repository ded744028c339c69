import { OptionError } from '@motiondelta/core';
import { ensureData } from '@motiondelta/data';
import { applyHomography, invertHomography, warpBilinear } from '@motiondelta/homography';
import { beforeAll, describe, expect, it } from 'vitest';
import { readImage } from '../src/read-image.js';
import { createSyntheticClip, type SyntheticClip } from '../src/synthetic/synthetic-clip.js';
import type { CameraPath } from '../src/synthetic/camera-path.js';
import type { Frame, RgbImage } from '../src/types.js';

let photo: RgbImage;
beforeAll(async () => {
  photo = await readImage((await ensureData('flower')).main); // 2268x1512
});

/** A `width x height` crop of `image` at `(x, y)`. */
function crop(image: RgbImage, x: number, y: number, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let r = 0; r < height; r++) {
    const start = ((y + r) * image.width + x) * 3;
    out.set(image.data.subarray(start, start + width * 3), r * width * 3);
  }
  return out;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

const W = 256;
const H = 192;
const centre = (): { x: number; y: number } => ({ x: Math.floor((photo.width - W) / 2), y: Math.floor((photo.height - H) / 2) });

/**
 * Checks the ground truth by resampling: frame 0 warped into frame i's grid through H_i⁻¹ must
 * reproduce frame i wherever frame 0 covers it (two bilinear roundings apart).
 */
function expectHomographyMatches(clip: SyntheticClip, i: number): void {
  const f0 = clip.frame(0);
  const fi = clip.frame(i);
  const { image, mask, covered } = warpBilinear({ ...f0, channels: 3 }, invertHomography(clip.homography(i))!, { width: W, height: H });
  expect(covered).toBeGreaterThan(0.5 * W * H);
  let sum = 0;
  let n = 0;
  let worst = 0;
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p]) continue;
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(image.data[p * 3 + c]! - fi.data[p * 3 + c]!);
      sum += d;
      worst = Math.max(worst, d);
      n++;
    }
  }
  // Bilinear of bilinear is not bilinear, so sharp edges may differ a little; the mean stays tiny.
  expect(sum / n).toBeLessThan(1.5);
  expect(worst).toBeLessThan(64);
}

describe('createSyntheticClip', () => {
  it('makes frame 0 the exact photo crop at the origin, centred by default', () => {
    const clip = createSyntheticClip(photo, { frames: 3, path: { kind: 'pan', dx: 3, dy: 1 } });
    expect([clip.width, clip.height, clip.frames]).toEqual([W, H, 3]);
    const { x, y } = centre();
    expect(same(clip.frame(0).data, crop(photo, x, y, W, H))).toBe(true);
    const placed = createSyntheticClip(photo, {
      frames: 1,
      path: { kind: 'pan', dx: 0, dy: 0 },
      origin: { x: 5, y: 7 },
      width: 64,
      height: 48,
    });
    expect(same(placed.frame(0).data, crop(photo, 5, 7, 64, 48))).toBe(true);
    expect(Array.from(clip.homography(0))).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('renders an integer pan as exactly shifted crops', () => {
    const clip = createSyntheticClip(photo, { frames: 6, path: { kind: 'pan', dx: 4, dy: -3 } });
    const { x, y } = centre();
    for (let i = 1; i < 6; i++) {
      expect(same(clip.frame(i).data, crop(photo, x + 4 * i, y - 3 * i, W, H))).toBe(true);
      expect(Array.from(clip.homography(i))).toEqual([1, 0, 4 * i, 0, 1, -3 * i, 0, 0, 1]);
      expect(clip.validity(i).every((v) => v === 1)).toBe(true);
    }
  });

  it('returns exactly to the start on a back-and-forth path, in integer steps', () => {
    const clip = createSyntheticClip(photo, { frames: 17, path: { kind: 'backAndForth', distance: 16, step: 4 } });
    const offsets = Array.from({ length: 17 }, (_, i) => clip.homography(i)[2]);
    expect(offsets).toEqual([0, 4, 8, 12, 16, 12, 8, 4, 0, 4, 8, 12, 16, 12, 8, 4, 0]);
    const first = clip.frame(0).data;
    expect(same(clip.frame(8).data, first)).toBe(true);
    expect(same(clip.frame(16).data, first)).toBe(true);
    const { x, y } = centre();
    expect(same(clip.frame(3).data, crop(photo, x + 12, y, W, H))).toBe(true);
    const up = createSyntheticClip(photo, { frames: 5, path: { kind: 'backAndForth', distance: -6, step: 3, axis: 'y' } });
    expect(Array.from({ length: 5 }, (_, i) => up.homography(i)[5])).toEqual([0, -3, -6, -3, 0]);
  });

  const paths: [string, CameraPath][] = [
    ['sub-pixel pan', { kind: 'pan', dx: 2.3, dy: -1.7 }],
    ['sway', { kind: 'sway', amplitudeX: 12.5, amplitudeY: 4, period: 8 }],
    ['rotation', { kind: 'rotation', degreesPerFrame: 1.5 }],
    ['zoom', { kind: 'zoom', scalePerFrame: 1.04 }],
    [
      'composition',
      {
        kind: 'compose',
        paths: [
          { kind: 'pan', dx: 3, dy: 1 },
          { kind: 'rotation', degreesPerFrame: -1 },
          { kind: 'zoom', scalePerFrame: 0.97 },
        ],
      },
    ],
  ];
  it.each(paths)('gives homographies that map frame-i content onto frame 0 (%s)', (_name, path) => {
    const clip = createSyntheticClip(photo, { frames: 5, path });
    for (const i of [1, 4]) expectHomographyMatches(clip, i);
  });

  it('moves the way each path says', () => {
    const rot = createSyntheticClip(photo, { frames: 3, path: { kind: 'rotation', degreesPerFrame: 2 } });
    // The frame centre stays put; a point 100 px right of it turns by 2 degrees per frame.
    const c: [number, number] = [(W - 1) / 2, (H - 1) / 2];
    expect(applyHomography(rot.homography(2), ...c)[0]).toBeCloseTo(c[0], 9);
    const [px, py] = applyHomography(rot.homography(2), c[0] + 100, c[1]);
    expect(Math.atan2(py - c[1], px - c[0])).toBeCloseTo((4 * Math.PI) / 180, 9);
    const zoom = createSyntheticClip(photo, { frames: 3, path: { kind: 'zoom', scalePerFrame: 1.25 } });
    // Zooming in: 100 frame pixels span 100 / 1.25² world pixels at frame 2.
    expect(applyHomography(zoom.homography(2), c[0] + 100, c[1])[0] - c[0]).toBeCloseTo(64, 9);
    const sway = createSyntheticClip(photo, { frames: 9, path: { kind: 'sway', amplitudeX: 10, period: 8 } });
    expect(sway.homography(2)[2]).toBeCloseTo(10, 9);
    expect(sway.homography(6)[2]).toBeCloseTo(-10, 9);
    expect(sway.homography(8)[2]).toBeCloseTo(0, 9);
  });

  it('relates two frames with homographyBetween (b pixels to a pixels)', () => {
    const clip = createSyntheticClip(photo, { frames: 5, path: { kind: 'pan', dx: 2, dy: 1 } });
    expect(Array.from(clip.homographyBetween(1, 4))).toEqual([1, 0, 6, 0, 1, 3, 0, 0, 1]);
  });

  it('draws the moving object exactly where it reports, clipped to the frame', () => {
    const patch = { width: 300, height: 200, data: crop(photo, 0, 0, 300, 200) };
    const clip = createSyntheticClip(photo, {
      frames: 40,
      path: { kind: 'pan', dx: 1, dy: 0 },
      object: { width: 30, height: 20, fill: { image: patch, x: 50, y: 60 }, x: -10, y: 40.4, dx: 7, dy: 2.5 },
    });
    const red = createSyntheticClip(photo, {
      frames: 2,
      path: { kind: 'pan', dx: 0, dy: 0 },
      object: { width: 8, height: 6, fill: { color: [255, 0, 0] }, x: 100, y: 50 },
    });
    const r = red.objectRect(1)!;
    const f = red.frame(1);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const inside = x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;
        const o = (y * W + x) * 3;
        if (inside) expect([f.data[o], f.data[o + 1], f.data[o + 2]]).toEqual([255, 0, 0]);
      }
    }
    for (const i of [0, 5, 30]) {
      const rect = clip.objectRect(i)!;
      expect(rect).toEqual({ x: Math.round(-10 + 7 * i), y: Math.round(40.4 + 2.5 * i), width: 30, height: 20 });
      const frame = clip.frame(i);
      const plain = createSyntheticClip(photo, { frames: 40, path: { kind: 'pan', dx: 1, dy: 0 } }).frame(i);
      let changedOutside = 0;
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const o = (y * W + x) * 3;
          const inside = x >= rect.x && x < rect.x + 30 && y >= rect.y && y < rect.y + 20;
          if (inside) {
            // The object's pixel (x - rect.x, y - rect.y) comes from the patch at (50, 60) onwards.
            const s = ((60 + y - rect.y) * patch.width + 50 + x - rect.x) * 3;
            expect([frame.data[o], frame.data[o + 1], frame.data[o + 2]]).toEqual([patch.data[s], patch.data[s + 1], patch.data[s + 2]]);
          } else if (
            frame.data[o] !== plain.data[o] ||
            frame.data[o + 1] !== plain.data[o + 1] ||
            frame.data[o + 2] !== plain.data[o + 2]
          ) {
            changedOutside++;
          }
        }
      }
      expect(changedOutside).toBe(0);
    }
    expect(createSyntheticClip(photo, { frames: 1, path: { kind: 'pan', dx: 0, dy: 0 } }).objectRect(0)).toBeNull();
  });

  it('iterates like openVideo, with indices and timestamps', async () => {
    const clip = createSyntheticClip(photo, { frames: 4, fps: 25, width: 64, height: 48, path: { kind: 'pan', dx: 1, dy: 1 } });
    const frames: Frame[] = [];
    for await (const frame of clip) frames.push(frame);
    expect(frames.map((f) => [f.index, f.timestamp, f.width, f.height, f.data.length])).toEqual(
      [0, 1, 2, 3].map((i) => [i, i / 25, 64, 48, 64 * 48 * 3]),
    );
    expect(clip.frameSize).toEqual({ width: 64, height: 48 });
  });

  it('adds seeded noise that is the same whatever the render order', () => {
    const options = { frames: 3, path: { kind: 'pan', dx: 1, dy: 0 } as const, noise: { sigma: 3, seed: 11 } };
    const a = createSyntheticClip(photo, options);
    const b = createSyntheticClip(photo, options);
    const late = b.frame(2).data;
    expect(same(a.frame(2).data, late)).toBe(true);
    expect(same(a.frame(1).data, a.frame(2).data)).toBe(false);
    const clean = createSyntheticClip(photo, { frames: 3, path: { kind: 'pan', dx: 1, dy: 0 } }).frame(2).data;
    let sq = 0;
    for (let k = 0; k < clean.length; k++) sq += (late[k]! - clean[k]!) ** 2;
    expect(Math.sqrt(sq / clean.length)).toBeGreaterThan(2);
    expect(Math.sqrt(sq / clean.length)).toBeLessThan(4);
  });

  it("reports uncovered pixels with coverage: 'allow'", () => {
    const clip = createSyntheticClip(photo, {
      frames: 2,
      origin: { x: 0, y: 0 },
      path: { kind: 'pan', dx: -10, dy: 0 },
      coverage: 'allow',
    });
    const mask = clip.validity(1);
    const frame = clip.frame(1);
    for (let y = 0; y < H; y += 17) {
      for (let x = 0; x < W; x++) {
        expect(mask[y * W + x]).toBe(x >= 10 ? 1 : 0);
        if (x < 10) expect(frame.data[(y * W + x) * 3]).toBe(0);
      }
    }
  });
});

describe('createSyntheticClip errors', () => {
  const pan = { kind: 'pan', dx: 1, dy: 0 } as const;
  const bad: [string, () => unknown, RegExp][] = [
    // Centred at x 1006, the right edge 1261 + 5i passes the last column 2267 at frame 202.
    [
      'path leaving the photo names the frame',
      () => createSyntheticClip(photo, { frames: 500, path: { kind: 'pan', dx: 5, dy: 0 } }),
      /Frame 202 leaves the photo/,
    ],
    [
      'rotation leaving the photo',
      () => createSyntheticClip(photo, { frames: 2, width: 1500, height: 1500, path: { kind: 'rotation', degreesPerFrame: 30 } }),
      /Frame 1 leaves the photo/,
    ],
    [
      'zoom out of the photo',
      () => createSyntheticClip(photo, { frames: 40, width: 1024, height: 768, path: { kind: 'zoom', scalePerFrame: 0.9 } }),
      /leaves the photo/,
    ],
    ['frames', () => createSyntheticClip(photo, { frames: 0, path: pan }), /frames is 0/],
    ['frame larger than photo', () => createSyntheticClip(photo, { frames: 1, width: 4000, path: pan }), /do not fit/],
    ['non-integer origin', () => createSyntheticClip(photo, { frames: 1, origin: { x: 0.5, y: 0 }, path: pan }), /origin/],
    ['bad photo', () => createSyntheticClip({ width: 4, height: 4, data: new Uint8Array(3) }, { frames: 1, path: pan }), /photo data/],
    ['NaN pan', () => createSyntheticClip(photo, { frames: 1, path: { kind: 'pan', dx: Number.NaN, dy: 0 } }), /path\.dx/],
    [
      'back-and-forth step not dividing',
      () => createSyntheticClip(photo, { frames: 2, path: { kind: 'backAndForth', distance: 10, step: 4 } }),
      /does not divide/,
    ],
    [
      'back-and-forth fractional',
      () => createSyntheticClip(photo, { frames: 2, path: { kind: 'backAndForth', distance: 2.5 } }),
      /distance/,
    ],
    ['zoom factor', () => createSyntheticClip(photo, { frames: 2, path: { kind: 'zoom', scalePerFrame: 0 } }), /scalePerFrame/],
    ['sway period', () => createSyntheticClip(photo, { frames: 2, path: { kind: 'sway', amplitudeX: 3, period: 0 } }), /period/],
    ['empty composition', () => createSyntheticClip(photo, { frames: 2, path: { kind: 'compose', paths: [] } }), /non-empty/],
    ['unknown kind', () => createSyntheticClip(photo, { frames: 2, path: { kind: 'spin' } as unknown as CameraPath }), /kind is 'spin'/],
    [
      'custom not identity at 0',
      () => createSyntheticClip(photo, { frames: 2, path: { kind: 'custom', homography: () => [1, 0, 1, 0, 1, 0, 0, 0, 1] } }),
      /identity/,
    ],
    [
      'object colour',
      () => createSyntheticClip(photo, { frames: 1, path: pan, object: { width: 4, height: 4, fill: { color: [0, 300, 0] }, x: 0, y: 0 } }),
      /0\.\.255/,
    ],
    [
      'object crop outside its image',
      () =>
        createSyntheticClip(photo, {
          frames: 1,
          path: pan,
          object: { width: 40, height: 4, fill: { image: { width: 10, height: 10, data: new Uint8Array(300) } }, x: 0, y: 0 },
        }),
      /does not fit/,
    ],
    ['noise sigma', () => createSyntheticClip(photo, { frames: 1, path: pan, noise: { sigma: -1, seed: 1 } }), /sigma/],
    ['frame index', () => createSyntheticClip(photo, { frames: 2, path: pan }).frame(2), /outside 0\.\.1/],
  ];
  it.each(bad)('%s', (_name, make, message) => {
    let error: unknown;
    try {
      make();
    } catch (e) {
      error = e;
    }
    expect(OptionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('accepts a custom path of exact homographies', () => {
    const clip = createSyntheticClip(photo, { frames: 3, path: { kind: 'custom', homography: (i) => [1, 0, 2 * i, 0, 1, i, 0, 0, 1] } });
    const { x, y } = centre();
    expect(same(clip.frame(2).data, crop(photo, x + 4, y + 2, W, H))).toBe(true);
  });
});
