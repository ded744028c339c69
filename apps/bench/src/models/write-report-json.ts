import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ModelsBenchReport } from './bench-report.js';

/**
 * The report as JSON text. Every number in a report is finite by construction (ratios without
 * a meaning are null), so nothing is lost to JSON's lack of Infinity and NaN.
 */
export function reportJson(report: ModelsBenchReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * Writes the report as JSON, creating the folder when needed.
 *
 * @example
 * ```ts
 * await writeReportJson('results/models.json', report);
 * ```
 */
export async function writeReportJson(path: string, report: ModelsBenchReport): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, reportJson(report));
}
