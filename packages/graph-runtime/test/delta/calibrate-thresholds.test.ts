import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionError, ProfileMismatchError, createRng, randomInt, uniform, type Rng, type Tensor } from '@motiondelta/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argmaxAgreement } from '../../src/delta/argmax-agreement.js';
import { calibrateThresholds, type CalibrationTry } from '../../src/delta/calibrate-thresholds.js';
import { checkProfile } from '../../src/delta/check-profile.js';
import { profileOptions, type ThresholdProfile } from '../../src/delta/threshold-profile.js';
import { loadProfile, saveProfile } from '../../src/node/profile-files.js';
import { Model } from '../../src/model.js';
import { tensorError } from '../../src/stats/tensor-error.js';
import { oddShapesNet } from '../helpers/odd-shapes-net.js';

const H = 12;
const W = 16;
const FP = `sha256:${'0'.repeat(64)}`;

/**
 * Video-like frames: a random first frame, then every pixel jitters a little (sensor noise, which
 * a good threshold skips) and a few rectangles change a lot (motion, which it must not skip).
 */
function videoFrames(rng: Rng, count: number): Record<string, Tensor>[] {
  const data = new Float32Array(H * W * 3);
  for (let i = 0; i < data.length; i++) data[i] = uniform(rng, 0, 1);
  const frames = [{ x: { data: new Float32Array(data), shape: [1, H, W, 3] } }];
  for (let f = 1; f < count; f++) {
    const frame = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) frame[i] = data[i]! + uniform(rng, -0.01, 0.01);
    for (let r = randomInt(rng, 1, 2); r > 0; r--) {
      const y0 = randomInt(rng, 0, H - 3);
      const x0 = randomInt(rng, 0, W - 4);
      for (let y = y0; y < y0 + 3; y++) {
        for (let x = x0; x < x0 + 4; x++) {
          for (let c = 0; c < 3; c++) data[(y * W + x) * 3 + c] = uniform(rng, 0, 1);
        }
      }
    }
    frames.push({ x: { data: frame, shape: [1, H, W, 3] } });
  }
  return frames;
}

/**
 * Scores a profile on the frames independently of the calibration code: `worstPsnr` per frame,
 * `windowPsnr` over the frames after the first (fewer than the profile's 30-frame window here, so
 * one window: the PSNR of their mean squared error).
 */
async function score(model: Model, frames: readonly Record<string, Tensor>[], profile: ThresholdProfile) {
  const dense = await model.createSession({ mode: 'dense' });
  const delta = await model.createSession({ mode: 'delta', ...profileOptions(profile) });
  let worstPsnr = Infinity;
  let sumError = 0;
  let maxAbs = 0;
  let agree = 0;
  let total = 0;
  for (const [i, frame] of frames.entries()) {
    const want = await dense.run(frame);
    const got = await delta.run(frame);
    if (i === 0) continue;
    let framePsnr = Infinity;
    for (const name of Object.keys(want)) {
      const e = tensorError(got[name]!.data, want[name]!.data);
      framePsnr = Math.min(framePsnr, e.psnr);
      maxAbs = Math.max(maxAbs, e.maxAbs);
    }
    worstPsnr = Math.min(worstPsnr, framePsnr);
    sumError += 10 ** (-framePsnr / 10);
    const count = argmaxAgreement(got['y']!, want['y']!);
    agree += count.agree;
    total += count.total;
  }
  const windowPsnr = -10 * Math.log10(sumError / (frames.length - 1));
  return { worstPsnr, windowPsnr, maxAbs, agreement: agree / total };
}

describe('calibrateThresholds', () => {
  const model = new Model(oddShapesNet(11));
  const frames = videoFrames(createRng(5), 6);
  let dir = '';
  let loose: ThresholdProfile;
  const looseTries: CalibrationTry[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'calibrate-'));
    loose = await calibrateThresholds(model, frames, { target: { psnr: 30 }, onTry: (t) => looseTries.push(t) });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('meets a PSNR target on the calibration frames, with a threshold that skips work', async () => {
    expect(loose.threshold).toBeGreaterThan(0);
    expect(loose.achieved.macsRatio).toBeLessThan(1);
    const measured = await score(model, frames, loose);
    expect(loose.window).toBe(30);
    expect(measured.windowPsnr).toBeGreaterThanOrEqual(30);
    // The profile reports what it measured, with the same (tensorError, window) definition.
    expect(loose.achieved.psnr).toBeCloseTo(measured.windowPsnr, 6);
    expect(looseTries.some((t) => !t.meets)).toBe(true);
  });

  it('with window 1, meets the target on every frame', async () => {
    const perFrame = await calibrateThresholds(model, frames, { target: { psnr: 30 }, window: 1 });
    const measured = await score(model, frames, perFrame);
    expect(perFrame.window).toBe(1);
    expect(measured.worstPsnr).toBeGreaterThanOrEqual(30);
    expect(perFrame.achieved.psnr).toBeCloseTo(measured.worstPsnr, 6);
    // A frame-by-frame target is at least as strict as one on the mean error of the frames.
    expect(perFrame.threshold).toBeLessThanOrEqual(loose.threshold);
  });

  it('runs its tries with the staleness options given, and records them in the profile', async () => {
    const session = { refresh: { maxAge: 2 } };
    const profile = await calibrateThresholds(model, frames, { target: { psnr: 30 }, session, steps: 2 });
    expect(profile.session).toEqual(session);
    expect(profileOptions(profile).refresh).toEqual({ maxAge: 2 });
    expect((await score(model, frames, profile)).windowPsnr).toBeGreaterThanOrEqual(30);
  });

  it('gives a stricter target a threshold no larger than a looser one', async () => {
    const strict = await calibrateThresholds(model, frames, { target: { psnr: 45 } });
    expect(strict.threshold).toBeLessThanOrEqual(loose.threshold);
    expect((await score(model, frames, strict)).windowPsnr).toBeGreaterThanOrEqual(45);
  });

  it('stops a failing try at the frame that settles the miss', () => {
    const failed = looseTries.filter((t) => !t.meets);
    expect(failed.length).toBeGreaterThan(0);
    for (const t of failed) expect(t.psnr ?? Infinity).toBeLessThan(30);
    for (const t of looseTries.filter((x) => x.meets)) expect(t.frames).toBe(frames.length);
  });

  it('returns the top of the range when the target cannot be missed', async () => {
    const tries: CalibrationTry[] = [];
    const profile = await calibrateThresholds(model, frames, { target: { maxAbsError: 1e9 }, onTry: (t) => tries.push(t) });
    expect(tries).toHaveLength(1);
    // The top of the range is half the first frame's input value range.
    const input = frames[0]!['x']!.data;
    expect(profile.threshold).toBeCloseTo(0.5 * (Math.max(...input) - Math.min(...input)), 9);
    expect(profile.inputThreshold).toBe(profile.threshold);
  });

  it('falls back to threshold 0 when even the bottom of the range misses', async () => {
    const profile = await calibrateThresholds(model, frames, { target: { maxAbsError: 0 }, steps: 2 });
    expect(profile.threshold).toBe(0);
    expect(profile.inputThreshold).toBe(0);
  });

  it('meets an argmax agreement target on a named output', async () => {
    const profile = await calibrateThresholds(model, frames, { target: { argmaxAgreement: 0.9, output: 'y' } });
    const measured = await score(model, frames, profile);
    expect(measured.agreement).toBeGreaterThanOrEqual(0.9);
    expect(profile.achieved.argmaxAgreement).toBeCloseTo(measured.agreement, 9);
  });

  it('searches input ratios and keeps the one with the fewest MACs', async () => {
    const tries: CalibrationTry[] = [];
    const profile = await calibrateThresholds(model, frames, { target: { psnr: 30 }, inputRatios: [0.5, 2], onTry: (t) => tries.push(t) });
    const ratios = new Set(tries.map((t) => t.inputThreshold / t.threshold));
    expect([...ratios].map((r) => r.toFixed(6)).sort()).toEqual(['0.500000', '2.000000']);
    const meeting = tries.filter((t) => t.meets);
    expect(profile.achieved.macsRatio).toBe(Math.min(...meeting.map((t) => t.macsRatio)));
    expect((await score(model, frames, profile)).windowPsnr).toBeGreaterThanOrEqual(30);
  });

  it('is deterministic', async () => {
    const again = await calibrateThresholds(model, frames, { target: { psnr: 30 } });
    expect(again).toEqual(loose);
  });

  it('refuses too few frames, bad targets and unknown outputs with OptionError', async () => {
    await expect(calibrateThresholds(model, frames.slice(0, 1), { target: { psnr: 40 } })).rejects.toThrow(OptionError);
    await expect(calibrateThresholds(model, frames, { target: { psnr: -1 } })).rejects.toThrow(/psnr/);
    await expect(calibrateThresholds(model, frames, { target: { argmaxAgreement: 1.5, output: 'y' } })).rejects.toThrow(/argmaxAgreement/);
    await expect(calibrateThresholds(model, frames, { target: { argmaxAgreement: 0.9, output: 'nope' } })).rejects.toThrow(
      /'nope' is not an output.*y, s2/,
    );
    await expect(calibrateThresholds(model, frames, { target: { psnr: 40 }, inputRatios: [0] })).rejects.toThrow(OptionError);
    await expect(calibrateThresholds(model, frames, { target: { psnr: 40 }, window: 0 })).rejects.toThrow(/window must be an integer >= 1/);
  });

  it('saves and loads a profile unchanged', async () => {
    const path = join(dir, 'p.json');
    await saveProfile(path, loose);
    expect(await loadProfile(path)).toEqual(loose);
  });

  it.each([
    ['not JSON', '{ nope', /Cannot read threshold profile/],
    ['an array', '[]', /not a JSON object/],
    ['another version', '{"version":3}', /version 3, not 2/],
    ['version 1', '{"version":1}', /version 1, made before profiles recorded the model.*calibrate it again/],
    ['no fingerprint', JSON.stringify({ version: 2, model: 'm' }), /modelFingerprint is not sha256/],
    ['bad input shapes', JSON.stringify({ version: 2, model: 'm', modelFingerprint: FP, inputShapes: { x: [1, 0] } }), /inputShapes/],
    [
      'bad preprocessing',
      JSON.stringify({ version: 2, model: 'm', modelFingerprint: FP, inputShapes: {}, preprocessing: { scale: null } }),
      /preprocessing/,
    ],
    [
      'a negative threshold',
      JSON.stringify({ version: 2, model: 'm', modelFingerprint: FP, inputShapes: { x: [1, 4, 4, 3] }, threshold: -1 }),
      /threshold is not a number >= 0/,
    ],
    [
      'a bad node threshold',
      JSON.stringify({
        version: 2,
        model: 'm',
        modelFingerprint: FP,
        inputShapes: { x: [1, 4, 4, 3] },
        threshold: 1,
        inputThreshold: 1,
        nodeThresholds: { a: 'x' },
      }),
      /nodeThresholds/,
    ],
    [
      'no target',
      JSON.stringify({
        version: 2,
        model: 'm',
        modelFingerprint: FP,
        inputShapes: { x: [1, 4, 4, 3] },
        threshold: 1,
        inputThreshold: 1,
        nodeThresholds: {},
      }),
      /target is not an object/,
    ],
    [
      'an unknown target',
      JSON.stringify({
        version: 2,
        model: 'm',
        modelFingerprint: FP,
        inputShapes: { x: [1, 4, 4, 3] },
        threshold: 1,
        inputThreshold: 1,
        nodeThresholds: {},
        target: { ssim: 1 },
      }),
      /target is none of/,
    ],
  ])('rejects a file with %s with OptionError', async (_what, text, message) => {
    const path = join(dir, 'bad.json');
    await writeFile(path, text);
    const error = await loadProfile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptionError);
    expect((error as Error).message).toMatch(message);
  });

  it('rejects a missing file with OptionError naming it', async () => {
    await expect(loadProfile(join(dir, 'missing.json'))).rejects.toThrow(/missing\.json/);
  });
});

describe('checkProfile: a profile applies to the model, input shapes and preprocessing it was calibrated for', () => {
  const model = new Model(oddShapesNet(11));
  const frames = videoFrames(createRng(5), 3);
  const shapes = { x: [1, H, W, 3] };
  const preprocessing = { scale: 1 / 255, offset: 0 };
  let profile: ThresholdProfile;
  beforeAll(async () => {
    profile = await calibrateThresholds(model, frames, { target: { psnr: 30 }, steps: 1, preprocessing });
  });

  it('records them', async () => {
    expect(profile.version).toBe(2);
    expect(profile.modelFingerprint).toBe(await model.fingerprint());
    expect(profile.modelFingerprint).toMatch(/^graph-sha256:[0-9a-f]{64}$/);
    expect(profile.inputShapes).toEqual(shapes);
    expect(profile.preprocessing).toEqual(preprocessing);
  });

  it('accepts the same model, shapes and preprocessing (and an equal model built again)', async () => {
    await expect(checkProfile(profile, new Model(oddShapesNet(11)), { inputShapes: shapes, preprocessing })).resolves.toBeUndefined();
    await expect(checkProfile(profile, model)).resolves.toBeUndefined();
  });

  it('refuses another model, another size and another preprocessing, listing each', async () => {
    const error = await checkProfile(profile, new Model(oddShapesNet(12)), {
      inputShapes: { x: [1, 2 * H, W, 3] },
      preprocessing: { scale: 1, offset: 0 },
      where: 'p.json',
    }).catch((e: unknown) => e);
    expect(ProfileMismatchError.isInstance(error)).toBe(true);
    const { mismatches, message } = error as ProfileMismatchError;
    expect(mismatches).toHaveLength(3);
    expect(mismatches[0]).toMatch(/calibrated for another model/);
    expect(mismatches[1]).toMatch(/input 'x' was \[1, 12, 16, 3\] at calibration, \[1, 24, 16, 3\] here/);
    expect(mismatches[2]).toMatch(/preprocessing/);
    expect(message).toMatch(/^Threshold profile 'p.json' does not fit/);
  });
});

describe('argmaxAgreement', () => {
  it('counts channels whose spatial argmax matches, first position on ties', () => {
    // [1, 2, 2, 2]: channel 0 peaks at pixel 3 in both; channel 1 at pixel 0 (a tie with pixel 1) vs pixel 1.
    const a = { data: new Float32Array([0, 5, 1, 5, 2, 0, 7, 0]), shape: [1, 2, 2, 2] };
    const b = { data: new Float32Array([0, 5, 1, 6, 2, 0, 7, 0]), shape: [1, 2, 2, 2] };
    expect(argmaxAgreement(a, a)).toEqual({ agree: 2, total: 2 });
    expect(argmaxAgreement(a, b)).toEqual({ agree: 1, total: 2 });
  });

  it('refuses tensors of different shapes', () => {
    expect(() =>
      argmaxAgreement({ data: new Float32Array(4), shape: [1, 2, 2, 1] }, { data: new Float32Array(4), shape: [1, 1, 4, 1] }),
    ).toThrow(/one shape/);
  });
});
