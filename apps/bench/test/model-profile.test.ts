import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionError } from '@motiondelta/core';
import { saveProfile, type ThresholdProfile } from '@motiondelta/graph-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelsBenchOptions } from '../src/models/bench-options.js';
import { loadModelProfile, profilePath, withProfile } from '../src/models/model-profile.js';
import { buildSessionOptions } from '../src/models/session-options.js';

const posenetProfile: ThresholdProfile = {
  version: 2,
  model: 'posenet',
  modelFingerprint: `sha256:${'0'.repeat(64)}`,
  inputShapes: { image: [1, 385, 385, 3] },
  threshold: 0.04,
  inputThreshold: 0.02,
  nodeThresholds: { conv1: 0.01 },
  target: { argmaxAgreement: 0.99, output: 'heatmap' },
  achieved: { psnr: 30, maxAbsError: 0.5, macsRatio: 0.3, argmaxAgreement: 1 },
  frames: 12,
};

describe('--profiles and --start', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-profiles-'));
    await saveProfile(profilePath(dir, 'posenet'), posenetProfile);
    await writeFile(profilePath(dir, 'selfie'), '{"version": 1}');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('parses --start and --profiles, default start 0', () => {
    expect(parseModelsBenchOptions({}, 2).start).toBe(0);
    const options = parseModelsBenchOptions({ start: '100', profiles: dir, modes: 'dense,delta' }, 2);
    expect(options.start).toBe(100);
    expect(options.profiles).toBe(dir);
    expect(() => parseModelsBenchOptions({ start: '-1' }, 2)).toThrow(/--start must be an integer >= 0/);
  });

  it('refuses --profiles with explicit thresholds, or without delta rows', () => {
    expect(() => parseModelsBenchOptions({ profiles: dir, modes: 'delta', threshold: '0.1' }, 2)).toThrow(OptionError);
    expect(() => parseModelsBenchOptions({ profiles: dir, modes: 'dense' }, 2)).toThrow(/add delta to --modes/);
  });

  it('puts the profile thresholds on delta rows only, and the argmax output on every row', async () => {
    const profile = await loadModelProfile(dir, 'posenet');
    const delta = withProfile({ mode: 'delta', backend: 'reference' }, profile);
    expect(delta).toEqual({
      mode: 'delta',
      backend: 'reference',
      threshold: 0.04,
      inputThreshold: 0.02,
      nodeThresholds: { conv1: 0.01 },
      profile: profilePath(dir, 'posenet'),
      argmaxOutput: 'heatmap',
    });
    expect(buildSessionOptions(delta)).toEqual({
      mode: 'delta',
      backend: ['reference'],
      layout: 'nhwc',
      threshold: 0.04,
      inputThreshold: 0.02,
      nodeThresholds: { conv1: 0.01 },
    });
    expect(withProfile({ mode: 'dense', backend: 'reference' }, profile)).toEqual({
      mode: 'dense',
      backend: 'reference',
      argmaxOutput: 'heatmap',
    });
  });

  it('names the file and the calibrate command when a profile is missing or malformed', async () => {
    await expect(loadModelProfile(dir, 'esrgan-x2')).rejects.toThrow(/esrgan-x2\.thresholds\.json.*motiondelta calibrate/);
    const error = await loadModelProfile(dir, 'selfie').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptionError);
    expect((error as Error).message).toMatch(/selfie\.thresholds\.json.*not a threshold profile/);
  });
});
