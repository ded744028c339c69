import Table from 'cli-table3';
import type { ModelBenchRow } from './bench-report.js';
import { reportTable } from './report-table.js';

/** The results as a boxed table for a terminal. */
export function consoleTable(rows: readonly ModelBenchRow[]): string {
  const { header, rows: body } = reportTable(rows);
  const table = new Table({ head: [...header], style: { head: [], border: [] } });
  for (const r of body) table.push([...r]);
  return `${table.toString()}\n`;
}
