import type { BlockBenchRow } from './measure-block-rows.js';
import { runLabel } from './measure-block-rows.js';

const HEADER = [
  'model',
  'clip',
  'size',
  'run',
  'steady ms',
  'warm-up ms',
  'keyframe ms',
  'speed vs dense',
  'MACs / dense',
  'executed (steady / last 100)',
  'policy ms',
  'PSNR vs dense (dB)',
  'worst frame (dB)',
  'delta at nearest PSNR',
];

const db = (v: number | null): string => (v === null ? 'exact' : v.toFixed(1));

/**
 * For a block row, the delta row of the same model and clip whose PSNR is nearest (the sweep
 * point, not an interpolation) and its speed: "block vs delta at similar error".
 */
function nearestDelta(row: BlockBenchRow, rows: readonly BlockBenchRow[]): string {
  if (row.run.mode !== 'block' || row.psnrDb === null) return '';
  const deltas = rows.filter((r) => r.model === row.model && r.clip === row.clip && r.run.mode === 'delta');
  let best: BlockBenchRow | undefined;
  for (const d of deltas) {
    const dist = Math.abs((d.psnrDb ?? 200) - row.psnrDb);
    if (!best || dist < Math.abs((best.psnrDb ?? 200) - row.psnrDb)) best = d;
  }
  return best ? `${runLabel(best.run)}: ${db(best.psnrDb)} dB, ${best.speedVsDense.toFixed(2)}x` : '';
}

/**
 * The rows as table cells (for the console and Markdown alike).
 *
 * @example
 * ```ts
 * const { header, rows } = blockTableCells(report.rows);
 * ```
 */
export function blockTableCells(rows: readonly BlockBenchRow[]): { header: string[]; rows: string[][] } {
  return {
    header: HEADER,
    rows: rows.map((r) => [
      r.model,
      r.clip,
      `${r.size[0]}x${r.size[1]}`,
      runLabel(r.run),
      r.steadyMs.toFixed(1),
      r.warmupMs.toFixed(1),
      r.keyframeMs.toFixed(1),
      `${r.speedVsDense.toFixed(2)}x`,
      r.macsRatio.toFixed(3),
      r.executedRate === undefined ? '' : `${r.executedRate.toFixed(3)} / ${r.lastRate!.toFixed(3)}`,
      r.policyMs === undefined ? '' : r.policyMs.toFixed(1),
      r.run.mode === 'dense' ? 'reference' : db(r.psnrDb),
      r.run.mode === 'dense' ? '' : db(r.worstPsnrDb),
      nearestDelta(r, rows),
    ]),
  };
}

/**
 * The rows as a Markdown table for docs/BENCHMARKS.md.
 *
 * @example
 * ```ts
 * process.stdout.write(blockMarkdownTable(report.rows));
 * ```
 */
export function blockMarkdownTable(rows: readonly BlockBenchRow[]): string {
  const { header, rows: cells } = blockTableCells(rows);
  const line = (c: readonly string[]): string => `| ${c.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...cells.map(line)].join('\n') + '\n';
}
