import { Command, Option } from 'commander';
import { MODEL_IDS } from '@motiondelta/data';
import { formatBytes } from '@motiondelta/core';
import { DEFAULT_MAX_FRAME_BYTES, MAX_FRAME_BYTES_ENV, MAX_FRAME_SIDE } from '@motiondelta/video-io';
import type { CliIo } from './cli-io.js';
import {
  parseBackendList,
  parseChannelStd,
  parseChannelValues,
  parseFiniteNumber,
  parseNonNegativeInt,
  parsePositiveInt,
  parseByteSize,
  parseBlockSize,
  parseSceneCut,
  parseSize,
  parseThreshold,
  parseWarp,
} from './parse-values.js';
import { calibrateCommand, type CalibrateCommandOptions } from './calibrate-command.js';
import { DEFAULT_CALIBRATION_FRAMES } from './calibrate-video.js';
import { parseFraction, parsePsnrTarget, parseRatioList } from './parse-calibration-values.js';
import { CLIP_IDS } from './resolve-video.js';
import { runCommand, type RunCommandOptions } from './run-command.js';
import { DEFAULT_FRAMES } from './run-video.js';
// Importing the package registers the backends it ships (cpu-native) with the runtime.
import { BLOCK_POLICY_NAMES, DEFAULT_BACKENDS } from 'motiondelta';
// Bundled into dist by tsup, so the version printed is the one the package was built with.
import cliPackage from '../package.json' with { type: 'json' };

const RUN_HELP = `
The mode runs together with a dense session on the same frames and backend: dense is the
reference for speed (speedup = dense time / mode time, measured in this run) and for error.

Error against dense, per frame: max abs error, and PSNR = 10*log10(peak^2 / MSE) per output with
peak = max - min of the dense output (1 if constant); a frame takes its worst output, the summary
the mean over frames that differ from dense. Identical outputs are "exact": in --json, psnr is
null and exact is true (JSON has no Infinity).

Block mode (--mode block) recomputes the blocks (--block-size pixels square) a policy chooses
each frame and keeps last frame's features elsewhere; the summary gives the executed fraction
against --target (mean after the first frame, and over the last 100 frames) and the policy's time,
which is part of the mode's time.

Motion mode (--mode motion) runs on a viewport in world coordinates: each frame's homography to
the world comes from --align. Its outputs lie on the viewport grid; they are compared with dense
inference on the raw frame by mapping each output pixel's footprint centre to the frame and
sampling the dense output there (bilinear), over the output pixels that map inside the frame.

Progress goes to stderr (a bar on a terminal, one line per frame otherwise); the summary to
stdout. Exit codes: 0 ok, 2 bad arguments (including paths that cannot be read or written),
1 the run failed; Ctrl-C (SIGINT), SIGTERM and SIGHUP stop ffmpeg and end the command by that
signal, without a report.

Limits: one RGB frame, of the video or at --size, may take at most ${formatBytes(DEFAULT_MAX_FRAME_BYTES)}
(set ${MAX_FRAME_BYTES_ENV} to a byte count to change it); sides go up to ${MAX_FRAME_SIDE}.

Examples:
  motiondelta run vtest --model selfie --frames 10
  motiondelta run vtest --model esrgan-x2 --size 48x64 --frames 5 --json
  ffmpeg -i clip.mp4 -f matroska - | motiondelta run - --model selfie --frames 50
  motiondelta run clip.mp4 --model model.onnx --scale 0.00392157 --mode delta --threshold 0.05
  motiondelta run cube --model esrgan-x2 --size 96x128 --frames 10 --mode motion --align estimate
  motiondelta run clip.mp4 --model selfie --mode motion --align homographies.json
  motiondelta run vtest --model selfie --mode block --policy rl --target 0.4 --frames 100
`;

const CALIBRATE_HELP = `
Runs dense once over the frames, then delta at thresholds chosen by bisection in log space, and
keeps the largest threshold that meets the target on the frames after the first (the first is
delta's dense keyframe). PSNR is the worst 30-frame window's, with the same definition as \`run\`;
error settles over the first 100 or so frames, so calibrate on more than that (default 150).

Examples:
  motiondelta calibrate vtest --model selfie --frames 20 --psnr 40 --out selfie.thresholds.json
  motiondelta calibrate vtest --model posenet --frames 20 --argmax-agreement 0.99 \\
    --output MobilenetV1/heatmap_2/BiasAdd --out posenet.thresholds.json
  motiondelta run vtest --model selfie --mode delta --profile selfie.thresholds.json --start 100
`;

/** The `motiondelta` program, writing through `io` and throwing instead of exiting. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('motiondelta')
    .description('Run pre-trained CNNs on video, computing only what changed since the last frame.')
    .version(cliPackage.version, '-V, --version', 'print the version of the motiondelta command')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('run')
    .description('Run a model over video frames in a mode, against dense on the same frames; print a summary and write an HTML report.')
    .argument(
      '<video>',
      `video file, catalog clip id (${CLIP_IDS.join(', ')}), URL (http(s)://, rtsp(s)://, rtmp(s)://, srt://, udp://), - for stdin, or /dev/videoN`,
    )
    .requiredOption('-m, --model <id|path>', `catalog model id (${MODEL_IDS.join(', ')}) or a path to an .onnx file or a TF.js model.json`)
    .addOption(new Option('--mode <mode>', 'execution mode').choices(['dense', 'delta', 'motion', 'block']).default('dense'))
    .option(
      '--backend <ids>',
      'backends in order of preference, comma-separated (default: cpu-native where built, then reference)',
      parseBackendList,
      [...DEFAULT_BACKENDS],
    )
    .option(
      '--threshold <t>',
      'delta and motion modes: node threshold (default 0: same outputs as dense up to float rounding)',
      parseThreshold,
    )
    .option('--input-threshold <t>', "delta and motion modes: input threshold (default: the runtime's)", parseThreshold)
    .option(
      '--profile <file>',
      'delta and motion modes: thresholds from a profile written by `motiondelta calibrate` (instead of --threshold / --input-threshold)',
    )
    .option(
      '--align <estimate|none|file>',
      'motion mode: homographies estimated frame to frame (estimate, the default), a static camera (none), or a JSON file of frame-to-world homographies, one per video frame',
    )
    .option(
      '--warp <whole-pixel|homography>',
      'motion mode: move each frame by the whole-pixel translation nearest its homography (whole-pixel, the default: no resampling, the rest of the motion becomes deltas) or resample it through the homography',
      parseWarp,
    )
    .option(
      '--scene-cut <fraction|off>',
      'delta and motion modes: a frame whose change from the previous one (motion: after alignment) is over this fraction of its mean magnitude is a keyframe (default 0.4)',
      parseSceneCut,
    )
    .addOption(
      new Option('--policy <name>', 'block mode: which blocks to recompute each frame (default rl)').choices([...BLOCK_POLICY_NAMES]),
    )
    .option('--target <fraction>', 'block mode: fraction of blocks to recompute per frame, 0 to 1 (default 0.4)', parseFraction)
    .option('--block-size <n>', 'block mode: side of a block in input pixels (default 128)', parseBlockSize)
    .option('--seed <n>', "block mode: seed of the policy's random numbers (default 1)", parseNonNegativeInt)
    .option('--frames <n>', `frames to run (cut to what the video holds)`, parsePositiveInt, DEFAULT_FRAMES)
    .option('--start <n>', 'first frame index', parseNonNegativeInt, 0)
    .option(
      '--size <HxW>',
      `model input size, sides up to ${MAX_FRAME_SIDE}; fixed-size models ignore it; default: the frame size rounded down to the model's multiple`,
      parseSize,
    )
    .option('--scale <s>', 'model given by path: input = (byte * scale + offset - mean[c]) / std[c] (default 1)', parseFiniteNumber)
    .option('--offset <o>', 'model given by path: see --scale (default 0)', parseFiniteNumber)
    .option('--mean <r,g,b>', "model given by path: per-channel mean, in the model's channel order (default 0,0,0)", parseChannelValues)
    .option('--std <r,g,b>', 'model given by path: per-channel standard deviation, not 0 (default 1,1,1)', parseChannelStd)
    .option('--bgr', 'model given by path: feed channels as B, G, R (models trained on OpenCV frames)')
    .option(
      '--out <dir>',
      'folder for report.html, summary.json and sample PNGs (created, and checked to be writable before the run starts)',
      'motiondelta-report',
    )
    .option('--json', 'print one JSON object on stdout instead of the table', false)
    .option(
      '--memory-limit <size>',
      'most memory each session may allocate, e.g. 12GiB, or none (default 8GiB); checked before any frame is decoded',
      parseByteSize,
    )
    .addHelpText('after', RUN_HELP)
    .action(async (video: string, options: RunCommandOptions) => {
      await runCommand(video, options, io);
    });
  program
    .command('calibrate')
    .description('Pick delta thresholds on a segment of a video that meet an error target against dense; save them as a profile.')
    .argument(
      '<video>',
      `video file, catalog clip id (${CLIP_IDS.join(', ')}), URL (http(s)://, rtsp(s)://, rtmp(s)://, srt://, udp://), - for stdin, or /dev/videoN`,
    )
    .requiredOption('-m, --model <id|path>', `catalog model id (${MODEL_IDS.join(', ')}) or a path to an .onnx file or a TF.js model.json`)
    .requiredOption('--out <file>', 'where to write the profile (JSON; checked to be writable before the calibration starts)')
    .option('--psnr <dB>', 'target: worst 30-frame window PSNR against dense, at least this', parsePsnrTarget)
    .option('--max-abs-error <e>', 'target: largest absolute difference from dense, at most this', parseThreshold)
    .option(
      '--argmax-agreement <fraction>',
      'target: fraction of heatmap channels whose spatial argmax matches dense (with --output)',
      parseFraction,
    )
    .option('--output <name>', 'the output --argmax-agreement compares')
    .option('--frames <n>', 'calibration frames, the dense first one included (at least 2)', parsePositiveInt, DEFAULT_CALIBRATION_FRAMES)
    .option('--start <n>', 'first frame index', parseNonNegativeInt, 0)
    .option('--size <HxW>', `model input size, sides up to ${MAX_FRAME_SIDE}; fixed-size models ignore it`, parseSize)
    .option(
      '--backend <ids>',
      'backends in order of preference, comma-separated (default: cpu-native where built, then reference)',
      parseBackendList,
      [...DEFAULT_BACKENDS],
    )
    .option('--input-ratios <list>', 'input threshold / node threshold ratios to search, the cheapest wins (default 1)', parseRatioList)
    .option('--steps <n>', 'bisection steps per ratio (default 6)', parseNonNegativeInt)
    .option('--scale <s>', 'model given by path: input = (byte * scale + offset - mean[c]) / std[c] (default 1)', parseFiniteNumber)
    .option('--offset <o>', 'model given by path: see --scale (default 0)', parseFiniteNumber)
    .option('--mean <r,g,b>', "model given by path: per-channel mean, in the model's channel order (default 0,0,0)", parseChannelValues)
    .option('--std <r,g,b>', 'model given by path: per-channel standard deviation, not 0 (default 1,1,1)', parseChannelStd)
    .option('--bgr', 'model given by path: feed channels as B, G, R (models trained on OpenCV frames)')
    .addHelpText('after', CALIBRATE_HELP)
    .action(async (video: string, options: CalibrateCommandOptions) => {
      await calibrateCommand(video, options, io);
    });
  return program;
}
