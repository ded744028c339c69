import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { MotionDeltaError } from '@motiondelta/core';
import { MODEL_IDS } from '@motiondelta/data';
// Importing the package registers the backends it ships (cpu-native) with the runtime.
import { setCpuNativeThreads } from 'motiondelta';
import { BENCH_CLIPS, BENCH_MODES, parseModelsBenchOptions, type RawModelsBenchOptions } from './bench-options.js';
import { consoleTable } from './console-table.js';
import { markdownTable } from './markdown-table.js';
import { runModelsBench } from './run-models-bench.js';
import { writeReportJson } from './write-report-json.js';

/**
 * Adds `models` to the bench program: end-to-end frames per second of our sessions against the
 * dense engines users would pick instead, on real clips, in one run.
 *
 * @example
 * ```ts
 * const program = new Command('motiondelta-bench');
 * registerModelsCommand(program);
 * await program.parseAsync(['node', 'bench', 'models', '--models', 'selfie', '--frames', '2']);
 * ```
 */
export function registerModelsCommand(program: Command): void {
  program
    .command('models')
    .description(
      'End-to-end frames/s of MotionDelta sessions against onnxruntime-node / tfjs-backend-wasm on the same frames, interleaved.',
    )
    .option('--models <ids>', `comma-separated model ids (${MODEL_IDS.join(', ')}); default all`)
    .option('--clip <ids>', `comma-separated clip ids (${BENCH_CLIPS.join(', ')})`, 'vtest')
    .option('--frames <n>', 'timed frames per pass (default: per model, see docs/BENCHMARKS.md)')
    .option('--warmup <n>', 'untimed frames before the timed ones (default: per model)')
    .option('--start <n>', 'first clip frame fed (warm-up frames first)', '0')
    .option('--iterations <n>', 'passes over the frames; each restarts our session', '1')
    .option('--modes <modes>', `comma-separated modes (${BENCH_MODES.join(', ')}); the runtime decides which it supports`, 'dense')
    .option('--backends <ids>', 'comma-separated backend ids of the graph runtime (cpu-native, reference)', 'cpu-native')
    .option('--threads <n>', 'threads for the dense engines and for cpu-native', String(availableParallelism()))
    .option('--size <HxW>', 'input size for models that take any size (default: per model)')
    .option('--threshold <t>', 'delta mode: default threshold')
    .option('--input-threshold <t>', 'delta mode: input threshold')
    .option('--profiles <dir>', 'delta mode: thresholds per model from <dir>/<model>.thresholds.json (written by motiondelta calibrate)')
    .option('--tfjs-cpu', 'also time tfjs-backend-cpu for TF.js models (about as slow as the reference backend)')
    .option('--json <file>', 'write the results as JSON')
    .option('--markdown', 'print the results as a Markdown table instead of a boxed one')
    .action(async (raw: RawModelsBenchOptions, command: Command) => {
      try {
        const options = parseModelsBenchOptions(raw, availableParallelism());
        // Every engine in a row computes with the same number of threads.
        setCpuNativeThreads(options.threads);
        const typed = ['pnpm bench', ...process.argv.slice(2)].join(' ');
        // Progress goes to stderr so that stdout carries only the table (redirectable into a doc).
        const report = await runModelsBench(options, typed, (line) => process.stderr.write(`${line}\n`));
        if (options.json) {
          await writeReportJson(options.json, report);
          process.stderr.write(`Results written to ${options.json}\n`);
        }
        process.stdout.write(options.markdown ? markdownTable(report.rows) : consoleTable(report.rows));
      } catch (error) {
        // Our errors already say what was wrong and what is accepted: show that, not a stack.
        if (MotionDeltaError.isInstance(error)) command.error(`${error.name}: ${error.message}`, { exitCode: 2 });
        throw error;
      }
    });
}
