import { InputError, OptionError, createRng, uniform, type Rng, type Tensor } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { Model } from '../../src/model.js';
import type { MotionFrameStats } from '../../src/motion/motion-session.js';
import { wholePixelPose } from '../../src/motion/settle-pose.js';
import { smallConvNet } from '../helpers/build-graph.js';

const pan = (x: number, y: number): number[] => [1, 0, x, 0, 1, y, 0, 0, 1];

/** A smooth random "world" so that a pan of it is a plausible camera motion, not new noise. */
function world(rng: Rng, h: number, w: number): Float32Array {
  const coarse = Array.from({ length: 4 * 3 }, () => uniform(rng, 0.2, 1));
  const data = new Float32Array(h * w * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = coarse[((c * 4 + (x * 4) / w) | 0) % 12]! + 0.1 * Math.sin(x / 3 + y / 5 + c);
  return data;
}

function crop(src: Float32Array, sw: number, y0: number, x0: number, h: number, w: number): Tensor {
  const data = new Float32Array(h * w * 3);
  for (let y = 0; y < h; y++) data.set(src.subarray(((y0 + y) * sw + x0) * 3, ((y0 + y) * sw + x0 + w) * 3), y * w * 3);
  return { data, shape: [1, h, w, 3] };
}

describe('wholePixelPose', () => {
  it('moves by the nearest whole-pixel translation of the frame centre, with a half-pixel-plus-tolerance hold', () => {
    // Zoom 0.98 and a shift: the centre (63.5, 47.5) goes to (64.83, 46.55).
    expect(wholePixelPose([0.98, 0, 2.6, 0, 0.98, 0, 0, 0, 1], undefined, 128, 96, 0.1)).toEqual({
      pose: pan(1, -1),
      choice: 'whole-pixel',
    });
    // Within 0.5 + 0.1 of the previous translation: held, so jitter around x.5 does not flip.
    expect(wholePixelPose(pan(1.58, -1), pan(1, -1), 128, 96, 0.1)).toEqual({ pose: pan(1, -1), choice: 'held' });
    expect(wholePixelPose(pan(1.61, -1), pan(1, -1), 128, 96, 0.1)).toEqual({ pose: pan(2, -1), choice: 'whole-pixel' });
  });
});

describe('motion mode: warp, alignment quality, residual and scene cuts', () => {
  const H = 12;
  const W = 16;
  const big = world(createRng(3), 40, 48);

  it("with warp 'whole-pixel' equals dense on the frame itself under zoom and sub-pixel motion", async () => {
    const model = new Model(smallConvNet(7));
    const motion = await model.createSession({ mode: 'motion', warp: 'whole-pixel' });
    const dense = await model.createSession({ mode: 'dense' });
    const poses = [pan(0, 0), pan(1.3, 0.2), [0.97, 0.01, 2.2, -0.01, 0.97, 0.9, 0, 0, 1], pan(3.7, 2.4)];
    for (const [i, homography] of poses.entries()) {
      const frame = crop(big, 48, 10 + i, 10 + 2 * i, H, W);
      const out = await motion.run({ x: frame }, { homography });
      const ref = await dense.run({ x: frame });
      // Whole-pixel poses shift the viewport exactly onto the frame: outputs are dense on the frame.
      expect(motion.frameGeometry!.frameFromViewport.slice(0, 2)).toEqual([1, 0]);
      const [tx, ty] = [motion.frameGeometry!.frameFromViewport[2]!, motion.frameGeometry!.frameFromViewport[5]!];
      expect([tx, ty]).toEqual([0, 0]);
      for (const k of Object.keys(ref))
        for (let j = 0; j < ref[k]!.data.length; j++) expect(out[k]!.data[j]).toBeCloseTo(ref[k]!.data[j]!, 4);
    }
    const stats = motion.stats().frames as readonly MotionFrameStats[];
    expect(stats.map((f) => f.pose)).toEqual(['measured', 'whole-pixel', 'whole-pixel', 'whole-pixel']);
    // No scale re-anchor for a zoom that is never resampled.
    expect(stats.map((f) => f.reason)).toEqual(['first', undefined, undefined, undefined]);
    expect(motion.warp).toBe('whole-pixel');
  });

  it('re-anchors on a failed or poor estimate (reason alignment) and reports the quality it was given', async () => {
    const model = new Model(smallConvNet(2));
    const motion = await model.createSession({ mode: 'motion', reanchor: { maxAlignRms: 1, minInliers: 10 } });
    const frame = crop(big, 48, 5, 5, H, W);
    await motion.run({ x: frame });
    await motion.run({ x: frame }, { homography: pan(0, 0), alignment: { rms: 0.4, inliers: 50 } });
    await motion.run({ x: frame }, { homography: pan(0, 0), alignment: { rms: 1.5, inliers: 50 } });
    await motion.run({ x: frame }, { homography: pan(0, 0), alignment: { rms: 0.2, inliers: 9 } });
    await motion.run({ x: frame }, { homography: pan(0, 0), alignment: { failed: true } });
    const stats = motion.stats().frames as readonly MotionFrameStats[];
    expect(stats.map((f) => f.reason)).toEqual(['first', undefined, 'alignment', 'alignment', 'alignment']);
    expect(stats.map((f) => [f.alignRms, f.alignInliers])).toEqual([
      [undefined, undefined],
      [0.4, 50],
      [1.5, 50],
      [0.2, 9],
      [undefined, undefined],
    ]);
  });

  it('re-anchors when the aligned frame differs from the viewport content beyond maxResidual, and cuts beyond sceneCut', async () => {
    const model = new Model(smallConvNet(2));
    const motion = await model.createSession({ mode: 'motion', reanchor: { maxResidual: 0.05 }, sceneCut: 0.4 });
    const a = crop(big, 48, 5, 5, H, W);
    await motion.run({ x: a });
    // The camera panned 2 pixels right: aligned, nothing is unexplained.
    await motion.run({ x: crop(big, 48, 5, 7, H, W) }, { homography: pan(2, 0) });
    // Claimed to stay while the picture moved by 6 pixels: the alignment does not explain it.
    await motion.run({ x: crop(big, 48, 5, 13, H, W) }, { homography: pan(2, 0) });
    // Another picture altogether (a different, negated world): a cut.
    const other = { data: a.data.map((v) => 2 - 3 * v), shape: a.shape };
    await motion.run({ x: other }, { homography: pan(2, 0) });
    const stats = motion.stats().frames as readonly MotionFrameStats[];
    expect(stats[1]!.residual).toBe(0);
    expect(stats[2]!.residual).toBeGreaterThan(0.05);
    expect(stats[2]!.residual).toBeLessThan(0.4);
    expect(stats[3]!.residual).toBeGreaterThan(0.4);
    expect(stats.map((f) => f.reason)).toEqual(['first', undefined, 'residual', 'scene-cut']);
  });

  it('refuses a malformed alignment with InputError and bad options with OptionError', async () => {
    const model = new Model(smallConvNet(2));
    const motion = await model.createSession({ mode: 'motion' });
    const frame = crop(big, 48, 5, 5, H, W);
    await motion.run({ x: frame });
    for (const alignment of [5, { rms: -1 }, { inliers: Number.NaN }, { failed: 'yes' }]) {
      const error = await motion.run({ x: frame }, { homography: pan(0, 0), alignment } as never).catch((e: unknown) => e);
      expect(InputError.isInstance(error)).toBe(true);
    }
    expect(motion.stats().frames).toHaveLength(1);
    for (const options of [
      { warp: 'bilinear' },
      { sceneCut: -1 },
      { reanchor: { maxResidual: -0.1 } },
      { reanchor: { minInliers: Number.NaN } },
    ]) {
      const error = await model.createSession({ mode: 'motion', ...options } as never).catch((e: unknown) => e);
      expect(OptionError.isInstance(error)).toBe(true);
    }
  });
});
