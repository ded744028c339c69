import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { MotionDeltaError } from '@motiondelta/core';
import { ensureData } from '@motiondelta/data';
// Importing the package registers the backends it ships (cpu-native) with the runtime.
import { loadModel, setCpuNativeThreads } from 'motiondelta';
import { machineInfo } from '../models/machine-info.js';
import {
  BENCH_POLICIES,
  BLOCK_CLIPS,
  BLOCK_MODELS,
  DEFAULT_DELTA_THRESHOLDS,
  parseBlockBenchOptions,
  type BlockBenchOptions,
  type RawBlockBenchOptions,
} from './block-options.js';
import { measureBlockRows, type BlockBenchRow, type ProgressLog } from './measure-block-rows.js';
import { blockMarkdownTable, blockTableCells } from './block-table.js';

/** A `bench block` run: when, where, how it was started, and its rows. */
export interface BlockBenchReport {
  readonly suite: 'block';
  readonly date: string;
  readonly machine: ReturnType<typeof machineInfo>;
  readonly command: string;
  readonly options: BlockBenchOptions;
  readonly rows: readonly BlockBenchRow[];
}

/**
 * Runs the `block` suite: per model x clip, dense, block mode per policy at the target rate, and
 * delta per threshold, on the same frames, interleaved, in one process.
 *
 * @example
 * ```ts
 * const report = await runBlockBench(parseBlockBenchOptions({ models: 'selfie', clips: 'vtest', frames: '8' }, 2), 'pnpm bench block');
 * ```
 */
export async function runBlockBench(options: BlockBenchOptions, command: string, log: ProgressLog = () => {}): Promise<BlockBenchReport> {
  const date = new Date().toISOString();
  const rows: BlockBenchRow[] = [];
  for (const id of options.models) {
    const model = await loadModel((await ensureData(id)).main);
    for (const clip of options.clips) rows.push(...(await measureBlockRows(model, id, clip, options, log)));
  }
  return { suite: 'block', date, machine: machineInfo(), command, options, rows };
}

/**
 * Adds `block` to the bench program.
 *
 * @example
 * ```ts
 * registerBlockCommand(program);
 * await program.parseAsync(['node', 'bench', 'block', '--models', 'selfie', '--frames', '8']);
 * ```
 */
export function registerBlockCommand(program: Command): void {
  program
    .command('block')
    .description(
      'Block mode (rl, random, threshold policies at one target rate) against dense and delta (a threshold sweep, for a comparison at similar error), same backend, same frames, interleaved.',
    )
    .option('--models <ids>', `comma-separated (${BLOCK_MODELS.join(', ')})`, BLOCK_MODELS.join(','))
    .option('--clips <ids>', `comma-separated (${BLOCK_CLIPS.join(', ')})`, BLOCK_CLIPS.join(','))
    .option('--frames <n>', 'frames per row, the first (a keyframe) included', '40')
    .option('--warmup <n>', 'frames after the first left out of the steady-state figures', '5')
    .option('--start <n>', 'first frame of each clip', '0')
    .option('--size <n>', 'input side for ppocr-det (selfie 256 and posenet 385 are fixed)', '256')
    .option('--block-size <n>', 'block side in input pixels', '64')
    .option('--target <fraction>', 'target execution rate of every policy', '0.4')
    .option('--policies <ids>', `comma-separated (${BENCH_POLICIES.join(', ')})`, BENCH_POLICIES.join(','))
    .option('--thresholds <list>', 'delta thresholds in 0..255 pixel units (times the input scale)', DEFAULT_DELTA_THRESHOLDS.join(','))
    .option('--policy-pixels <n>', 'rl: network input pixels per block (32 is BlockCopy, 16 or 8 train far faster)', '8')
    .option('--seed <n>', 'seed of the policies', '1')
    .option('--backend <id>', 'backend of every session (and of the rl forward pass)', 'cpu-native')
    .option('--threads <n>', 'threads for cpu-native', String(availableParallelism()))
    .option('--json <file>', 'write the results as JSON')
    .option('--markdown', 'print a Markdown table instead of a boxed one')
    .action(async (raw: RawBlockBenchOptions, cmd: Command) => {
      try {
        const options = parseBlockBenchOptions(raw, availableParallelism());
        setCpuNativeThreads(options.threads);
        const typed = ['pnpm bench', ...process.argv.slice(2)].join(' ');
        const report = await runBlockBench(options, typed, (line) => process.stderr.write(`${line}\n`));
        if (options.json) {
          await mkdir(dirname(options.json), { recursive: true });
          await writeFile(options.json, `${JSON.stringify(report, null, 2)}\n`);
          process.stderr.write(`Results written to ${options.json}\n`);
        }
        if (options.markdown) process.stdout.write(blockMarkdownTable(report.rows));
        else {
          const { header, rows } = blockTableCells(report.rows);
          const table = new Table({ head: header, style: { head: [], border: [] } });
          for (const r of rows) table.push(r);
          process.stdout.write(`${table.toString()}\n`);
        }
      } catch (error) {
        if (MotionDeltaError.isInstance(error)) cmd.error(`${error.name}: ${error.message}`, { exitCode: 2 });
        throw error;
      }
    });
}
