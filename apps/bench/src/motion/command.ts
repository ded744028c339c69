import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { MotionDeltaError } from '@motiondelta/core';
import { ensureData, modelInputSize } from '@motiondelta/data';
// Importing the package registers the backends it ships (cpu-native) with the runtime.
import { loadModel, setCpuNativeThreads } from 'motiondelta';
import { machineInfo } from '../models/machine-info.js';
import { loadAlignedClip } from './motion-clips.js';
import {
  DEFAULT_CUBE_START,
  DEFAULT_THRESHOLDS,
  MOTION_CLIPS,
  MOTION_MODELS,
  parseMotionBenchOptions,
  type MotionBenchOptions,
  type RawMotionBenchOptions,
} from './motion-options.js';
import type { MotionBenchReport, MotionBenchRow } from './motion-report.js';
import { measureMotionRows, type ProgressLog } from './measure-motion-rows.js';
import { equalErrorMarkdownTable, equalErrorTableCells, motionMarkdownTable, motionTableCells } from './motion-table.js';

/**
 * Runs the `motion` suite: per model x clip x backend, a dense session and, per threshold of the
 * sweep, a delta and a motion session, on the same frames, interleaved, in one process; one row
 * per threshold.
 *
 * @example
 * ```ts
 * const report = await runMotionBench(parseMotionBenchOptions({ clips: 'pan', frames: '3', size: '48x64' }, 2), 'pnpm bench motion');
 * console.log(report.rows[0]?.motionVsDelta);
 * ```
 */
export async function runMotionBench(
  options: MotionBenchOptions,
  command: string,
  log: ProgressLog = () => {},
): Promise<MotionBenchReport> {
  const date = new Date().toISOString();
  const machine = machineInfo();
  const rows: MotionBenchRow[] = [];
  for (const id of options.models) {
    const model = await loadModel((await ensureData(id)).main);
    const size = modelInputSize(id, options.size);
    for (const clipId of options.clips) {
      // One frame more than timed: the first is every session's keyframe.
      const clip = await loadAlignedClip(clipId, options.frames + 1, size, options.cubeStart);
      if (clip.alignFailures > 0)
        log(`${clipId}: ${clip.alignFailures} frame pairs could not be aligned; the previous pose was kept there.`);
      for (const backend of options.backends) {
        rows.push(...(await measureMotionRows(model, id, clip, backend, options.threads, options.thresholds, log)));
      }
    }
  }
  return { suite: 'motion', date, machine, command, rows };
}

/**
 * Adds `motion` to the bench program.
 *
 * @example
 * ```ts
 * registerMotionCommand(program);
 * await program.parseAsync(['node', 'bench', 'motion', '--clips', 'pan', '--frames', '4']);
 * ```
 */
export function registerMotionCommand(program: Command): void {
  program
    .command('motion')
    .description(
      'Motion mode against delta against dense (same backend, same frames, interleaved) on the real cube clip, real street footage seen through a sub-pixel pan, and synthetic pans and rotations.',
    )
    .option('--models <ids>', `comma-separated (${MOTION_MODELS.join(', ')})`, 'esrgan-x2')
    .option('--clips <ids>', `comma-separated (${MOTION_CLIPS.join(', ')})`, MOTION_CLIPS.join(','))
    .option('--frames <n>', 'timed frames per row (one untimed keyframe before them)', '16')
    .option('--cube-start <n>', 'first frame of the cube clip (its camera is still until about frame 18)', String(DEFAULT_CUBE_START))
    .option('--size <HxW>', 'input size for models that take any size', '144x192')
    .option('--backends <ids>', 'comma-separated backend ids, one row each', 'cpu-native')
    .option('--threads <n>', 'threads for cpu-native', String(availableParallelism()))
    .option(
      '--thresholds <list>',
      "node and input thresholds swept by delta and motion, in 0..255 pixel units (times the model's input scale), comma-separated; 0, the reference, is always added",
      DEFAULT_THRESHOLDS.join(','),
    )
    .option('--json <file>', 'write the results as JSON')
    .option('--markdown', 'print a Markdown table instead of a boxed one')
    .action(async (raw: RawMotionBenchOptions, cmd: Command) => {
      try {
        const options = parseMotionBenchOptions(raw, availableParallelism());
        setCpuNativeThreads(options.threads);
        const typed = ['pnpm bench', ...process.argv.slice(2)].join(' ');
        const report = await runMotionBench(options, typed, (line) => process.stderr.write(`${line}\n`));
        if (options.json) {
          await mkdir(dirname(options.json), { recursive: true });
          await writeFile(options.json, `${JSON.stringify(report, null, 2)}\n`);
          process.stderr.write(`Results written to ${options.json}\n`);
        }
        if (options.markdown) process.stdout.write(`${motionMarkdownTable(report.rows)}\n${equalErrorMarkdownTable(report.rows)}`);
        else {
          for (const { header, rows } of [motionTableCells(report.rows), equalErrorTableCells(report.rows)]) {
            const table = new Table({ head: header, style: { head: [], border: [] } });
            for (const r of rows) table.push(r);
            process.stdout.write(`${table.toString()}\n`);
          }
        }
      } catch (error) {
        if (MotionDeltaError.isInstance(error)) cmd.error(`${error.name}: ${error.message}`, { exitCode: 2 });
        throw error;
      }
    });
}
