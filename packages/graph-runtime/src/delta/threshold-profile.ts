import { readFile, writeFile } from 'node:fs/promises';
import { OptionError } from '@motiondelta/core';

/** What a calibration aimed for: a minimum PSNR against dense, or a maximum absolute error. */
export type CalibrationTarget = { readonly psnr: number } | { readonly maxAbsError: number };

/**
 * Thresholds chosen for a model, with how they were chosen; pass to
 * `createSession({ mode: 'delta', ...profileOptions(profile) })`. Saved and loaded as JSON.
 */
export interface ThresholdProfile {
  readonly version: 1;
  /** Where the model came from (for a sanity check when loading). */
  readonly model: string;
  readonly threshold: number;
  readonly inputThreshold: number;
  readonly nodeThresholds: Readonly<Record<string, number>>;
  readonly target: CalibrationTarget;
  /** Measured on the calibration frames with these thresholds. */
  readonly achieved: { readonly psnr: number | null; readonly maxAbsError: number; readonly macsRatio: number };
  readonly frames: number;
}

/** The session options a profile stands for. */
export function profileOptions(profile: ThresholdProfile): {
  threshold: number;
  inputThreshold: number;
  nodeThresholds: Readonly<Record<string, number>>;
} {
  return { threshold: profile.threshold, inputThreshold: profile.inputThreshold, nodeThresholds: profile.nodeThresholds };
}

/**
 * Writes a profile as JSON.
 *
 * @example
 * ```ts
 * await saveProfile('esrgan.thresholds.json', profile);
 * const again = await loadProfile('esrgan.thresholds.json');
 * ```
 */
export async function saveProfile(path: string, profile: ThresholdProfile): Promise<void> {
  await writeFile(path, `${JSON.stringify(profile, null, 2)}\n`);
}

/** Reads a profile written by {@link saveProfile}; throws OptionError naming what is wrong. */
export async function loadProfile(path: string): Promise<ThresholdProfile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new OptionError(`Cannot read threshold profile '${path}': ${(error as Error).message}`);
  }
  const p = json as Partial<ThresholdProfile>;
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (
    p?.version !== 1 ||
    typeof p.model !== 'string' ||
    !finite(p.threshold) ||
    !finite(p.inputThreshold) ||
    typeof p.nodeThresholds !== 'object' ||
    p.nodeThresholds === null ||
    !Object.values(p.nodeThresholds).every(finite)
  ) {
    throw new OptionError(
      `'${path}' is not a threshold profile: expected { version: 1, model, threshold, inputThreshold, nodeThresholds, ... } with thresholds >= 0.`,
    );
  }
  return p as ThresholdProfile;
}
