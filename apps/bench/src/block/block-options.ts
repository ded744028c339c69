import { OptionError } from '@motiondelta/core';
import { parseInteger, parseList } from '../models/bench-options.js';

/** Models of the block suite (the three: segmentation, text detection, keypoints). */
export const BLOCK_MODELS = ['selfie', 'ppocr-det', 'posenet'] as const;
export type BlockModel = (typeof BLOCK_MODELS)[number];

/** Clips: vtest (static camera, people walking) and cube (handheld camera). */
export const BLOCK_CLIPS = ['vtest', 'cube'] as const;
export type BlockClip = (typeof BLOCK_CLIPS)[number];

/** Policies compared at the same target rate. */
export const BENCH_POLICIES = ['rl', 'random', 'threshold'] as const;
export type BenchPolicy = (typeof BENCH_POLICIES)[number];

/** Delta thresholds swept for the comparison at similar error, in 0..255 pixel units. */
export const DEFAULT_DELTA_THRESHOLDS = [4, 16, 48] as const;

/** Everything one `bench block` run needs, validated. */
export interface BlockBenchOptions {
  readonly models: readonly BlockModel[];
  readonly clips: readonly BlockClip[];
  /** Frames per row, the first (every session's keyframe) included. */
  readonly frames: number;
  /** Frames after the first left out of the steady-state figures. */
  readonly warmup: number;
  /** First frame of each clip. */
  readonly start: number;
  /** Input side for ppocr-det (selfie and posenet take fixed sizes). */
  readonly size: number;
  readonly blockSize: number;
  readonly target: number;
  readonly policies: readonly BenchPolicy[];
  readonly thresholds: readonly number[];
  /** rl: network input pixels per block (BlockCopy's 32, or 16 or 8; see policy-rl). */
  readonly policyPixels: 8 | 16 | 32;
  readonly seed: number;
  readonly backend: string;
  readonly threads: number;
  readonly json?: string;
  readonly markdown: boolean;
}

/** The options as commander hands them over. */
export interface RawBlockBenchOptions {
  readonly models?: string;
  readonly clips?: string;
  readonly frames?: string;
  readonly warmup?: string;
  readonly start?: string;
  readonly size?: string;
  readonly blockSize?: string;
  readonly target?: string;
  readonly policies?: string;
  readonly thresholds?: string;
  readonly policyPixels?: string;
  readonly seed?: string;
  readonly backend?: string;
  readonly threads?: string;
  readonly json?: string;
  readonly markdown?: boolean;
}

function choices<T extends string>(option: string, value: string, allowed: readonly T[]): T[] {
  return parseList(option, value).map((item) => {
    if (!(allowed as readonly string[]).includes(item))
      throw new OptionError(`--${option}: unknown value '${item}'; accepted: ${allowed.join(', ')}.`);
    return item as T;
  });
}

function fraction(option: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n > 0 && n <= 1))
    throw new OptionError(`--${option}: expected a fraction in (0, 1], e.g. 0.4; got '${value}'.`);
  return n;
}

function thresholds(value: string): number[] {
  const list = parseList('thresholds', value).map((item) => {
    const t = Number(item);
    if (!Number.isFinite(t) || t < 0) throw new OptionError(`--thresholds: '${item}' is not a number >= 0; give a list such as 4,16,48.`);
    return t;
  });
  return [...new Set(list)].sort((a, b) => a - b);
}

/**
 * Validates the command line of `bench block`; every problem is an OptionError naming the option
 * and what it accepts.
 *
 * @example
 * ```ts
 * parseBlockBenchOptions({ models: 'selfie', clips: 'vtest', frames: '8' }, 2);
 * ```
 */
export function parseBlockBenchOptions(raw: RawBlockBenchOptions, defaultThreads: number): BlockBenchOptions {
  const frames = raw.frames === undefined ? 40 : parseInteger('frames', raw.frames, 2);
  const warmup = raw.warmup === undefined ? 5 : parseInteger('warmup', raw.warmup, 0);
  if (warmup >= frames - 1)
    throw new OptionError(`--warmup ${warmup} leaves no steady frame of --frames ${frames} (the first is a keyframe).`);
  const pixels = raw.policyPixels === undefined ? 8 : parseInteger('policy-pixels', raw.policyPixels, 1);
  if (pixels !== 8 && pixels !== 16 && pixels !== 32) throw new OptionError(`--policy-pixels: expected 8, 16 or 32; got ${pixels}.`);
  return {
    models: raw.models === undefined ? [...BLOCK_MODELS] : choices('models', raw.models, BLOCK_MODELS),
    clips: raw.clips === undefined ? [...BLOCK_CLIPS] : choices('clips', raw.clips, BLOCK_CLIPS),
    frames,
    warmup,
    start: raw.start === undefined ? 0 : parseInteger('start', raw.start, 0),
    size: raw.size === undefined ? 256 : parseInteger('size', raw.size, 32),
    blockSize: raw.blockSize === undefined ? 64 : parseInteger('block-size', raw.blockSize, 1),
    target: raw.target === undefined ? 0.4 : fraction('target', raw.target),
    policies: raw.policies === undefined ? [...BENCH_POLICIES] : choices('policies', raw.policies, BENCH_POLICIES),
    thresholds: raw.thresholds === undefined ? [...DEFAULT_DELTA_THRESHOLDS] : thresholds(raw.thresholds),
    policyPixels: pixels,
    seed: raw.seed === undefined ? 1 : parseInteger('seed', raw.seed, 0),
    backend: raw.backend ?? 'cpu-native',
    threads: raw.threads === undefined ? defaultThreads : parseInteger('threads', raw.threads, 1),
    ...(raw.json !== undefined && { json: raw.json }),
    markdown: raw.markdown ?? false,
  };
}
