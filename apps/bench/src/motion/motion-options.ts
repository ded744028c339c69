import { OptionError } from '@motiondelta/core';
import { parseInteger, parseList, parseSize } from '../models/bench-options.js';

/** Clips of the motion suite: the real handheld cube clip, and synthetic pans and rotations over a photo. */
export const MOTION_CLIPS = ['cube', 'street', 'pan', 'rotation'] as const;
export type MotionClip = (typeof MOTION_CLIPS)[number];

/** Models the suite knows how to feed (any input size, or a fixed one). */
export const MOTION_MODELS = ['esrgan-x2', 'posenet', 'selfie'] as const;
export type MotionModel = (typeof MOTION_MODELS)[number];

/**
 * The cube clip's camera is still for its first ~18 frames (estimated homographies within a tenth
 * of a pixel of the identity), then pans about 25 pixels and turns about 8 degrees by frame 70.
 */
export const DEFAULT_CUBE_START = 20;

/**
 * Thresholds swept by default (on esrgan's 0..255 inputs and on every node): 0 is exact, 2 lies
 * below the resampling noise of a sub-pixel warp, 4-16 above it.
 */
export const DEFAULT_THRESHOLDS = [0, 2, 4, 8, 16] as const;

/** `--thresholds`: numbers >= 0, comma-separated; 0 is added (it is the reference), sorted ascending. */
function parseThresholds(value: string): number[] {
  const values = parseList('thresholds', value).map((item) => {
    const t = Number(item);
    if (!Number.isFinite(t) || t < 0)
      throw new OptionError(`--thresholds: '${item}' is not a number >= 0; give a comma-separated list such as 0,4,8.`);
    return t;
  });
  return [...new Set([0, ...values])].sort((a, b) => a - b);
}

/** Everything one `bench motion` run needs, validated. */
export interface MotionBenchOptions {
  readonly models: readonly MotionModel[];
  readonly clips: readonly MotionClip[];
  /** Timed frames per row (after the first, a keyframe for every mode, which is not timed). */
  readonly frames: number;
  /** First frame of the cube clip (its camera is still until about frame 18). */
  readonly cubeStart: number;
  /** Input [height, width] for models that take any size. */
  readonly size: readonly [number, number];
  readonly backends: readonly string[];
  readonly threads: number;
  /**
   * Node and input thresholds swept, ascending, always starting at 0: each is run by a delta and a
   * motion session, and the threshold-0 runs are the references of the thresholding error.
   */
  readonly thresholds: readonly number[];
  readonly json?: string;
  readonly markdown: boolean;
}

/** The options as commander hands them over. */
export interface RawMotionBenchOptions {
  readonly models?: string;
  readonly clips?: string;
  readonly frames?: string;
  readonly cubeStart?: string;
  readonly size?: string;
  readonly backends?: string;
  readonly threads?: string;
  readonly thresholds?: string;
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

/**
 * Validates the command line of `bench motion`; every problem is an OptionError naming the
 * option and what it accepts.
 *
 * @example
 * ```ts
 * parseMotionBenchOptions({ clips: 'pan', frames: '4', size: '48x64' }, 2);
 * ```
 */
export function parseMotionBenchOptions(raw: RawMotionBenchOptions, defaultThreads: number): MotionBenchOptions {
  const size = raw.size === undefined ? ([144, 192] as const) : parseSize(raw.size);
  return {
    models: raw.models === undefined ? ['esrgan-x2'] : choices('models', raw.models, MOTION_MODELS),
    clips: raw.clips === undefined ? [...MOTION_CLIPS] : choices('clips', raw.clips, MOTION_CLIPS),
    frames: raw.frames === undefined ? 16 : parseInteger('frames', raw.frames, 1),
    cubeStart: raw.cubeStart === undefined ? DEFAULT_CUBE_START : parseInteger('cube-start', raw.cubeStart, 0),
    size,
    backends: raw.backends === undefined ? ['cpu-native'] : parseList('backends', raw.backends),
    threads: raw.threads === undefined ? defaultThreads : parseInteger('threads', raw.threads, 1),
    thresholds: raw.thresholds === undefined ? [...DEFAULT_THRESHOLDS] : parseThresholds(raw.thresholds),
    ...(raw.json !== undefined && { json: raw.json }),
    markdown: raw.markdown ?? false,
  };
}
