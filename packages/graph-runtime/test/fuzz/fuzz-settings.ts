import { createRng, randomInt, type Rng } from '@motiondelta/core';

/**
 * Settings of the model-file fuzz tests, from the environment:
 * - `MOTIONDELTA_FUZZ_SEED`: base seed (default fixed, so CI runs are reproducible); every failure
 *   message prints it with the case number;
 * - `MOTIONDELTA_FUZZ_CASES`: how many cases each fuzz target runs (default: its own, a few hundred
 *   in all across targets);
 * - `MOTIONDELTA_FUZZ_ONLY`: run only this case number (replay of one failure);
 * - `MOTIONDELTA_FUZZ_TRACE=1`: write each case to stderr before running it, so that a case that
 *   hangs the process can be found.
 */
export interface FuzzSettings {
  readonly seed: number;
  readonly cases: number;
  readonly only: number | undefined;
  readonly trace: boolean;
}

const DEFAULT_SEED = 0x14_2026;

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return value;
}

export function fuzzSettings(defaultCases: number): FuzzSettings {
  return {
    seed: envInt('MOTIONDELTA_FUZZ_SEED') ?? DEFAULT_SEED,
    cases: envInt('MOTIONDELTA_FUZZ_CASES') ?? defaultCases,
    only: envInt('MOTIONDELTA_FUZZ_ONLY'),
    trace: process.env['MOTIONDELTA_FUZZ_TRACE'] === '1',
  };
}

/** The RNG of case `index`: independent of the other cases, so one case replays alone. */
export function caseRng(seed: number, index: number): Rng {
  return createRng((Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) >>> 0);
}

/** How to replay one case, for failure messages. */
export function replayHint(settings: FuzzSettings, index: number): string {
  return `MOTIONDELTA_FUZZ_SEED=${settings.seed} MOTIONDELTA_FUZZ_ONLY=${index}`;
}

/** The case numbers to run. */
export function caseIndices(settings: FuzzSettings): number[] {
  if (settings.only !== undefined) return [settings.only];
  return Array.from({ length: settings.cases }, (_, i) => i);
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[randomInt(rng, 0, items.length - 1)]!;
}

/** True with probability `p`. */
export function chance(rng: Rng, p: number): boolean {
  return rng.next() < p;
}

/** Integers a mutation likes to try: edges of every range a reader might assume. */
export function edgeInt(rng: Rng, around?: number): number {
  const near = around ?? 1;
  return pick(rng, [
    0,
    1,
    -1,
    2,
    3,
    near + 1,
    near - 1,
    near * 2,
    Math.floor(near / 2),
    255,
    65536,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31),
    2 ** 32,
    1e12,
    2 ** 53,
    randomInt(rng, -1000, 1000),
  ]);
}

/** Floats a mutation likes to try, including NaN and the infinities. */
export function edgeFloat(rng: Rng, around = 1): number {
  return pick(rng, [
    0,
    -0,
    1,
    -1,
    around * 10,
    -around,
    1e-30,
    1e30,
    -1e30,
    3.4e38,
    65504,
    1e-7,
    NaN,
    Infinity,
    -Infinity,
    around + rng.next(),
  ]);
}
