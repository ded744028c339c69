import { ProfileMismatchError, type Shape } from '@motiondelta/core';
import type { Model } from '../model.js';
import type { ProfilePreprocessing, ThresholdProfile } from './threshold-profile.js';

/** What a profile is about to be applied to. */
export interface ProfileUse {
  /** The input shapes frames will have (NHWC), by input name; unchecked when absent. */
  readonly inputShapes?: Readonly<Record<string, Shape>>;
  /** How frames become inputs, described as at calibration; unchecked when absent. */
  readonly preprocessing?: ProfilePreprocessing;
  /** Names the profile in the error message (a file path); defaults to its `model`. */
  readonly where?: string;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const shapeText = (shape: readonly number[] | undefined): string => (shape ? `[${shape.join(', ')}]` : 'none');

/**
 * Checks that a profile was calibrated for this model (by fingerprint), these input shapes and
 * this preprocessing; thresholds are in units of the values they compare, so a profile applied
 * elsewhere would silently give another accuracy.
 *
 * @throws ProfileMismatchError listing every difference
 *
 * @example
 * ```ts
 * const profile = await loadProfile('selfie.thresholds.json');
 * await checkProfile(profile, model, { inputShapes: { input_1: [1, 256, 256, 3] }, preprocessing: { scale: 1 / 255, offset: 0 } });
 * const session = await model.createSession({ mode: 'delta', ...profileOptions(profile) });
 * ```
 */
export async function checkProfile(profile: ThresholdProfile, model: Model, use: ProfileUse = {}): Promise<void> {
  const mismatches: string[] = [];
  const fingerprint = await model.fingerprint();
  if (profile.modelFingerprint !== fingerprint) {
    mismatches.push(`it was calibrated for another model (${profile.model}, ${profile.modelFingerprint}; this one is ${fingerprint})`);
  }
  if (use.inputShapes) {
    const names = new Set([...Object.keys(profile.inputShapes), ...Object.keys(use.inputShapes)]);
    for (const name of names) {
      const recorded = profile.inputShapes[name];
      const given = use.inputShapes[name];
      if (!same(recorded, given)) mismatches.push(`input '${name}' was ${shapeText(recorded)} at calibration, ${shapeText(given)} here`);
    }
  }
  if (use.preprocessing && !same(sorted(profile.preprocessing ?? {}), sorted(use.preprocessing))) {
    mismatches.push(
      `the preprocessing was ${JSON.stringify(profile.preprocessing ?? {})} at calibration, ${JSON.stringify(use.preprocessing)} here`,
    );
  }
  if (mismatches.length > 0) throw new ProfileMismatchError(use.where ?? profile.model, mismatches);
}

function sorted(record: ProfilePreprocessing): [string, unknown][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
