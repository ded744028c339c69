import Table from 'cli-table3';
import type { RunSummary } from './run-summary.js';
import { summaryToJson } from './summary-json.js';

/** PSNR for people: "exact" rather than "Infinity dB". */
export function formatPsnr(summary: Pick<RunSummary, 'psnr' | 'exact' | 'exactFrames' | 'frames'>): string {
  if (summary.exact) return 'exact (identical to dense)';
  const exactNote = summary.exactFrames > 0 ? ` (${summary.exactFrames} of ${summary.frames} frames exact, left out)` : '';
  return `${summary.psnr.toFixed(1)} dB${exactNote}`;
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
    { 'mean active fraction': summary.activeFraction.toFixed(3) },
    { 'MACs done / dense': summary.macsRatio.toFixed(3) },
    { 'PSNR vs dense (mean)': formatPsnr(summary) },
    { 'max abs error vs dense': summary.maxAbsError.toExponential(2) },
  );
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
  const skipped = summary.backend.skipped.map((s) => `  skipped backend ${s.id}: ${s.reason}`);
  return [table.toString(), ...skipped].join('\n');
}
