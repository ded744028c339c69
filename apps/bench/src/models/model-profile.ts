import { join } from 'node:path';
import { OptionError } from '@motiondelta/core';
import type { ModelId } from '@motiondelta/data';
import { loadProfile, profileOptions, type ThresholdProfile } from '@motiondelta/graph-runtime';
import type { OurSessionConfig } from './session-options.js';

/** A model's calibrated thresholds, and the file they came from. */
export interface ModelProfile {
  readonly path: string;
  readonly profile: ThresholdProfile;
}

/** The file `--profiles <dir>` reads for a model (what `motiondelta calibrate --out` is told to write). */
export function profilePath(dir: string, id: ModelId): string {
  return join(dir, `${id}.thresholds.json`);
}

/**
 * Loads `<dir>/<model>.thresholds.json`; a missing or malformed file is an OptionError naming it,
 * raised before anything is timed.
 *
 * @example
 * ```ts
 * const { profile } = await loadModelProfile('docs/profiles', 'selfie');
 * ```
 */
export async function loadModelProfile(dir: string, id: ModelId): Promise<ModelProfile> {
  const path = profilePath(dir, id);
  try {
    return { path, profile: await loadProfile(path) };
  } catch (error) {
    if (OptionError.isInstance(error)) {
      throw new OptionError(
        `--profiles ${dir}: no usable profile for ${id} (${error.message}). Write one with: motiondelta calibrate <clip> --model ${id} ... --out ${path}`,
      );
    }
    throw error;
  }
}

/**
 * A row configuration with the profile's thresholds on its delta rows (dense rows are left as they
 * are) and, for an argmax agreement target, the output whose argmax every row reports.
 */
export function withProfile(config: OurSessionConfig, profile: ModelProfile): OurSessionConfig {
  const target = profile.profile.target;
  const argmax = 'argmaxAgreement' in target ? { argmaxOutput: target.output } : {};
  if (config.mode !== 'delta') return { ...config, ...argmax };
  return { ...config, ...profileOptions(profile.profile), profile: profile.path, ...argmax };
}
