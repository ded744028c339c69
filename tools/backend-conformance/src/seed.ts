import { createRng } from '@motiondelta/core';
import type { Rng } from '@motiondelta/core';

/**
 * The seed of this run: `CONFORMANCE_SEED` when set (to reproduce a failure), otherwise fresh,
 * so that every run checks new random inputs. Read once per process and reported in every failure.
 */
export function conformanceSeed(env: Record<string, string | undefined> = process.env): number {
  const fixed = env['CONFORMANCE_SEED'];
  if (fixed !== undefined && fixed !== '') {
    const seed = Number(fixed);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`CONFORMANCE_SEED=${fixed} is not a seed; accepted: an integer in 0..4294967295.`);
    }
    return seed;
  }
  return Math.floor(Math.random() * 0x100000000) >>> 0;
}

/**
 * The generator of one case: the run seed mixed with the case name (FNV-1a), so a case draws the
 * same inputs for a seed whichever cases run before it (`-t` filters, reordering).
 */
export function caseRng(seed: number, caseName: string): Rng {
  let hash = 0x811c9dc5;
  for (let i = 0; i < caseName.length; i++) {
    hash ^= caseName.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return createRng((seed ^ hash) >>> 0);
}

/** The command that reruns one case with the same inputs. */
export function rerunHint(seed: number, file: string, caseName: string): string {
  const pattern = caseName.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&').replace(/'/g, "'\\''");
  return `CONFORMANCE_SEED=${seed} npx vitest run ${file} -t '${pattern}'`;
}
