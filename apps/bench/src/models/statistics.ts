/**
 * Median of a sample (mean of the two middle values for even sizes). Medians, not means, because
 * one descheduled frame on a shared machine should not move the result.
 *
 * @example
 * ```ts
 * median([3, 1, 2]); // 2
 * median([4, 1, 3, 2]); // 2.5
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Frames per second from a per-frame time in milliseconds. */
export function framesPerSecond(msPerFrame: number): number {
  if (!(msPerFrame > 0)) throw new RangeError(`frame time must be positive, got ${msPerFrame} ms`);
  return 1000 / msPerFrame;
}

/**
 * `numerator / denominator`, or null when the ratio means nothing (a zero or missing
 * denominator), so a JSON reader never meets Infinity or NaN.
 */
export function ratio(numerator: number, denominator: number): number | null {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator === 0) return null;
  return numerator / denominator;
}

/** Timing summary of one engine over the timed frames of a row. */
export interface TimingSummary {
  /** Every timed frame, in run order (frames of pass 1, then pass 2, ...). */
  readonly samplesMs: readonly number[];
  readonly medianMs: number;
  /** Frames per second at the median frame time. */
  readonly fps: number;
}

/** Median and frames per second of a sample of frame times. */
export function summarizeTimings(samplesMs: readonly number[]): TimingSummary {
  const medianMs = median(samplesMs);
  return { samplesMs: [...samplesMs], medianMs, fps: framesPerSecond(medianMs) };
}
