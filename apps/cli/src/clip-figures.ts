/**
 * Figures of a whole clip beyond the mean, so that a run says how bad it gets, not only how it
 * averages: error settles over hundreds of frames (it plateaus well below the first frames'), and
 * the keyframe and the first frames flatter or spoil an overall speedup. Pure functions of the
 * per-frame figures; the summary, the JSON and the report all use these.
 */

/** Frames in a window of the windowed PSNR figures (about a second of video). */
export const PSNR_WINDOW = 30;

/** Frames after the first (keyframe) that the steady-state speedup leaves out as warm-up. */
export const WARMUP_FRAMES = 5;

/**
 * The PSNR of a window of frames, from their per-frame PSNR values in dB: the mean of their
 * squared errors (each relative to its frame's peak, `10^(−psnr/10)`) turned back into dB. Exact
 * frames (`Infinity`) add no error; a window of exact frames is `Infinity`. A mean of the dB values
 * themselves would let a few nearly exact frames (130 dB) hide a run of 28 dB frames; the mean
 * error cannot.
 *
 * @example
 * ```ts
 * windowPsnr([30, 30]); // 30
 * windowPsnr([30, Infinity]); // 33.01 (half the error of a 30 dB frame)
 * ```
 */
export function windowPsnr(psnr: readonly number[]): number {
  if (psnr.length === 0) return Number.POSITIVE_INFINITY;
  const mse = psnr.reduce((a, p) => a + 10 ** (-p / 10), 0) / psnr.length;
  return mse === 0 ? Number.POSITIVE_INFINITY : -10 * Math.log10(mse);
}

/**
 * The worst (lowest) {@link windowPsnr} over every run of `window` consecutive frames (the whole
 * clip when it is shorter), and where that window starts; `undefined` for no frames.
 *
 * @example
 * ```ts
 * worstWindow([50, 40, 30, 45], 2); // { start: 1, psnr: 32.6, frames: 2 }
 * ```
 */
export function worstWindow(
  psnr: readonly number[],
  window = PSNR_WINDOW,
): { readonly start: number; readonly psnr: number; readonly frames: number } | undefined {
  if (psnr.length === 0) return undefined;
  const w = Math.max(1, Math.min(window, psnr.length));
  let worst = { start: 0, psnr: windowPsnr(psnr.slice(0, w)), frames: w };
  for (let s = 1; s + w <= psnr.length; s++) {
    const p = windowPsnr(psnr.slice(s, s + w));
    if (p < worst.psnr) worst = { start: s, psnr: p, frames: w };
  }
  return worst;
}

/**
 * The {@link windowPsnr} of the last `window` frames (the whole clip when shorter): where the error
 * has settled by the end of the run. `undefined` for no frames.
 *
 * @example
 * ```ts
 * lastWindow([50, 40, 30, 45], 2); // 32.9
 * ```
 */
export function lastWindow(psnr: readonly number[], window = PSNR_WINDOW): number | undefined {
  if (psnr.length === 0) return undefined;
  return windowPsnr(psnr.slice(Math.max(0, psnr.length - window)));
}

/**
 * The `p`-th percentile frame (nearest rank, `p` in (0, 100]) of per-frame values, exact frames
 * (`Infinity`) included: the 10th percentile of PSNR is a frame that 90% of the clip beats.
 * `undefined` for no frames.
 *
 * @example
 * ```ts
 * percentile([31, 45, 40, 38, 50, 42, 39, 41, 44, 43], 10); // 31
 * ```
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}.`);
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}

/**
 * Dense time over mode time on the frames after the first (the keyframe) and `warmup` more: the
 * speed a long run settles at, next to the overall one that the keyframe and warm-up weigh on in
 * short runs. `undefined` when no frame is left or the mode took no time.
 *
 * @example
 * ```ts
 * steadySpeedup([{ ms: 10, denseMs: 10 }, { ms: 5, denseMs: 10 }, { ms: 2, denseMs: 10 }], 1); // 5
 * ```
 */
export function steadySpeedup(
  frames: readonly { readonly ms: number; readonly denseMs: number }[],
  warmup = WARMUP_FRAMES,
): number | undefined {
  const rest = frames.slice(1 + warmup);
  const ms = rest.reduce((a, f) => a + f.ms, 0);
  if (rest.length === 0 || !(ms > 0)) return undefined;
  return rest.reduce((a, f) => a + f.denseMs, 0) / ms;
}
