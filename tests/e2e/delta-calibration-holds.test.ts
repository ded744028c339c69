import { readModelFrames } from '@motiondelta/dense-demo';
import { ensureData } from '@motiondelta/data';
import { calibrateThresholds, loadModel, profileOptions, tensorError, type Tensor } from 'motiondelta';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 15, item 2: thresholds calibrated for PSNR >= T hold for the clip, not only for the frames
 * they were calibrated on. esrgan-x2 on real vtest frames at 48x64 (small enough for CI, on the
 * default backend: cpu-native where its addon loads). Calibrated on frames 0-89 against the worst
 * 30-frame window, the thresholds give every 30-frame window of frames 90-269 at least T - 1 dB.
 *
 * Why 90 frames: the error of a delta stream starts from the exact keyframe and climbs, with the
 * content, for about 100 frames before it settles (measured at 96x128 with thresholds calibrated
 * on the first 20 frames: 41.1, 38.5, 35.5, 33.2 dB over the first four 30-frame windows, then
 * 35-36 dB to frame 500), so a calibration on the first 20 frames alone misses its target later by
 * 7 dB. The full target of the issue (795 frames, three models) is measured outside the tests.
 */
const T = 40;
const SIZE: readonly [number, number] = [48, 64];
const CALIBRATION = 90;
const LATER = 150;
const WINDOW = 30;

/** PSNR of a window: that of the mean of its frames' squared errors (as `motiondelta run` reports). */
function windowPsnr(psnr: readonly number[]): number {
  const mse = psnr.reduce((a, p) => a + 10 ** (-p / 10), 0) / psnr.length;
  return -10 * Math.log10(mse);
}

/** The top-left h x w pixels of an NHWC image. */
function corner(t: Tensor, h: number, w: number): Tensor {
  const [, , width = 0, c = 0] = t.shape;
  const data = new Float32Array(h * w * c);
  for (let y = 0; y < h; y++) data.set(t.data.subarray(y * width * c, (y * width + w) * c), y * w * c);
  return { data, shape: [1, h, w, c] };
}

describe('calibrated delta thresholds hold on later frames', () => {
  let frames: Tensor[] = [];
  let model: Awaited<ReturnType<typeof loadModel>>;
  let name = '';

  beforeAll(async () => {
    model = await loadModel((await ensureData('esrgan-x2')).main);
    name = model.inputs[0]!.name;
    frames = await readModelFrames('esrgan-x2', { clip: 'vtest', start: 0, count: CALIBRATION + LATER, size: SIZE });
  }, 60_000);

  it(`esrgan-x2: calibrated for ${T} dB on ${CALIBRATION} frames, every 30-frame window of the next ${LATER} is >= ${T - 1} dB`, async () => {
    const calibration = frames.slice(0, CALIBRATION).map((f) => ({ [name]: f }));
    // 4 bisection steps: the threshold within a factor of 1.4, enough here and half the time of 6.
    const profile = await calibrateThresholds(model, calibration, { target: { psnr: T }, layout: 'nhwc', steps: 4 });
    expect(profile.window).toBe(WINDOW);
    expect(profile.achieved.psnr).toBeGreaterThanOrEqual(T);
    expect(profile.threshold).toBeGreaterThan(0);

    // One stream over the whole stretch, as a user runs a clip: the calibration frames first.
    const dense = await model.createSession({ mode: 'dense', layout: 'nhwc' });
    const delta = await model.createSession({ mode: 'delta', layout: 'nhwc', ...profileOptions(profile) });
    const psnr: number[] = [];
    for (const frame of frames) {
      const want = await dense.run({ [name]: frame });
      const got = await delta.run({ [name]: frame });
      psnr.push(Math.min(...model.outputs.map((o) => tensorError(got[o.name]!.data, want[o.name]!.data).psnr)));
    }
    const later = psnr.slice(CALIBRATION);
    let worst = Infinity;
    for (let s = 0; s + WINDOW <= later.length; s++) worst = Math.min(worst, windowPsnr(later.slice(s, s + WINDOW)));
    expect(worst).toBeGreaterThanOrEqual(T - 1);
    // And it still skips work: measured 0.35 of dense MACs at this size.
    const stats = delta.stats().frames.slice(1);
    expect(stats.reduce((s, f) => s + f.macs, 0) / stats.reduce((s, f) => s + f.denseMacs, 0)).toBeLessThan(0.6);
    dense.dispose();
    delta.dispose();
  }, 120_000);

  it('refresh runs the same on the default backend (cpu-native where it loads) as on reference', async () => {
    // The refresh is a host step before the program, so the native programs need nothing of their own.
    const options = { mode: 'delta', layout: 'nhwc', threshold: 20, refresh: { maxAge: 2 } } as const;
    const native = await model.createSession(options);
    const reference = await model.createSession({ ...options, backend: 'reference' });
    let worst = Infinity;
    // A 16x24 corner of each frame: the reference backend is slow, and any size shows the agreement.
    for (const frame of frames.slice(0, 6).map((f) => corner(f, 16, 24))) {
      const a = await native.run({ [name]: frame });
      const b = await reference.run({ [name]: frame });
      for (const o of model.outputs) worst = Math.min(worst, tensorError(a[o.name]!.data, b[o.name]!.data).psnr);
    }
    const refreshed = (s: typeof native) => s.stats().frames.map((f) => f.refreshedPixels);
    expect(refreshed(native)).toEqual(refreshed(reference));
    expect(refreshed(native).some((n) => (n ?? 0) > 0)).toBe(true);
    // Backends differ only by float rounding (their kernels sum in different orders).
    expect(worst).toBeGreaterThan(80);
    native.dispose();
    reference.dispose();
  }, 60_000);
});
