import { customInputArgs, type CustomInputArgs } from './resolve-model.js';
import { OptionError } from '@motiondelta/core';
import { saveProfile, type CalibrationTarget, type CalibrationTry } from '@motiondelta/graph-runtime';
import { calibrateVideo } from './calibrate-video.js';
import type { CliIo } from './cli-io.js';
import { prepareOutputFile } from './output-location.js';

/** Parsed options of `motiondelta calibrate`. */
export interface CalibrateCommandOptions extends CustomInputArgs {
  readonly model: string;
  readonly backend: readonly string[];
  readonly frames: number;
  readonly start: number;
  readonly size?: readonly [number, number];
  readonly psnr?: number;
  readonly maxAbsError?: number;
  readonly argmaxAgreement?: number;
  readonly output?: string;
  readonly inputRatios?: readonly number[];
  readonly steps?: number;
  readonly out: string;
}

/**
 * The one target the options name. Exactly one of --psnr, --max-abs-error, --argmax-agreement
 * must be given, and --output goes with --argmax-agreement only.
 */
export function targetFromOptions(
  options: Pick<CalibrateCommandOptions, 'psnr' | 'maxAbsError' | 'argmaxAgreement' | 'output'>,
): CalibrationTarget {
  const given = [options.psnr, options.maxAbsError, options.argmaxAgreement].filter((v) => v !== undefined).length;
  if (given !== 1) {
    throw new OptionError(
      `Give exactly one target: --psnr <dB>, --max-abs-error <e> or --argmax-agreement <fraction> --output <name> (got ${given}).`,
    );
  }
  if (options.argmaxAgreement !== undefined) {
    if (options.output === undefined)
      throw new OptionError('--argmax-agreement needs --output <name>: the heatmap output whose argmax is compared.');
    return { argmaxAgreement: options.argmaxAgreement, output: options.output };
  }
  if (options.output !== undefined) throw new OptionError('--output goes with --argmax-agreement only.');
  return options.psnr !== undefined ? { psnr: options.psnr } : { maxAbsError: options.maxAbsError! };
}

/** One line per threshold tried: what it gave, and whether it met the target. */
export function formatTry(tried: CalibrationTry, totalFrames: number): string {
  const psnr = tried.psnr === null ? 'exact' : `${tried.psnr.toFixed(2)} dB`;
  const argmax = tried.argmaxAgreement === null ? '' : `, argmax agreement ${(tried.argmaxAgreement * 100).toFixed(2)}%`;
  const partial = tried.frames < totalFrames ? ` (missed by frame ${tried.frames} of ${totalFrames}; stopped)` : '';
  return (
    `threshold ${tried.threshold.toPrecision(4)} (input ${tried.inputThreshold.toPrecision(4)}): ` +
    `PSNR ${psnr}, max abs error ${tried.maxAbsError.toExponential(2)}${argmax}, MACs done/dense ${tried.macsRatio.toFixed(3)} ` +
    `-> ${tried.meets ? 'meets' : 'misses'}${partial}`
  );
}

/**
 * `motiondelta calibrate`: picks delta thresholds on a segment of the video that meet the target
 * against dense, prints every try and the choice on stdout, and saves the profile for
 * `motiondelta run --mode delta --profile <file>` (and `createSession(profileOptions(profile))`).
 * `--out` is checked (its folder created, the file openable for writing) before anything else,
 * so a bad path fails in a moment instead of after the whole calibration.
 */
export async function calibrateCommand(video: string, options: CalibrateCommandOptions, io: CliIo): Promise<void> {
  const target = targetFromOptions(options);
  const out = await prepareOutputFile(options.out, '--out');
  let total = options.frames;
  const { profile, inputSize } = await calibrateVideo(
    {
      video,
      model: options.model,
      target,
      backend: options.backend,
      start: options.start,
      frames: options.frames,
      ...(options.size === undefined ? {} : { size: options.size }),
      ...customInputArgs(options),
      ...(options.inputRatios === undefined ? {} : { inputRatios: options.inputRatios }),
      ...(options.steps === undefined ? {} : { steps: options.steps }),
    },
    {
      onNote: (message) => io.stderr.write(`motiondelta: note: ${message}\n`),
      onStart: ({ frames, inputSize: size }) => {
        total = frames;
        io.stdout.write(
          `calibrating ${options.model} on ${video} frames ${options.start}..${options.start + frames - 1} at ${size[0]}x${size[1]}, target ${JSON.stringify(target)}\n`,
        );
      },
      onTry: (tried) => io.stdout.write(`  ${formatTry(tried, total)}\n`),
    },
  ).catch(async (error: unknown) => {
    // Nothing was written: a failed calibration leaves no empty folder behind.
    await out.removeCreatedFolders();
    throw error;
  });
  const path = out.path;
  await saveProfile(path, profile);
  const a = profile.achieved;
  const argmax = a.argmaxAgreement === undefined ? '' : `, argmax agreement ${(a.argmaxAgreement * 100).toFixed(2)}%`;
  io.stdout.write(
    `chosen: threshold ${profile.threshold.toPrecision(4)}, input threshold ${profile.inputThreshold.toPrecision(4)} ` +
      `(PSNR ${a.psnr === null ? 'exact' : `${a.psnr.toFixed(2)} dB`}, max abs error ${a.maxAbsError.toExponential(2)}${argmax}, ` +
      `MACs done/dense ${a.macsRatio.toFixed(3)} on ${profile.frames} frames at ${inputSize[0]}x${inputSize[1]})\n` +
      `profile: ${path}\n`,
  );
}
