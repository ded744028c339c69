import type { MotionBenchRow } from './motion-report.js';

/** Motion at one threshold against delta interpolated to the same thresholding error. */
export interface EqualErrorComparison {
  readonly model: string;
  /** The clip's label as the main table writes it. */
  readonly clip: string;
  readonly backend: string;
  readonly threshold: number;
  readonly motionMs: number;
  /** Motion's thresholding error (against motion at threshold 0); null: identical. */
  readonly psnrDb: number | null;
  /** Delta's mean ms at the same PSNR, interpolated between the two sweep points around it. */
  readonly deltaMs: number;
  /** Which delta points the time came from, in words. */
  readonly deltaFrom: string;
  /** `deltaMs / motionMs`: above 1, motion is faster at equal error. */
  readonly motionVsDelta: number;
}

interface Point {
  readonly threshold: number;
  readonly psnr: number;
  readonly ms: number;
}

const psnrOf = (db: number | null): number => db ?? Number.POSITIVE_INFINITY;

/**
 * Delta's mean time at a PSNR, from its sweep points: linear in PSNR between the two points that
 * bracket it; between an exact point (infinite PSNR) and the next, the next point's time. Above
 * the most accurate point, that point's time; below the least accurate, the fastest point's time,
 * which flatters delta (it is more accurate there than the motion run it is compared with) and is
 * said so.
 */
function deltaAt(points: readonly Point[], psnr: number): { ms: number; from: string } {
  const byPsnr = [...points].sort((a, b) => b.psnr - a.psnr);
  const best = byPsnr[0]!;
  const worst = byPsnr.at(-1)!;
  const label = (p: Point): string => `t=${p.threshold} (${Number.isFinite(p.psnr) ? `${p.psnr.toFixed(1)} dB` : 'exact'})`;
  if (psnr >= best.psnr) return { ms: best.ms, from: label(best) };
  if (psnr === worst.psnr) return { ms: worst.ms, from: label(worst) };
  if (psnr < worst.psnr) return { ms: Math.min(...points.map((p) => p.ms)), from: `fastest point; ${label(worst)} is still more accurate` };
  for (let i = 0; i + 1 < byPsnr.length; i++) {
    const a = byPsnr[i]!;
    const b = byPsnr[i + 1]!;
    if (psnr <= a.psnr && psnr >= b.psnr) {
      // a.psnr may be infinite (threshold 0 is exact): then take b's time, the nearest finite point.
      const f = Number.isFinite(a.psnr) ? (a.psnr - psnr) / (a.psnr - b.psnr) : 1;
      return { ms: a.ms + f * (b.ms - a.ms), from: `${label(a)} .. ${label(b)}` };
    }
  }
  return { ms: worst.ms, from: label(worst) };
}

/**
 * "Motion against delta at equal error": for every motion run above threshold 0, delta's time at
 * the same thresholding error, interpolated over delta's own sweep on the same clip and backend.
 * Each mode's error is against itself at threshold 0 (delta: dense on the frame; motion: dense on
 * the aligned viewport), so the comparison is of what the thresholds cost, not of the warp.
 *
 * @example
 * ```ts
 * for (const c of equalErrorComparisons(report.rows)) console.log(c.clip, c.threshold, c.motionVsDelta);
 * ```
 */
export function equalErrorComparisons(
  rows: readonly MotionBenchRow[],
  clipLabel: (r: MotionBenchRow) => string = (r) => r.clip,
): EqualErrorComparison[] {
  const groups = new Map<string, MotionBenchRow[]>();
  for (const r of rows) {
    const key = [r.model, r.clip, r.startFrame, r.size.join('x'), r.backend, r.threads].join('|');
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: EqualErrorComparison[] = [];
  for (const group of groups.values()) {
    const points = group.map((r) => ({ threshold: r.threshold, psnr: psnrOf(r.delta.error.psnrDb), ms: r.delta.meanMs }));
    for (const r of group) {
      if (r.threshold === 0) continue;
      const { ms, from } = deltaAt(points, psnrOf(r.motion.thresholdError.psnrDb));
      out.push({
        model: r.model,
        clip: clipLabel(r),
        backend: `${r.backend} (${r.threads} thr)`,
        threshold: r.threshold,
        motionMs: r.motion.meanMs,
        psnrDb: r.motion.thresholdError.psnrDb,
        deltaMs: ms,
        deltaFrom: from,
        motionVsDelta: ms / r.motion.meanMs,
      });
    }
  }
  return out;
}
