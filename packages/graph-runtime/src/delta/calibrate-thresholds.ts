import { OptionError, type Tensor } from '@motiondelta/core';
import type { Model, SessionOptions } from '../model.js';
import type { CalibrationTarget, ThresholdProfile } from './threshold-profile.js';

/** Options of {@link calibrateThresholds}. */
export interface CalibrationOptions {
  readonly target: CalibrationTarget;
  readonly backend?: SessionOptions['backend'];
  /** inputThreshold = threshold * inputRatio. Default 1. */
  readonly inputRatio?: number;
  /** Bisection steps (in log space). Default 10. */
  readonly steps?: number;
  /** Hears every threshold tried, for progress output. */
  readonly onTry?: (tried: CalibrationTry) => void;
}

/** One threshold tried and what it gave on the calibration frames. */
export interface CalibrationTry {
  readonly threshold: number;
  /** Worst output's PSNR over all frames after the first (null when exact). */
  readonly psnr: number | null;
  readonly maxAbsError: number;
  /** MACs done / dense MACs over the frames after the first. */
  readonly macsRatio: number;
  readonly meets: boolean;
}

type Frames = readonly Readonly<Record<string, Tensor>>[];

/**
 * Picks the largest single threshold (for every node, and for the input scaled by `inputRatio`)
 * whose delta outputs still meet the target against dense inference on the given frames: larger
 * thresholds skip more updates, so the largest that meets the target does the fewest. The search
 * bisects in log space between 1e-4 and 0.5 of the first frame's input value range.
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
  if ('psnr' in target ? !(target.psnr > 0) : !(target.maxAbsError >= 0)) {
    throw new OptionError('Calibration target must be { psnr: > 0 } or { maxAbsError: >= 0 }.');
  }
  const inputRatio = options.inputRatio ?? 1;
  const dense = await model.createSession({ mode: 'dense', ...(options.backend ? { backend: options.backend } : {}) });
  const references: Record<string, Tensor>[] = [];
  for (const frame of frames) references.push(await dense.run(frame));

  const evaluate = async (threshold: number): Promise<CalibrationTry> => {
    const session = await model.createSession({
      mode: 'delta',
      threshold,
      inputThreshold: threshold * inputRatio,
      ...(options.backend ? { backend: options.backend } : {}),
    });
    const outputs = model.outputs.map((o) => o.name);
    const squared = new Map(outputs.map((n) => [n, { se: 0, count: 0, min: Infinity, max: -Infinity }]));
    let maxAbs = 0;
    for (const [i, frame] of frames.entries()) {
      const actual = await session.run(frame);
      if (i === 0) continue;
      for (const name of outputs) {
        const a = actual[name]!.data;
        const r = references[i]![name]!.data;
        const acc = squared.get(name)!;
        for (let j = 0; j < r.length; j++) {
          const d = a[j]! - r[j]!;
          acc.se += d * d;
          maxAbs = Math.max(maxAbs, Math.abs(d));
          if (r[j]! < acc.min) acc.min = r[j]!;
          if (r[j]! > acc.max) acc.max = r[j]!;
        }
        acc.count += r.length;
      }
    }
    let worst = Infinity;
    for (const acc of squared.values()) {
      const mse = acc.se / Math.max(acc.count, 1);
      const peak = acc.max - acc.min || 1;
      worst = Math.min(worst, mse === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse));
    }
    const later = session.stats().frames.slice(1);
    const macsRatio = later.reduce((s, f) => s + f.macs, 0) / Math.max(later.reduce((s, f) => s + f.denseMacs, 0), 1);
    const meets = 'psnr' in target ? worst >= target.psnr : maxAbs <= target.maxAbsError;
    const tried = { threshold, psnr: Number.isFinite(worst) ? worst : null, maxAbsError: maxAbs, macsRatio, meets };
    options.onTry?.(tried);
    return tried;
  };

  const first = frames[0]!;
  const range = Math.max(...Object.values(first).map((t) => valueRange(t.data)), 1e-6);
  let best = await evaluate(0);
  let hi = 0.5 * range;
  let lo = 1e-4 * range;
  const top = await evaluate(hi);
  if (top.meets) best = top;
  else {
    const bottom = await evaluate(lo);
    if (bottom.meets) {
      best = bottom;
      for (let step = 0; step < (options.steps ?? 10); step++) {
        const mid = Math.sqrt(lo * hi);
        const tried = await evaluate(mid);
        if (tried.meets) {
          best = tried;
          lo = mid;
        } else hi = mid;
      }
    }
  }
  return {
    version: 1,
    model: model.graph.source.location,
    threshold: best.threshold,
    inputThreshold: best.threshold * inputRatio,
    nodeThresholds: {},
    target,
    achieved: { psnr: best.psnr, maxAbsError: best.maxAbsError, macsRatio: best.macsRatio },
    frames: frames.length,
  };
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
