import { OptionError, ShapeError, formatShape, type Tensor } from '@motiondelta/core';

/**
 * How a model's output is read when measuring what executing a block gained:
 * - `softmax`: segmentation logits, one distribution over the channels per pixel; gain is
 *   KL(previous || current) between the softmaxes, in nats (BlockCopy's measure).
 * - `sigmoid`: independent per-channel logits (binary or multi-label masks); gain is the Bernoulli
 *   KL(previous || current) per channel, averaged over channels.
 * - `heatmap`: keypoint heatmaps (posenet, blazepose); gain is the largest absolute change over the
 *   channels, divided by the largest absolute value either frame reaches anywhere (1 = a whole peak
 *   appeared or vanished).
 * - `regression`: maps whose values are the answer (super-resolution, text probability); gain is
 *   the mean squared change over channels divided by the squared value range of the previous map
 *   (the peak PSNR uses), so 1e-3 is a 30 dB local change.
 * - `generic`: any output; gain is the RMS change over channels divided by the previous output's
 *   RMS over the whole map (normalised output change).
 */
export type GainKind = 'softmax' | 'sigmoid' | 'heatmap' | 'regression' | 'generic';

/** Every {@link GainKind}, for option checks. */
export const GAIN_KINDS: readonly GainKind[] = ['softmax', 'sigmoid', 'heatmap', 'regression', 'generic'];

/** Throws OptionError unless `kind` is a {@link GainKind}. */
export function checkGainKind(kind: unknown): GainKind {
  if (typeof kind !== 'string' || !GAIN_KINDS.includes(kind as GainKind)) {
    throw new OptionError(`gain must be one of ${GAIN_KINDS.map((k) => `'${k}'`).join(', ')}; got ${String(kind)}.`);
  }
  return kind as GainKind;
}

/** A per-pixel gain map: `height` x `width` values, row-major. */
export interface GainMap {
  readonly height: number;
  readonly width: number;
  readonly data: Float64Array;
}

/**
 * The per-pixel information gain between two outputs of the same NHWC shape (a rank-2 or rank-3
 * output is read as one pixel per row, or as [N,H,W] with one channel), by `kind`.
 *
 * @example
 * ```ts
 * import { informationGain } from '@motiondelta/policy-rl';
 * const previous = { data: new Float32Array([0, 0]), shape: [1, 1, 1, 2] };
 * const current = { data: new Float32Array([2, 0]), shape: [1, 1, 1, 2] };
 * informationGain('softmax', current, previous).data[0]; // KL([.5,.5] || softmax([2,0])) ≈ 0.434
 * ```
 */
export function informationGain(kind: GainKind, current: Tensor, previous: Tensor): GainMap {
  if (current.shape.length !== previous.shape.length || current.shape.some((d, i) => d !== previous.shape[i])) {
    throw new ShapeError(
      `Information gain compares outputs of one shape; got ${formatShape(current.shape)} and ${formatShape(previous.shape)}.`,
    );
  }
  const { height, width, channels } = mapDims(current.shape);
  const a = previous.data;
  const b = current.data;
  const data = new Float64Array(height * width);
  switch (kind) {
    case 'softmax':
      for (let p = 0; p < data.length; p++) data[p] = softmaxKl(a, b, p * channels, channels);
      break;
    case 'sigmoid':
      for (let p = 0; p < data.length; p++) {
        let sum = 0;
        for (let c = p * channels; c < (p + 1) * channels; c++) sum += bernoulliKl(a[c]!, b[c]!);
        data[p] = sum / channels;
      }
      break;
    case 'heatmap': {
      const peak = Math.max(maxAbs(a), maxAbs(b));
      for (let p = 0; p < data.length; p++) {
        let m = 0;
        for (let c = p * channels; c < (p + 1) * channels; c++) m = Math.max(m, Math.abs(b[c]! - a[c]!));
        data[p] = peak > 0 ? m / peak : 0;
      }
      break;
    }
    case 'regression': {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of a) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      // A flat previous map has no range: fall back to 1 (probability maps and [0, 1] images).
      const range2 = hi > lo ? (hi - lo) * (hi - lo) : 1;
      for (let p = 0; p < data.length; p++) data[p] = meanSquaredChange(a, b, p * channels, channels) / range2;
      break;
    }
    case 'generic': {
      let energy = 0;
      for (const v of a) energy += v * v;
      const rms = Math.sqrt(energy / Math.max(1, a.length));
      for (let p = 0; p < data.length; p++) {
        const change = Math.sqrt(meanSquaredChange(a, b, p * channels, channels));
        data[p] = rms > 0 ? change / rms : change;
      }
      break;
    }
  }
  return { height, width, data };
}

/** Height, width and channels of an output read as a map (see {@link informationGain}). */
export function mapDims(shape: readonly number[]): { height: number; width: number; channels: number } {
  if (shape.length === 4) return { height: shape[0]! * shape[1]!, width: shape[2]!, channels: shape[3]! };
  if (shape.length === 3) return { height: shape[0]! * shape[1]!, width: shape[2]!, channels: 1 };
  if (shape.length === 2) return { height: shape[0]!, width: 1, channels: shape[1]! };
  if (shape.length === 1) return { height: 1, width: 1, channels: shape[0]! };
  throw new ShapeError(`Information gain reads outputs of rank 1 to 4; got ${formatShape(shape)}.`);
}

/** KL(softmax(a) || softmax(b)) over `n` logits from `offset`, computed stably in log space. */
function softmaxKl(a: Float32Array, b: Float32Array, offset: number, n: number): number {
  const la = logSumExp(a, offset, n);
  const lb = logSumExp(b, offset, n);
  let kl = 0;
  for (let c = offset; c < offset + n; c++) {
    const logP = a[c]! - la;
    kl += Math.exp(logP) * (logP - (b[c]! - lb));
  }
  return Math.max(0, kl);
}

function logSumExp(x: Float32Array, offset: number, n: number): number {
  let m = -Infinity;
  for (let c = offset; c < offset + n; c++) m = Math.max(m, x[c]!);
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (let c = offset; c < offset + n; c++) s += Math.exp(x[c]! - m);
  return m + Math.log(s);
}

/** KL(Bernoulli(sigmoid(a)) || Bernoulli(sigmoid(b))) for logits a, b. */
function bernoulliKl(a: number, b: number): number {
  const p = sigmoid(a);
  // log sigmoid(x) = -softplus(-x), log(1 - sigmoid(x)) = -softplus(x): no log of 0.
  const kl = p * (softplus(-b) - softplus(-a)) + (1 - p) * (softplus(b) - softplus(a));
  return Math.max(0, kl);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function meanSquaredChange(a: Float32Array, b: Float32Array, offset: number, n: number): number {
  let s = 0;
  for (let c = offset; c < offset + n; c++) {
    const d = b[c]! - a[c]!;
    s += d * d;
  }
  return s / n;
}

function maxAbs(x: Float32Array): number {
  let m = 0;
  for (const v of x) m = Math.max(m, Math.abs(v));
  return m;
}
