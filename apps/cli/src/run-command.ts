import { customInputArgs, type CustomInputArgs } from './resolve-model.js';
import { OptionError } from '@motiondelta/core';
import { loadProfile } from '@motiondelta/graph-runtime';
import type { CliIo } from './cli-io.js';
import { checkInputFile } from './input-file.js';
import { parseAlign, type AlignSpec } from './motion/frame-alignment.js';
import { checkHomographyFile } from './motion/homography-file.js';
import { prepareOutputFolder } from './output-location.js';
import { createProgress } from './progress-reporter.js';
import { REPORT_FILES, writeReport } from './report/html-report.js';
import type { RunSummary } from './run-summary.js';
import { runVideo, type RunVideoOptions } from './run-video.js';
import type { RunMode } from './session-options.js';
import { blockSettingsFor } from './block/block-settings.js';
import type { BlockSettings } from './block/block-figures.js';
import type { BlockPolicyName } from 'motiondelta';
import { summaryToJson } from './summary-json.js';
import { renderSummaryTable } from './summary-table.js';

/** Parsed options of `motiondelta run`. */
export interface RunCommandOptions extends CustomInputArgs {
  readonly model: string;
  readonly mode: RunMode;
  readonly backend: readonly string[];
  readonly threshold?: number;
  readonly inputThreshold?: number;
  /** A threshold profile file (delta and motion modes), instead of the thresholds. */
  readonly profile?: string;
  /** Motion mode: `estimate` (default), `none`, or a JSON file of homographies. */
  readonly align?: string;
  /** Motion mode: `whole-pixel` (default) or `homography`. */
  readonly warp?: 'whole-pixel' | 'homography';
  /** Delta and motion modes: the scene-cut bound (Infinity: off). */
  readonly sceneCut?: number;
  readonly frames: number;
  readonly start: number;
  readonly size?: readonly [number, number];
  readonly out: string;
  readonly json: boolean;
  /** Bytes each session may allocate; the runtime's default when absent. */
  readonly memoryLimit?: number;
  /** Block mode: the policy (default `rl`), its target rate (0.4), the block side (128) and seed (1). */
  readonly policy?: BlockPolicyName;
  readonly target?: number;
  readonly blockSize?: number;
  readonly seed?: number;
}

/**
 * `motiondelta run`: runs the video, then prints the summary (a table, or one JSON object when
 * `--json`, in which case stdout carries nothing else) and writes the HTML report. Every path
 * option is checked first (input files readable regular files, the `--out` folder created and
 * written to), so a bad path fails in a moment instead of after every frame is computed.
 */
export async function runCommand(video: string, options: RunCommandOptions, io: CliIo): Promise<void> {
  const note = (message: string): void => {
    io.stderr.write(`motiondelta: note: ${message}\n`);
  };
  if ((options.mode === 'dense' || options.mode === 'block') && (options.threshold !== undefined || options.inputThreshold !== undefined)) {
    note(`thresholds apply to --mode delta and motion only; ignored in ${options.mode} mode.`);
  }
  const block = blockSettingsFor(options);
  if (options.align !== undefined && options.mode !== 'motion') {
    throw new OptionError(
      `--align gives the camera motion of --mode motion; it means nothing in ${options.mode} mode (add --mode motion, or drop --align).`,
    );
  }
  if (options.warp !== undefined && options.mode !== 'motion') {
    throw new OptionError(
      `--warp says how motion mode moves frames; it means nothing in ${options.mode} mode (add --mode motion, or drop --warp).`,
    );
  }
  if (options.sceneCut !== undefined && options.mode === 'dense') {
    note('--scene-cut applies to --mode delta and motion only; ignored in dense mode.');
  }
  if (options.profile !== undefined && (options.mode === 'dense' || options.mode === 'block')) {
    throw new OptionError('--profile holds delta thresholds: use it with --mode delta or --mode motion.');
  }
  if (options.profile !== undefined && (options.threshold !== undefined || options.inputThreshold !== undefined)) {
    throw new OptionError('--profile already sets the thresholds: give either --profile or --threshold / --input-threshold.');
  }
  const align = options.mode === 'motion' ? parseAlign(options.align ?? 'estimate') : undefined;
  if (align?.kind === 'file') await checkHomographyFile(align.path);
  if (options.profile !== undefined) await checkInputFile(options.profile, '--profile');
  const out = await prepareOutputFolder(options.out, '--out', REPORT_FILES);
  let summary: RunSummary;
  try {
    summary = await computeSummary({ ...options, ...(block && { block }) }, align, video, io, note);
  } catch (error) {
    // Nothing was written: a failed run leaves no empty report folder behind.
    await out.removeCreatedFolders();
    throw error;
  }
  const report = await writeReport(summary, out.path);
  if (options.json) {
    io.stdout.write(`${JSON.stringify(summaryToJson(summary))}\n`);
    io.stderr.write(`report: ${report.html}\n`);
    return;
  }
  io.stdout.write(`${renderSummaryTable(summary)}\nreport: ${report.html}\n`);
}

/** Loads the profile, then runs the video with a progress display. */
async function computeSummary(
  options: RunCommandOptions & { readonly block?: BlockSettings },
  align: AlignSpec | undefined,
  video: string,
  io: CliIo,
  note: (message: string) => void,
): Promise<RunSummary> {
  const thresholds =
    options.profile !== undefined
      ? { profile: { profile: await loadProfile(options.profile), path: options.profile } }
      : {
          ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
          ...(options.inputThreshold === undefined ? {} : { inputThreshold: options.inputThreshold }),
        };
  const runOptions: RunVideoOptions = {
    video,
    model: options.model,
    mode: options.mode,
    backend: options.backend,
    frames: options.frames,
    start: options.start,
    ...thresholds,
    ...(options.size === undefined ? {} : { size: options.size }),
    ...customInputArgs(options),
    ...(align === undefined ? {} : { align }),
    ...(options.warp === undefined ? {} : { warp: options.warp }),
    ...(options.sceneCut === undefined ? {} : { sceneCut: options.sceneCut }),
    ...(options.memoryLimit === undefined ? {} : { memoryLimit: options.memoryLimit }),
    ...(options.block === undefined ? {} : { block: options.block }),
  };
  const progress = createProgress(io.stderr, options.mode);
  try {
    return await runVideo(runOptions, { onFrame: (r, done, total) => progress.frame(r, done, total), onNote: note });
  } finally {
    progress.stop();
  }
}
