import { ensureData } from '@motiondelta/data';
import {
  compareMappedOutputs,
  createVideoSession,
  loadModel,
  streamVideoFrames,
  type MotionFrameStats,
  type MotionSession,
} from 'motiondelta';
import { frameToTensor, probeVideo } from '@motiondelta/video-io';
import { describe, expect, it } from 'vitest';

/**
 * Regression for the cube collapse (issue 15): esrgan-x2 in motion mode at threshold 0 on the real
 * handheld cube clip, through `createVideoSession` as users (and `motiondelta run`) run it, fell to
 * 26.5-30 dB against dense from frame 18 on, where the camera starts to zoom and pan, with max abs
 * errors of 170-280. Measured cause: the session equalled dense inference on its own canvas to
 * 136 dB on every frame, so nothing drifted or was mishandled inside it; the loss was the
 * resampling of each frame through its homography (an SR network does not commute with bilinear
 * interpolation: 31.5-33.7 dB in the viewport's interior) plus the band next to viewport pixels the
 * zoomed frame no longer covered (their stale content against dense's zero padding at the frame
 * border). The video session now moves frames by whole pixels (`warp: 'whole-pixel'`), so nothing
 * is resampled and the mapped comparison's floor is float rounding.
 *
 * Frames 12-41 of the clip (the camera still, then moving), centre-cropped and downscaled to
 * 48x64: every frame must stay above 40 dB (the target; measured: above 132 dB), do at
 * most 1.5x dense MACs (at threshold 0 the clip's coding noise changes every pixel, so a move
 * costs its shrink and grow passes: measured up to 1.39x at this small size, 1.19x at 96x128), and
 * the viewport must move, so the moving path is what was tested.
 */
const SIZE: readonly [number, number] = [48, 64];
const START = 12;
const FRAMES = 30;

describe('motion mode on the real cube clip (esrgan-x2, threshold 0)', () => {
  it('keeps every frame above 40 dB against dense while the camera moves, with no collapse', async () => {
    const model = await loadModel((await ensureData('esrgan-x2')).main);
    const clip = (await ensureData('cube')).main;
    const info = await probeVideo(clip);
    const video = await createVideoSession({ model, mode: 'motion', threshold: 0 });
    const dense = await model.createSession({ mode: 'dense', backend: video.session.backendInfo.id });
    const motion = video.session as MotionSession;
    const input = model.inputs[0]!.name;
    const psnr: number[] = [];
    const macs: number[] = [];
    try {
      for await (const frame of streamVideoFrames(clip, info, { start: START, count: FRAMES, size: SIZE })) {
        const result = await video.push(frame);
        const reference = await dense.run({ [input]: frameToTensor(frame, { scale: 1, offset: 0 }) });
        const e = compareMappedOutputs(
          result.viewportOutputs!,
          reference,
          motion.frameGeometry?.frameFromViewport,
          (name) => motion.outputScale(name),
          SIZE,
        );
        psnr.push(e.psnr);
        macs.push(result.stats.macs / result.stats.denseMacs);
      }
      const stats = motion.stats().frames as readonly MotionFrameStats[];
      expect(psnr).toHaveLength(FRAMES);
      expect(Math.min(...psnr)).toBeGreaterThan(40);
      expect(Math.max(...macs)).toBeLessThanOrEqual(1.5);
      // The stream ran incrementally through the motion: besides the first frame, at most a couple
      // of re-anchors where the zoom left more than `maxResidual` unexplained (measured: one).
      const reasons = stats.flatMap((f) => (f.reason ? [f.reason] : []));
      expect(reasons[0]).toBe('first');
      expect(reasons.slice(1).every((r) => r === 'residual')).toBe(true);
      expect(reasons.length).toBeLessThanOrEqual(3);
      expect(stats.some((f) => f.offset.x !== 0 || f.offset.y !== 0)).toBe(true);
      expect(new Set(stats.map((f) => f.pose))).toContain('whole-pixel');
      // Every estimated frame reports the estimate's quality and the aligned residual.
      for (const f of stats.slice(1)) {
        expect(f.alignRms).toBeGreaterThanOrEqual(0);
        expect(f.alignInliers).toBeGreaterThan(0);
        expect(f.residual).toBeGreaterThanOrEqual(0);
      }
      expect(stats.filter((f) => f.reason === 'residual').every((f) => f.residual! > 0.25)).toBe(true);
    } finally {
      video.dispose();
      dense.dispose();
    }
  }, 300_000);
});
