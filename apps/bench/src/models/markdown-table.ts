import type { ModelBenchRow } from './bench-report.js';
import { reportTable } from './report-table.js';

/** Escapes what would break a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * The results as a GitHub Markdown table, ready for docs/BENCHMARKS.md.
 *
 * @example
 * ```ts
 * process.stdout.write(markdownTable(report.rows));
 * ```
 */
export function markdownTable(rows: readonly ModelBenchRow[]): string {
  const { header, rows: body } = reportTable(rows);
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n') + '\n';
}
