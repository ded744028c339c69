import { OptionError } from '@motiondelta/core';
import type { RefreshOptions } from './input-refresh.js';

/**
 * What a calibration aims for, measured against dense inference on every calibration frame
 * after the first (the first is a dense keyframe in delta mode, so it is exact):
 *
 * - `{ psnr }`: the worst window's PSNR in dB (the profile's `window` consecutive frames, their mean
 *   squared error; 1 frame in profiles that record no window), worst output counted, at least this. Per output and
 *   frame it is `10 * log10(peak^2 / MSE)` with `peak` = that frame's dense output range
 *   (max - min, 1 when constant): `tensorError` in `stats/tensor-error.ts`, the definition the
 *   CLI and the benchmarks use too.
 * - `{ maxAbsError }`: the largest absolute difference over every output value, at most this.
 * - `{ argmaxAgreement, output }`: the fraction of (frame, image, channel) triples whose spatial
 *   argmax (over H x W) of the NHWC output `output` falls on the same pixel as dense, at least
 *   this (0..1). Suits heatmap outputs, such as posenet's keypoint heatmaps.
 */
export type CalibrationTarget =
  { readonly psnr: number } | { readonly maxAbsError: number } | { readonly argmaxAgreement: number; readonly output: string };

/** What the chosen thresholds gave on the calibration frames. */
export interface AchievedError {
  /** Worst window's PSNR in dB (see `ThresholdProfile.window`; null when every frame is exact). */
  readonly psnr: number | null;
  readonly maxAbsError: number;
  /** MACs done / dense MACs over the frames after the first. */
  readonly macsRatio: number;
  /** Only for an `argmaxAgreement` target: the fraction that agreed. */
  readonly argmaxAgreement?: number;
}

/**
 * Thresholds chosen for a model, with how they were chosen; pass to
 * `createSession({ mode: 'delta', ...profileOptions(profile) })`. Saved and loaded as JSON.
 */
/**
 * How frames became the calibration inputs, as the caller describes it (for example the CLI's
 * `{ scale, offset }`): recorded, and compared when the profile is applied, so that thresholds
 * tuned for inputs in [0, 1] are not applied to inputs in [0, 255].
 */
export type ProfilePreprocessing = Readonly<Record<string, number | string | boolean | readonly number[]>>;

export interface ThresholdProfile {
  /** 2 since profiles record the model, the input shapes and the preprocessing. */
  readonly version: 2;
  /** Where the model came from (informative: paths differ between machines). */
  readonly model: string;
  /** `Model.fingerprint()` of the model calibrated: a profile applies to this model only. */
  readonly modelFingerprint: string;
  /** Input shapes of the calibration frames (NHWC), by input name: thresholds depend on the scale. */
  readonly inputShapes: Readonly<Record<string, readonly number[]>>;
  /** How frames were turned into inputs, when the caller said (see {@link ProfilePreprocessing}). */
  readonly preprocessing?: ProfilePreprocessing;
  readonly threshold: number;
  readonly inputThreshold: number;
  readonly nodeThresholds: Readonly<Record<string, number>>;
  readonly target: CalibrationTarget;
  /** Measured on the calibration frames with these thresholds. */
  readonly achieved: AchievedError;
  /** Calibration frames, the dense first one included. */
  readonly frames: number;
  /** For a `psnr` target: frames per window it was measured over (absent: every frame on its own). */
  readonly window?: number;
  /** Staleness options the calibration ran with (`SessionOptions.refresh`, `keyframeInterval`): applied with the thresholds. */
  readonly session?: { readonly refresh?: RefreshOptions; readonly keyframeInterval?: number };
}

/**
 * The session options a profile stands for.
 *
 * @example
 * ```ts
 * const session = await model.createSession({ mode: 'delta', ...profileOptions(await loadProfile('p.json')) });
 * ```
 */
export function profileOptions(profile: ThresholdProfile): {
  threshold: number;
  inputThreshold: number;
  nodeThresholds: Readonly<Record<string, number>>;
  refresh?: RefreshOptions;
  keyframeInterval?: number;
} {
  return {
    threshold: profile.threshold,
    inputThreshold: profile.inputThreshold,
    nodeThresholds: profile.nodeThresholds,
    ...(profile.session?.refresh && { refresh: profile.session.refresh }),
    ...(profile.session?.keyframeInterval !== undefined && { keyframeInterval: profile.session.keyframeInterval }),
  };
}

/** A profile as the JSON text {@link parseProfile} reads (what `saveProfile` writes to a file). */
export function formatProfile(profile: ThresholdProfile): string {
  return `${JSON.stringify(profile, null, 2)}\n`;
}

/**
 * Checks parsed JSON (from a profile file, or fetched) and returns it as a profile.
 *
 * @param where names the source in messages (a path, a URL)
 * @throws OptionError naming what is wrong
 *
 * @example
 * ```ts
 * const profile = parseProfile(await (await fetch('selfie.thresholds.json')).json(), 'selfie.thresholds.json');
 * ```
 */
export function parseProfile(json: unknown, where: string): ThresholdProfile {
  const problem = profileProblem(json);
  if (problem) {
    throw new OptionError(
      `'${where}' is not a threshold profile (${problem}): expected { version: 2, model, modelFingerprint, inputShapes, ` +
        'threshold, inputThreshold, nodeThresholds, target, achieved, frames } with thresholds >= 0.',
    );
  }
  return json as ThresholdProfile;
}

const isThreshold = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isShape = (v: unknown): boolean => Array.isArray(v) && v.every((d) => Number.isInteger(d) && (d as number) >= 1);
const isPreprocessingValue = (v: unknown): boolean =>
  typeof v === 'string' ||
  typeof v === 'boolean' ||
  (typeof v === 'number' && Number.isFinite(v)) ||
  (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x)));

/** What makes `json` not a profile, or undefined when it is one. */
function profileProblem(json: unknown): string | undefined {
  if (!isRecord(json)) return 'not a JSON object';
  if (json['version'] === 1) return 'version 1, made before profiles recorded the model and input size: calibrate it again';
  if (json['version'] !== 2) return `version ${JSON.stringify(json['version'])}, not 2`;
  if (typeof json['model'] !== 'string') return 'model is not a string';
  if (typeof json['modelFingerprint'] !== 'string' || !/^(graph-)?sha256:[0-9a-f]{64}$/.test(json['modelFingerprint'])) {
    return 'modelFingerprint is not sha256:<64 hex digits> (or graph-sha256:...)';
  }
  const shapes = json['inputShapes'];
  if (!isRecord(shapes) || !Object.values(shapes).every(isShape)) return 'inputShapes is not an object of shapes (arrays of integers >= 1)';
  const pre = json['preprocessing'];
  if (pre !== undefined && (!isRecord(pre) || !Object.values(pre).every(isPreprocessingValue))) {
    return 'preprocessing is not an object of numbers, strings, booleans or number arrays';
  }
  if (!isThreshold(json['threshold'])) return 'threshold is not a number >= 0';
  if (!isThreshold(json['inputThreshold'])) return 'inputThreshold is not a number >= 0';
  const nodes = json['nodeThresholds'];
  if (!isRecord(nodes) || !Object.values(nodes).every(isThreshold)) return 'nodeThresholds is not an object of numbers >= 0';
  const target = targetProblem(json['target']);
  if (target) return target;
  const achieved = json['achieved'];
  if (!isRecord(achieved) || typeof achieved['macsRatio'] !== 'number' || typeof achieved['maxAbsError'] !== 'number') {
    return 'achieved is not { psnr, maxAbsError, macsRatio }';
  }
  if (!Number.isInteger(json['frames'])) return 'frames is not an integer';
  const window = json['window'];
  if (window !== undefined && !(Number.isInteger(window) && (window as number) >= 1)) return 'window is not an integer >= 1';
  const session = json['session'];
  if (session !== undefined && !isRecord(session)) return 'session is not an object of { refresh, keyframeInterval }';
  return undefined;
}

/** What makes `target` not a calibration target, or undefined when it is one. */
export function targetProblem(target: unknown): string | undefined {
  if (!isRecord(target)) return 'target is not an object';
  if ('psnr' in target) return typeof target['psnr'] === 'number' && target['psnr'] > 0 ? undefined : 'target psnr is not a number > 0';
  if ('maxAbsError' in target) return isThreshold(target['maxAbsError']) ? undefined : 'target maxAbsError is not a number >= 0';
  if ('argmaxAgreement' in target) {
    const a = target['argmaxAgreement'];
    if (typeof a !== 'number' || !(a >= 0 && a <= 1)) return 'target argmaxAgreement is not a fraction in [0, 1]';
    return typeof target['output'] === 'string' && target['output'] !== '' ? undefined : 'target argmaxAgreement has no output name';
  }
  return 'target is none of { psnr }, { maxAbsError }, { argmaxAgreement, output }';
}
