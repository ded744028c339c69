import { formatError, formatPsnr } from '../models/format-values.js';
import { equalErrorComparisons } from './equal-error.js';
import type { MotionBenchRow } from './motion-report.js';

const HEADER = [
  'model',
  'clip',
  'input',
  'backend',
  'frames',
  'threshold',
  'dense ms',
  'delta ms',
  'motion ms',
  'motion vs delta',
  'motion vs dense',
  'MACs delta/dense',
  'MACs motion/dense',
  'motion keyframes',
  'delta vs dense: PSNR dB / max abs',
  'motion vs motion at 0: PSNR dB / max abs',
  'motion vs dense, mapped: PSNR dB / max abs (compared)',
  'align ms',
];

const EQUAL_ERROR_HEADER = [
  'model',
  'clip',
  'backend',
  'motion threshold',
  'motion ms',
  'thresholding error PSNR dB',
  'delta ms at that PSNR',
  'delta interpolated from',
  'motion vs delta at equal error',
];

function ms(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toPrecision(3);
}

function x(v: number): string {
  return Number.isFinite(v) ? `${v.toFixed(2)}x` : 'n/a';
}

/** How a row names its clip: start frame and where the homographies came from. */
export function clipLabel(r: MotionBenchRow): string {
  return `${r.clip}${r.startFrame > 0 ? ` from ${r.startFrame}` : ''} (${r.truth === 'exact' ? 'exact H' : `estimated H${r.alignFailures ? `, ${r.alignFailures} failed` : ''}`})`;
}

/**
 * The rows as table cells: means per timed frame (keyframes included), ratios of mean times,
 * errors against dense on the same frame (worst frame).
 *
 * @example
 * ```ts
 * const { header, rows } = motionTableCells(report.rows);
 * ```
 */
export function motionTableCells(rows: readonly MotionBenchRow[]): { header: string[]; rows: string[][] } {
  return {
    header: HEADER,
    rows: rows.map((r) => {
      const keyframes =
        Object.entries(r.motion.keyframes)
          .map(([reason, n]) => `${n} ${reason}`)
          .join(', ') || '0';
      return [
        r.model,
        clipLabel(r),
        `${r.size[0]}x${r.size[1]}`,
        `${r.backend} (${r.threads} thr)`,
        String(r.timedFrames),
        String(r.threshold),
        ms(r.dense.meanMs),
        ms(r.delta.meanMs),
        ms(r.motion.meanMs),
        x(r.motionVsDelta),
        x(r.motionVsDense),
        r.delta.macsRatio.toFixed(3),
        r.motion.macsRatio.toFixed(3),
        keyframes,
        `${formatPsnr(r.delta.error.psnrDb)} / ${formatError(r.delta.error.maxAbs)}`,
        `${formatPsnr(r.motion.thresholdError.psnrDb)} / ${formatError(r.motion.thresholdError.maxAbs)}`,
        `${formatPsnr(r.motion.error.psnrDb)} / ${formatError(r.motion.error.maxAbs)} (${(r.motion.error.comparedFraction * 100).toFixed(0)}%)`,
        r.truth === 'exact' ? '-' : r.alignMs.toFixed(1),
      ];
    }),
  };
}

/**
 * Motion against delta at equal thresholding error ({@link equalErrorComparisons}) as table cells.
 *
 * @example
 * ```ts
 * const { header, rows } = equalErrorTableCells(report.rows);
 * ```
 */
export function equalErrorTableCells(rows: readonly MotionBenchRow[]): { header: string[]; rows: string[][] } {
  return {
    header: EQUAL_ERROR_HEADER,
    rows: equalErrorComparisons(rows, clipLabel).map((c) => [
      c.model,
      c.clip,
      c.backend,
      String(c.threshold),
      ms(c.motionMs),
      formatPsnr(c.psnrDb),
      ms(c.deltaMs),
      c.deltaFrom,
      x(c.motionVsDelta),
    ]),
  };
}

function markdown({ header, rows: body }: { header: string[]; rows: string[][] }): string {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n') + '\n';
}

/** The rows as a GitHub Markdown table, for docs/BENCHMARKS.md. */
export function motionMarkdownTable(rows: readonly MotionBenchRow[]): string {
  return markdown(motionTableCells(rows));
}

/** The equal-error comparison as a GitHub Markdown table, for docs/BENCHMARKS.md. */
export function equalErrorMarkdownTable(rows: readonly MotionBenchRow[]): string {
  return markdown(equalErrorTableCells(rows));
}
