import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * The text of Chart.js's UMD build, to inline in the report so it works offline from one file.
 * The package's exports map does not expose `dist/chart.umd.js`, so it is found beside the
 * resolved main entry.
 */
export function chartJsSource(): string {
  if (cached === undefined) {
    const main = createRequire(import.meta.url).resolve('chart.js');
    // A literal "</script" would end the inline <script> element early.
    cached = readFileSync(join(dirname(main), 'chart.umd.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
  }
  return cached;
}
