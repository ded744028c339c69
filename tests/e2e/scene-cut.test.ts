import { ensureData } from '@motiondelta/data';
import { createVideoSession, loadModel, streamVideoFrames, type FrameStats, type Model, type MotionFrameStats } from 'motiondelta';
import { probeVideo, type RgbImage } from '@motiondelta/video-io';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Scene cuts become keyframes at once in delta and motion modes (issue 15 item 2): a real clip
 * made by cutting between two real clips, 6 frames of vtest (a static street camera), 6 of cube (a
 * desk, camera still over those frames), then 4 more of vtest, all cropped and resized to 48x64.
 * Through `createVideoSession` (scene cuts on by default there, `sceneCut` 0.4), exactly the two
 * cut frames are keyframes with reason `scene-cut`, and with `sceneCut: Infinity` none is.
 */
const SIZE: readonly [number, number] = [48, 64];
const CUTS = [6, 12];

async function frames(clip: 'vtest' | 'cube', start: number, count: number): Promise<RgbImage[]> {
  const path = (await ensureData(clip)).main;
  const out: RgbImage[] = [];
  for await (const f of streamVideoFrames(path, await probeVideo(path), { start, count, size: SIZE })) out.push(f);
  return out;
}

async function reasons(
  model: Model,
  clip: readonly RgbImage[],
  options: { mode: 'delta' | 'motion'; sceneCut?: number },
): Promise<FrameStats[]> {
  const video = await createVideoSession({ model, threshold: 0.5, ...options });
  try {
    for (const frame of clip) await video.push(frame);
    return [...video.session.stats().frames];
  } finally {
    video.dispose();
  }
}

describe('scene cuts on a clip cut from vtest to cube and back (esrgan-x2)', () => {
  let model: Model;
  let clip: RgbImage[];
  beforeAll(async () => {
    model = await loadModel((await ensureData('esrgan-x2')).main);
    clip = [...(await frames('vtest', 0, 6)), ...(await frames('cube', 0, 6)), ...(await frames('vtest', 6, 4))];
  });

  for (const mode of ['delta', 'motion'] as const) {
    it(`${mode} mode: the cut frames, and only they, are scene-cut keyframes`, async () => {
      const stats = await reasons(model, clip, { mode });
      const keyframes = stats.flatMap((f, i) => (f.keyframe ? [[i, f.reason]] : []));
      expect(keyframes).toEqual([[0, 'first'], ...CUTS.map((i) => [i, 'scene-cut'])]);
      if (mode === 'motion') {
        // The residual that decided it is reported: over the bound at the cuts, far below it elsewhere.
        const residual = (stats as MotionFrameStats[]).map((f) => f.residual);
        for (const i of CUTS) expect(residual[i]).toBeGreaterThan(0.4);
        for (const [i, r] of residual.entries()) if (i !== 0 && !CUTS.includes(i)) expect(r).toBeLessThan(0.2);
      }
    }, 120_000);
  }

  it('delta mode with sceneCut Infinity runs the cuts as delta frames', async () => {
    const stats = await reasons(model, clip, { mode: 'delta', sceneCut: Number.POSITIVE_INFINITY });
    expect(stats.filter((f) => f.keyframe).map((f) => f.reason)).toEqual(['first']);
  }, 120_000);
});
