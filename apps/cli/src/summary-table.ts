import Table from 'cli-table3';
import type { RunSummary } from './run-summary.js';
import { summaryToJson } from './summary-json.js';
import { blockRows } from './block/block-table.js';

/** PSNR for people: "exact" rather than "Infinity dB". */
export function formatPsnr(summary: Pick<RunSummary, 'psnr' | 'exact' | 'exactFrames' | 'frames'>): string {
  if (summary.exact) return 'exact (identical to dense)';
  const exactNote = summary.exactFrames > 0 ? ` (${summary.exactFrames} of ${summary.frames} frames exact, left out)` : '';
  return `${summary.psnr.toFixed(1)} dB${exactNote}`;
}

/** A windowed or percentile PSNR for people: "exact" rather than "Infinity dB". */
function formatDb(value: number): string {
  return value === Number.POSITIVE_INFINITY ? 'exact' : `${value.toFixed(1)} dB`;
}

/**
 * The summary as a two-column table, with skipped backends and their reasons below it.
 *
 * @example
 * process.stdout.write(renderSummaryTable(summary) + '\n');
 */
export function renderSummaryTable(summary: RunSummary): string {
  // Colours are for terminals; the table is also pasted into READMEs and CI logs.
  const table = new Table({ style: { head: [], border: [] } });
  const thresholds = `threshold ${summary.threshold ?? 0}${summary.inputThreshold === undefined ? '' : `, input ${summary.inputThreshold}`}`;
  const modeLabel =
    summary.mode === 'delta'
      ? `delta (${thresholds})`
      : summary.mode === 'motion'
        ? `motion (${thresholds}, align ${summary.motion?.align ?? 'estimate'})`
        : summary.mode === 'block' && summary.block
          ? `block (policy ${summary.block.policy}, target ${summary.block.targetRate}, blocks ${summary.block.blockSize} px, seed ${summary.block.seed})`
          : summary.mode;
  table.push(
    { model: `${summary.model.label} (${summary.model.task})` },
    {
      video: `${summary.video}, frames ${summary.perFrame[0]?.index ?? '-'}..${summary.perFrame.at(-1)?.index ?? '-'} at ${summary.inputSize[0]}x${summary.inputSize[1]}`,
    },
    { mode: modeLabel },
    { backend: summary.backend.id },
    { frames: String(summary.frames) },
    { 'frames/s': summary.fps.toFixed(2) },
    { 'dense frames/s': summary.denseFps.toFixed(2) },
    { 'speedup vs dense': `${summary.speedup.toFixed(2)}x` },
    {
      'steady-state speedup':
        summary.steadySpeedup === undefined
          ? `- (fewer than ${summary.warmupFrames + 2} frames)`
          : `${summary.steadySpeedup.toFixed(2)}x (after the first frame and ${summary.warmupFrames} warm-up frames)`,
    },
    { 'mean active fraction': summary.activeFraction.toFixed(3) },
    { 'MACs done / dense': summary.macsRatio.toFixed(3) },
    { 'PSNR vs dense (mean)': formatPsnr(summary) },
    ...(summary.psnrSpread
      ? [
          {
            [`PSNR worst ${summary.psnrSpread.frames}-frame window`]: `${formatDb(summary.psnrSpread.worstWindow)} (from frame ${summary.psnrSpread.worstWindowStart})`,
          },
          { [`PSNR last ${summary.psnrSpread.frames}-frame window`]: formatDb(summary.psnrSpread.lastWindow) },
          { 'PSNR 10th-percentile frame': formatDb(summary.psnrSpread.p10) },
        ]
      : []),
    { 'max abs error vs dense': summary.maxAbsError.toExponential(2) },
  );
  const reasons = summaryToJson(summary).keyframes;
  if (summary.mode !== 'dense') {
    const listed = Object.entries(reasons).map(([r, n]) => `${n} ${r}`);
    table.push({ 'keyframes by reason': listed.length > 0 ? listed.join(', ') : 'none' });
  }
  if (summary.sparse) {
    const { fraction, islands } = summary.sparse;
    const names = islands.map((i) => i.node);
    const listed = names.length > 3 ? `${names.slice(0, 3).join(', ')}, ...` : names.join(', ');
    table.push({
      'sparse part': `${(fraction * 100).toFixed(1)}% of MACs${islands.length > 0 ? `; ${islands.length} dense islands (${listed})` : ''}`,
    });
  }
  const motion = summary.mode === 'motion' ? summaryToJson(summary).motion : undefined;
  if (motion) {
    table.push(
      { keyframes: `${motion.keyframes} (${motion.alignFailures} after failed alignment)` },
      { 'viewport coverage (mean)': motion.coverage.toFixed(3) },
      { 'outputs compared (mean)': `${(motion.comparedFraction * 100).toFixed(1)}% (those mapping inside the frame)` },
      { 'alignment ms/frame': `${motion.alignMs.toFixed(1)} (not in frames/s)` },
      { 'state bytes (max)': `${(motion.stateBytes / 2 ** 20).toFixed(2)} MiB` },
    );
  }
  if (summary.block) table.push(...blockRows(summary.block));
  const skipped = summary.backend.skipped.map((s) => `  skipped backend ${s.id}: ${s.reason}`);
  return [table.toString(), ...skipped].join('\n');
}
