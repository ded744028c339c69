import { OptionError } from '@motiondelta/core';
import { MODEL_IDS, type ModelId } from '@motiondelta/data';

/**
 * Modes this harness knows how to benchmark frame by frame on one stream. Whether the runtime
 * supports a mode is the runtime's call: an unsupported one fails with the runtime's message.
 */
export const BENCH_MODES = ['dense', 'delta'] as const;
export type BenchMode = (typeof BENCH_MODES)[number];

export const BENCH_CLIPS = ['vtest', 'cube'] as const;
export type BenchClip = (typeof BENCH_CLIPS)[number];

/** Everything one `bench models` run needs, validated. */
export interface ModelsBenchOptions {
  readonly models: readonly ModelId[];
  readonly clips: readonly BenchClip[];
  /** Timed frames per pass; per-model default when absent. */
  readonly frames?: number;
  /** Untimed frames before the timed ones; per-model default when absent. */
  readonly warmup?: number;
  /** First clip frame fed (the first warm-up frame); default 0. */
  readonly start: number;
  /** Passes over the frames; each pass restarts our session from a keyframe. */
  readonly iterations: number;
  readonly modes: readonly BenchMode[];
  /** Backend ids of the graph runtime, one row each (no fallback: a benchmark names its backend). */
  readonly backends: readonly string[];
  /** Threads given to the dense engines and to the cpu-native backend. */
  readonly threads: number;
  /** Input [height, width] override for models that take any size. */
  readonly size?: readonly [number, number];
  /** Default delta threshold, for delta rows only. */
  readonly threshold?: number;
  /** Delta input threshold, for delta rows only. */
  readonly inputThreshold?: number;
  /** Folder of calibrated profiles, `<model>.thresholds.json`, for delta rows (instead of the thresholds). */
  readonly profiles?: string;
  /** Also time tfjs-backend-cpu for TF.js models (slow: about as slow as the reference backend). */
  readonly tfjsCpu: boolean;
  /** Where to write the JSON results. */
  readonly json?: string;
  /** Print the Markdown table on stdout. */
  readonly markdown: boolean;
}

/** The options as commander hands them over: strings, or booleans for flags. */
export interface RawModelsBenchOptions {
  readonly models?: string;
  readonly clip?: string;
  readonly frames?: string;
  readonly warmup?: string;
  readonly start?: string;
  readonly iterations?: string;
  readonly modes?: string;
  readonly backends?: string;
  readonly threads?: string;
  readonly size?: string;
  readonly threshold?: string;
  readonly inputThreshold?: string;
  readonly profiles?: string;
  readonly tfjsCpu?: boolean;
  readonly json?: string;
  readonly markdown?: boolean;
}

/** Splits a comma-separated list, dropping blanks; an empty result is an error. */
export function parseList(option: string, value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new OptionError(`--${option} needs at least one value, got '${value}'.`);
  return [...new Set(items)];
}

function parseChoices<T extends string>(option: string, value: string, allowed: readonly T[]): T[] {
  return parseList(option, value).map((item) => {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new OptionError(`--${option}: unknown value '${item}'; accepted: ${allowed.join(', ')}.`);
    }
    return item as T;
  });
}

/** Parses an integer of at least `min` (decimal digits only, so '2.5' or '1e3' are refused). */
export function parseInteger(option: string, value: string, min: number): number {
  if (!/^\d+$/.test(value.trim())) throw new OptionError(`--${option} must be an integer >= ${min}, got '${value}'.`);
  const n = Number(value.trim());
  if (!Number.isSafeInteger(n) || n < min) throw new OptionError(`--${option} must be an integer >= ${min}, got '${value}'.`);
  return n;
}

/** Parses `HxW` (for example `288x384`) into [height, width]. */
export function parseSize(value: string): [number, number] {
  const match = /^\s*(\d+)\s*[xX]\s*(\d+)\s*$/.exec(value);
  const h = Number(match?.[1]);
  const w = Number(match?.[2]);
  if (!match || !(h >= 1) || !(w >= 1))
    throw new OptionError(`--size must be HxW with positive integers (for example 288x384), got '${value}'.`);
  return [h, w];
}

function parseThreshold(option: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new OptionError(`--${option} must be a number >= 0, got '${value}'.`);
  return n;
}

/**
 * Validates the command line of `bench models` and fills in defaults. Every problem is an
 * `OptionError` naming the option and what it accepts.
 *
 * @example
 * ```ts
 * const options = parseModelsBenchOptions({ models: 'selfie', frames: '2', size: '64x64' }, 2);
 * ```
 */
export function parseModelsBenchOptions(raw: RawModelsBenchOptions, defaultThreads: number): ModelsBenchOptions {
  const frames = raw.frames === undefined ? undefined : parseInteger('frames', raw.frames, 1);
  const warmup = raw.warmup === undefined ? undefined : parseInteger('warmup', raw.warmup, 0);
  const size = raw.size === undefined ? undefined : parseSize(raw.size);
  const threshold = raw.threshold === undefined ? undefined : parseThreshold('threshold', raw.threshold);
  const inputThreshold = raw.inputThreshold === undefined ? undefined : parseThreshold('input-threshold', raw.inputThreshold);
  const modes: BenchMode[] = raw.modes === undefined ? ['dense'] : parseChoices('modes', raw.modes, BENCH_MODES);
  if (raw.profiles !== undefined) {
    if (threshold !== undefined || inputThreshold !== undefined) {
      throw new OptionError('--profiles sets the delta thresholds per model: give either --profiles or --threshold / --input-threshold.');
    }
    if (!modes.includes('delta'))
      throw new OptionError('--profiles holds delta thresholds: add delta to --modes (for example --modes dense,delta).');
  }
  return {
    models: raw.models === undefined ? [...MODEL_IDS] : parseChoices('models', raw.models, MODEL_IDS),
    clips: raw.clip === undefined ? ['vtest'] : parseChoices('clip', raw.clip, BENCH_CLIPS),
    ...(frames !== undefined && { frames }),
    ...(warmup !== undefined && { warmup }),
    start: raw.start === undefined ? 0 : parseInteger('start', raw.start, 0),
    iterations: raw.iterations === undefined ? 1 : parseInteger('iterations', raw.iterations, 1),
    modes,
    backends: raw.backends === undefined ? ['cpu-native'] : parseList('backends', raw.backends),
    threads: raw.threads === undefined ? defaultThreads : parseInteger('threads', raw.threads, 1),
    ...(size !== undefined && { size }),
    ...(threshold !== undefined && { threshold }),
    ...(inputThreshold !== undefined && { inputThreshold }),
    ...(raw.profiles !== undefined && { profiles: raw.profiles }),
    tfjsCpu: raw.tfjsCpu ?? false,
    ...(raw.json !== undefined && { json: raw.json }),
    markdown: raw.markdown ?? false,
  };
}
