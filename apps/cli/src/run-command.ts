import { resolve } from 'node:path';
import { OptionError } from '@motiondelta/core';
import { loadProfile } from '@motiondelta/graph-runtime';
import type { CliIo } from './cli-io.js';
import { parseAlign } from './motion/frame-alignment.js';
import { createProgress } from './progress-reporter.js';
import { writeReport } from './report/html-report.js';
import { runVideo, type RunVideoOptions } from './run-video.js';
import type { RunMode } from './session-options.js';
import { summaryToJson } from './summary-json.js';
import { renderSummaryTable } from './summary-table.js';

/** Parsed options of `motiondelta run`. */
export interface RunCommandOptions {
  readonly model: string;
  readonly mode: RunMode;
  readonly backend: readonly string[];
  readonly threshold?: number;
  readonly inputThreshold?: number;
  /** A threshold profile file (delta and motion modes), instead of the thresholds. */
  readonly profile?: string;
  /** Motion mode: `estimate` (default), `none`, or a JSON file of homographies. */
  readonly align?: string;
  readonly frames: number;
  readonly start: number;
  readonly size?: readonly [number, number];
  readonly scale?: number;
  readonly offset?: number;
  readonly out: string;
  readonly json: boolean;
}

/**
 * `motiondelta run`: runs the video, then prints the summary (a table, or one JSON object when
 * `--json`, in which case stdout carries nothing else) and writes the HTML report.
 */
export async function runCommand(video: string, options: RunCommandOptions, io: CliIo): Promise<void> {
  const note = (message: string): void => {
    io.stderr.write(`motiondelta: note: ${message}\n`);
  };
  if (options.mode === 'dense' && (options.threshold !== undefined || options.inputThreshold !== undefined)) {
    note('thresholds apply to --mode delta and motion only; ignored in dense mode.');
  }
  if (options.align !== undefined && options.mode !== 'motion') {
    throw new OptionError(`--align gives the camera motion of --mode motion; it means nothing in ${options.mode} mode (add --mode motion, or drop --align).`);
  }
  if (options.profile !== undefined && options.mode === 'dense') {
    throw new OptionError('--profile holds delta thresholds: use it with --mode delta or --mode motion.');
  }
  if (options.profile !== undefined && (options.threshold !== undefined || options.inputThreshold !== undefined)) {
    throw new OptionError('--profile already sets the thresholds: give either --profile or --threshold / --input-threshold.');
  }
  const profile = options.profile === undefined ? undefined : await loadProfile(options.profile);
  const thresholds = profile
    ? { threshold: profile.threshold, inputThreshold: profile.inputThreshold, nodeThresholds: profile.nodeThresholds }
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
    ...(options.scale === undefined ? {} : { scale: options.scale }),
    ...(options.offset === undefined ? {} : { offset: options.offset }),
    ...(options.mode === 'motion' ? { align: parseAlign(options.align ?? 'estimate') } : {}),
  };
  const progress = createProgress(io.stderr, options.mode);
  let summary;
  try {
    summary = await runVideo(runOptions, { onFrame: (r, done, total) => progress.frame(r, done, total), onNote: note });
  } finally {
    progress.stop();
  }
  const report = await writeReport(summary, resolve(options.out));
  if (options.json) {
    io.stdout.write(`${JSON.stringify(summaryToJson(summary))}\n`);
    io.stderr.write(`report: ${report.html}\n`);
    return;
  }
  io.stdout.write(`${renderSummaryTable(summary)}\nreport: ${report.html}\n`);
}
