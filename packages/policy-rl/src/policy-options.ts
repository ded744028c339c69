import { OptionError } from '@motiondelta/core';

/** Options every sampling policy shares. */
export interface RateOptions {
  /** Fraction of blocks to execute per frame, in [0, 1]. */
  readonly targetRate: number;
  /**
   * The executed count is rounded up to a multiple of this fraction of the grid (at least one
   * block), so that compiled block kernels see few distinct batch sizes. 1/16 by default, as in
   * BlockCopy; 0 turns rounding off.
   */
  readonly quantum?: number;
  /** Seed of the policy's random numbers (sampling, rounding, initial weights). */
  readonly seed?: number;
}

/** The default {@link RateOptions.quantum}: a sixteenth of the grid. */
export const DEFAULT_QUANTUM = 1 / 16;

/** Throws OptionError unless `value` is a finite number in [0, 1]. */
export function checkFraction(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new OptionError(`${name} must be a number in [0, 1]; got ${String(value)}.`);
  }
  return value;
}

/** Throws OptionError unless `value` is an integer seed (any safe integer; it is taken modulo 2^32). */
export function checkSeed(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new OptionError(`seed must be a safe integer; got ${String(value)}.`);
  }
  return value;
}

/** Validated rate options with their defaults filled in. */
export interface ResolvedRate {
  readonly targetRate: number;
  readonly quantum: number;
  readonly seed: number;
}

/** Checks and completes {@link RateOptions}. */
export function resolveRate(options: RateOptions | undefined, policy: string): ResolvedRate {
  if (options === undefined || typeof options !== 'object') {
    throw new OptionError(`The '${policy}' policy needs options with a targetRate in [0, 1].`);
  }
  return {
    targetRate: checkFraction(`${policy}: targetRate`, options.targetRate),
    quantum: checkFraction(`${policy}: quantum`, options.quantum ?? DEFAULT_QUANTUM),
    seed: checkSeed(options.seed),
  };
}
