import { OptionError, type Tensor, type TensorMap } from '@motiondelta/core';
import type { Model, SessionOptions } from '../model.js';
import { argmaxAgreement } from './argmax-agreement.js';
import { tensorError } from '../stats/tensor-error.js';
import { targetProblem, type CalibrationTarget, type ProfilePreprocessing, type ThresholdProfile } from './threshold-profile.js';

/** Options of {@link calibrateThresholds}. */
export interface CalibrationOptions {
  readonly target: CalibrationTarget;
  readonly backend?: SessionOptions['backend'];
  /**
   * The layout the frames are in (`SessionOptions.layout`): the model's own by default (NCHW for
   * an ONNX model's images), `'nhwc'` for channels-last frames such as `frameToTensor` gives. The
   * profile records the frames' shapes as given.
   */
  readonly layout?: SessionOptions['layout'];
  /**
   * Ratios inputThreshold / threshold to search, each with its own bisection; the one that meets
   * the target with the fewest MACs wins (the first listed on a tie). Default `[1]`. Each extra
   * ratio costs a full search, so `[0.25, 0.5, 1, 2]` takes about four times as long.
   */
  readonly inputRatios?: readonly number[];
  /**
   * For a `psnr` target: frames per window. The target holds when every run of this many
   * consecutive frames after the first has a window PSNR (from the mean of their squared errors,
   * as `motiondelta run` reports its worst window) of at least `target.psnr`; a stretch shorter
   * than the window is one window. Default 30 (about a second of video); 1 asks it of every frame.
   * Error settles over the first 100 to 200 frames of a clip, so a calibration meant to hold for a
   * whole clip needs frames covering that, not the first 20 (see docs/profiles/README.md).
   */
  readonly window?: number;
  /**
   * Session options the delta tries run with besides their thresholds, such as `refresh` or
   * `keyframeInterval` (the profile holds for a session given the same ones).
   */
  readonly session?: Pick<SessionOptions, 'refresh' | 'keyframeInterval'>;
  /** Bisection steps (in log space) per ratio. Default 6: the threshold within a factor of 1.15. */
  readonly steps?: number;
  /** Hears every threshold tried, for progress output. */
  readonly onTry?: (tried: CalibrationTry) => void;
  /**
   * How the frames were made from images (for example `{ scale: 1 / 255, offset: 0 }`): recorded
   * in the profile and compared by `checkProfile` when it is applied.
   */
  readonly preprocessing?: ProfilePreprocessing;
}

/** One threshold tried and what it gave on the calibration frames. */
export interface CalibrationTry {
  readonly threshold: number;
  readonly inputThreshold: number;
  /** Worst window's PSNR (see `CalibrationOptions.window`) over the frames run after the first (null when all exact). */
  readonly psnr: number | null;
  readonly maxAbsError: number;
  /** For an `argmaxAgreement` target: agreeing fraction over the frames run after the first. */
  readonly argmaxAgreement: number | null;
  /** MACs done / dense MACs over the frames run after the first. */
  readonly macsRatio: number;
  readonly meets: boolean;
  /**
   * Frames run, the first included. Fewer than given when the target was already missed: the
   * figures above then cover only these frames (the verdict would not change with more).
   */
  readonly frames: number;
}

type Frames = readonly Readonly<Record<string, Tensor>>[];

/** Default frames per window of a `psnr` target: about a second of video, as `motiondelta run` reports. */
export const PSNR_WINDOW = 30;

/** Searched thresholds, as fractions of the first frame's input value range. */
const LOW = 1e-4;
const HIGH = 0.5;

/**
 * Picks the largest single threshold (for every node, and for the input scaled by a ratio) whose
 * delta outputs still meet the target against dense inference on the given frames: larger
 * thresholds skip more updates, so the largest that meets the target does the fewest. For each
 * ratio the search bisects in log space between 1e-4 and 0.5 of the first frame's input value
 * range; when even the bottom misses, the profile falls back to threshold 0 (dense-exact).
 *
 * A try stops at the first frame that settles a miss (PSNR or max error past the target, or more
 * argmax disagreements than the target allows), so failing thresholds cost little. Dense
 * references are computed once. Deterministic: the same frames give the same profile.
 *
 * @example
 * ```ts
 * const profile = await calibrateThresholds(model, frames, { target: { psnr: 40 } });
 * await saveProfile('thresholds.json', profile);
 * const session = await model.createSession({ mode: 'delta', ...profileOptions(profile) });
 * ```
 */
export async function calibrateThresholds(model: Model, frames: Frames, options: CalibrationOptions): Promise<ThresholdProfile> {
  if (frames.length < 2) throw new OptionError(`Calibration needs at least 2 frames, got ${frames.length}.`);
  const target = options.target;
  const problem = targetProblem(target);
  if (problem)
    throw new OptionError(
      `Calibration ${problem}; accepted: { psnr: > 0 }, { maxAbsError: >= 0 } or { argmaxAgreement: 0..1, output: name }.`,
    );
  if ('argmaxAgreement' in target && !model.outputs.some((o) => o.name === target.output)) {
    throw new OptionError(
      `Calibration target output '${target.output}' is not an output of the model; outputs: ${model.outputs.map((o) => o.name).join(', ')}.`,
    );
  }
  const ratios = options.inputRatios ?? [1];
  if (ratios.length === 0 || !ratios.every((r) => Number.isFinite(r) && r > 0)) {
    throw new OptionError(`inputRatios must be numbers > 0, got [${ratios.join(', ')}].`);
  }
  const window = options.window ?? PSNR_WINDOW;
  if (!Number.isInteger(window) || window < 1) throw new OptionError(`window must be an integer >= 1 (frames), got ${window}.`);
  const steps = options.steps ?? 6;
  if (!Number.isInteger(steps) || steps < 0) throw new OptionError(`steps must be an integer >= 0, got ${steps}.`);

  const backend: { backend?: NonNullable<SessionOptions['backend']>; layout?: NonNullable<SessionOptions['layout']> } = {
    ...(options.backend && { backend: options.backend }),
    ...(options.layout && { layout: options.layout }),
  };
  const dense = await model.createSession({ mode: 'dense', ...backend });
  const references: TensorMap[] = [];
  try {
    for (const frame of frames) references.push(await dense.run(frame));
  } finally {
    dense.dispose();
  }

  const evaluate = async (threshold: number, inputThreshold: number): Promise<CalibrationTry> => {
    const tried = await tryThresholds(model, frames, references, target, window, {
      threshold,
      inputThreshold,
      ...options.session,
      ...backend,
    });
    options.onTry?.(tried);
    return tried;
  };

  const range = Math.max(...Object.values(frames[0]!).map((t) => valueRange(t.data)), 1e-6);
  let best: CalibrationTry | undefined;
  for (const ratio of ratios) {
    const found = await searchRatio(evaluate, ratio, LOW * range, HIGH * range, steps);
    if (found && (!best || found.macsRatio < best.macsRatio)) best = found;
  }
  // Even the bottom of the range misses: threshold 0 is dense up to float rounding.
  best ??= await evaluate(0, 0);
  return {
    version: 2,
    model: model.graph.source.location,
    modelFingerprint: await model.fingerprint(),
    inputShapes: Object.fromEntries(Object.entries(frames[0]!).map(([name, t]) => [name, [...t.shape]])),
    ...(options.preprocessing && { preprocessing: options.preprocessing }),
    threshold: best.threshold,
    inputThreshold: best.inputThreshold,
    nodeThresholds: {},
    target,
    achieved: {
      psnr: best.psnr,
      maxAbsError: best.maxAbsError,
      macsRatio: best.macsRatio,
      ...(best.argmaxAgreement !== null && { argmaxAgreement: best.argmaxAgreement }),
    },
    frames: frames.length,
    ...('psnr' in target && { window }),
    ...(options.session && { session: options.session }),
  };
}

/**
 * Largest threshold meeting the target at one input ratio, or undefined when even `lo` misses.
 * The top is tried first (cheap: few updates); the bottom (almost dense, the costliest try) only
 * when no bisection point met the target.
 */
async function searchRatio(
  evaluate: (threshold: number, inputThreshold: number) => Promise<CalibrationTry>,
  ratio: number,
  low: number,
  high: number,
  steps: number,
): Promise<CalibrationTry | undefined> {
  const top = await evaluate(high, high * ratio);
  if (top.meets) return top;
  let lo = low;
  let hi = high;
  let best: CalibrationTry | undefined;
  for (let step = 0; step < steps; step++) {
    const mid = Math.sqrt(lo * hi);
    const tried = await evaluate(mid, mid * ratio);
    if (tried.meets) {
      best = tried;
      lo = mid;
    } else hi = mid;
  }
  if (best) return best;
  const bottom = await evaluate(low, low * ratio);
  return bottom.meets ? bottom : undefined;
}

/** Runs one delta session over the frames and scores it against the dense references. */
async function tryThresholds(
  model: Model,
  frames: Frames,
  references: readonly TensorMap[],
  target: CalibrationTarget,
  window: number,
  sessionOptions: SessionOptions & { readonly threshold: number; readonly inputThreshold: number },
): Promise<CalibrationTry> {
  const session = await model.createSession({ mode: 'delta', ...sessionOptions });
  const outputs = model.outputs.map((o) => o.name);
  let worstPsnr = Number.POSITIVE_INFINITY;
  const windows = new WindowError(window, frames.length - 1);
  let maxAbs = 0;
  let agree = 0;
  let disagree = 0;
  // Every argmax pair of the later frames, known after the first reference.
  const argmaxOutput = 'argmaxAgreement' in target ? target.output : undefined;
  const argmaxTotal = argmaxOutput === undefined ? 0 : argmaxPairs(references[0]![argmaxOutput]!) * (frames.length - 1);
  let run = 0;
  let missed = false;
  let macsRatio = 0;
  try {
    for (const [i, frame] of frames.entries()) {
      const actual = await session.run(frame);
      run++;
      if (i === 0) continue;
      let framePsnr = Number.POSITIVE_INFINITY;
      for (const name of outputs) {
        const a = actual[name]!.data;
        const r = references[i]![name]!.data;
        const error = tensorError(a, r);
        framePsnr = Math.min(framePsnr, error.psnr);
        maxAbs = Math.max(maxAbs, error.maxAbs);
      }
      worstPsnr = Math.min(worstPsnr, windows.add(framePsnr));
      if (argmaxOutput !== undefined) {
        const count = argmaxAgreement(actual[argmaxOutput]!, references[i]![argmaxOutput]!);
        agree += count.agree;
        disagree += count.total - count.agree;
      }
      missed = misses(target, worstPsnr, maxAbs, disagree, argmaxTotal);
      if (missed) break;
    }
    const later = session.stats().frames.slice(1);
    macsRatio =
      later.reduce((s, f) => s + f.macs, 0) /
      Math.max(
        later.reduce((s, f) => s + f.denseMacs, 0),
        1,
      );
  } finally {
    session.dispose();
  }
  return {
    threshold: sessionOptions.threshold,
    inputThreshold: sessionOptions.inputThreshold,
    psnr: Number.isFinite(worstPsnr) ? worstPsnr : null,
    maxAbsError: maxAbs,
    argmaxAgreement: argmaxOutput === undefined ? null : agree / Math.max(agree + disagree, 1),
    macsRatio,
    meets: !missed,
    frames: run,
  };
}

/**
 * The worst window PSNR so far, frame by frame: a window's PSNR is that of the mean of its frames'
 * squared errors relative to their peaks (`10^(-psnr/10)`), so a few exact frames cannot hide a
 * run of poor ones. Windows are the runs of `window` consecutive frames of the `total` to come
 * (one window of all of them when fewer); a window counts once it is complete.
 */
class WindowError {
  readonly #size: number;
  readonly #errors: number[] = [];
  #sum = 0;

  constructor(window: number, total: number) {
    this.#size = Math.max(1, Math.min(window, total));
  }

  /** Adds a frame's PSNR (dB, Infinity when exact); returns the PSNR of the window it completes (Infinity when none). */
  add(psnr: number): number {
    const error = 10 ** (-psnr / 10);
    this.#errors.push(error);
    this.#sum += error;
    if (this.#errors.length > this.#size) this.#sum -= this.#errors.shift()!;
    if (this.#errors.length < this.#size) return Number.POSITIVE_INFINITY;
    // Subtracting what left the window can leave rounding dust; a window of exact frames is exact.
    const mean = Math.max(this.#sum, 0) / this.#size;
    return mean > 0 ? -10 * Math.log10(mean) : Number.POSITIVE_INFINITY;
  }
}

/**
 * Whether the figures so far already settle a miss. Each is monotone in the frames seen (a worst
 * window's PSNR only falls, a max error and a disagreement count only grow), so a miss now is a miss on
 * all frames, and the absence of one after the last frame is a hit.
 */
function misses(target: CalibrationTarget, worstPsnr: number, maxAbs: number, disagree: number, argmaxTotal: number): boolean {
  if ('psnr' in target) return !(worstPsnr >= target.psnr);
  if ('maxAbsError' in target) return !(maxAbs <= target.maxAbsError);
  return argmaxTotal - disagree < target.argmaxAgreement * argmaxTotal;
}

/** Argmax comparisons one frame of an NHWC output gives: one per image and channel. */
function argmaxPairs(tensor: Tensor): number {
  return (tensor.shape[0] ?? 1) * (tensor.shape[3] ?? 1);
}

function valueRange(data: Float32Array): number {
  let min = Infinity;
  let max = -Infinity;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max - min;
}
