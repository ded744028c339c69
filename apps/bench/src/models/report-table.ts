import type { EngineTiming, ModelBenchRow } from './bench-report.js';
import { formatError, formatFps, formatGmac, formatInputSize, formatPsnr, formatSpeedup } from './format-values.js';

/** A table as header cells and body rows of text cells, before any rendering. */
export interface TextTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

function otherEngines(engines: readonly EngineTiming[]): string {
  return engines.map((e) => `${e.name}: ${formatFps(e.fps)} fps (${formatSpeedup(e.speedup)})`).join('; ');
}

/**
 * Measured speedup over the baseline divided by the ideal speedup (dense MACs / MACs done): 1
 * means time fell exactly as MACs did. Only meaningful where MACs were skipped (delta rows).
 */
function formatEfficiency(r: ModelBenchRow): string {
  if (r.mode === 'dense' || r.macs.ratio === null || r.macs.ratio === 0) return 'n/a';
  return (r.engine.speedup * r.macs.ratio).toFixed(2);
}

/**
 * The results as a table of text: one line per row, ours against the baseline engine, then MACs
 * and errors. The "also timed" column appears only when some row timed further engines.
 */
export function reportTable(rows: readonly ModelBenchRow[]): TextTable {
  const withOthers = rows.some((r) => r.otherEngines.length > 0);
  const header = [
    'model',
    'clip',
    'input',
    'mode',
    'backend',
    'frames',
    'ours fps',
    'dense engine',
    'engine fps',
    'speedup',
    'MACs/frame (dense)',
    'MACs done/dense',
    'efficiency',
    'max abs err',
    'rel L2 err',
    'PSNR dB',
    ...(withOthers ? ['also timed (fps, our speedup)'] : []),
  ];
  const body = rows.map((r) => [
    r.model,
    r.clip,
    formatInputSize(r.inputShape),
    r.mode,
    r.backend,
    `${r.timedFrames * r.iterations} (+${r.warmupFrames} warm-up)`,
    formatFps(r.ours.fps),
    r.engine.name,
    formatFps(r.engine.fps),
    formatSpeedup(r.engine.speedup),
    formatGmac(r.macs.dense),
    r.macs.ratio === null ? 'n/a' : r.macs.ratio.toFixed(3),
    formatEfficiency(r),
    formatError(r.error.maxAbs),
    formatError(r.error.relL2),
    formatPsnr(r.error.psnrDb),
    ...(withOthers ? [otherEngines(r.otherEngines)] : []),
  ]);
  return { header, rows: body };
}
