import { readFile, writeFile } from 'node:fs/promises';
import { OptionError } from '@motiondelta/core';
import { formatProfile, parseProfile, type ThresholdProfile } from '../delta/threshold-profile.js';

/**
 * Writes a profile as JSON (Node only; elsewhere use `formatProfile`).
 *
 * @example
 * ```ts
 * await saveProfile('esrgan.thresholds.json', profile);
 * const again = await loadProfile('esrgan.thresholds.json');
 * ```
 */
export async function saveProfile(path: string, profile: ThresholdProfile): Promise<void> {
  await writeFile(path, formatProfile(profile));
}

/**
 * Reads a profile written by {@link saveProfile} (Node only; elsewhere use `parseProfile`).
 *
 * @throws OptionError when the file cannot be read or is not a profile, naming what is wrong
 *
 * @example
 * ```ts
 * const profile = await loadProfile('docs/profiles/selfie.thresholds.json');
 * console.log(profile.threshold, profile.target);
 * ```
 */
export async function loadProfile(path: string): Promise<ThresholdProfile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new OptionError(`Cannot read threshold profile '${path}': ${(error as Error).message}`);
  }
  return parseProfile(json, path);
}
