import { OptionError, ResourceLimitError, type Tensor } from '@motiondelta/core';
import { calibrateThresholds, type CalibrationTarget, type CalibrationTry, type ThresholdProfile } from '@motiondelta/graph-runtime';
import { frameToTensor, prepareVideoSource } from '@motiondelta/video-io';
import { streamVideoFrames } from 'motiondelta';
import { chooseInputSize } from './input-size.js';
import { customInputArgs, resolveModel, type CustomInputArgs } from './resolve-model.js';
import { resolveVideo } from './resolve-video.js';
import { checkSessionMemory, sessionOptionsFor } from './session-options.js';

/** What to calibrate on: the same frame choices as `runVideo`. */
export interface CalibrateVideoOptions extends CustomInputArgs {
  /** A video path, or a catalog clip id (`vtest`, `cube`). */
  readonly video: string;
  /** A catalog model id, or a path to an ONNX file or a TF.js model.json. */
  readonly model: string;
  readonly target: CalibrationTarget;
  /** Backend ids in order of preference; default `['reference']`. */
  readonly backend?: readonly string[];
  /** First frame index; default 0. */
  readonly start?: number;
  /** Calibration frames (the first is delta's dense keyframe); default {@link DEFAULT_CALIBRATION_FRAMES}, at least 2. */
  readonly frames?: number;
  /** Model input [height, width]; see `chooseInputSize`. */
  readonly size?: readonly [number, number];
  /** inputThreshold / threshold ratios to search; default [1]. */
  readonly inputRatios?: readonly number[];
  /** Bisection steps per ratio; the runtime's default when absent. */
  readonly steps?: number;
}

/** What a calibration tells its caller as it goes. */
export interface CalibrateVideoHooks {
  /** Once the frames are decoded, before the first try. */
  readonly onStart?: (info: { readonly frames: number; readonly inputSize: readonly [number, number] }) => void;
  readonly onTry?: (tried: CalibrationTry) => void;
  /** Choices made for the user (size ignored). */
  readonly onNote?: (message: string) => void;
}

/**
 * Default calibration frames: 150, five seconds of video. The error of a delta stream climbs from
 * the exact keyframe for about 100 frames before it settles, so thresholds calibrated on the
 * first 20 frames of vtest for 40 dB gave 33 dB over later 30-frame windows (esrgan-x2, 96x128);
 * calibrated on 150 frames, every later window up to frame 500 stayed above 41 dB.
 */
export const DEFAULT_CALIBRATION_FRAMES = 150;

/**
 * Most bytes the decoded calibration frames may hold together (float32 model inputs, kept in
 * memory because every try replays them): 2 GiB, 380 frames at 768x576 or 2,700 at 256x256.
 */
export const MAX_CALIBRATION_FRAME_BYTES = 2 * 2 ** 30;

/** Refuses a calibration whose frames would not fit {@link MAX_CALIBRATION_FRAME_BYTES}, before decoding any. */
function checkHeldFrames(count: number, size: readonly [number, number]): void {
  const bytes = count * size[0] * size[1] * 3 * Float32Array.BYTES_PER_ELEMENT;
  if (bytes > MAX_CALIBRATION_FRAME_BYTES) {
    throw new ResourceLimitError(
      `${count} calibration frames at ${size[0]}x${size[1]}`,
      bytes,
      MAX_CALIBRATION_FRAME_BYTES,
      'calibration holds every frame in memory as a float32 input; lower --frames or --size.',
    );
  }
}

/**
 * Decodes a segment of a video at the model's input size and calibrates delta thresholds on it
 * (see `calibrateThresholds` in @motiondelta/graph-runtime): the largest threshold whose delta
 * outputs meet `target` against dense inference over the segment (a PSNR target: on every
 * 30-frame window of it).
 *
 * @example
 * ```ts
 * import { calibrateVideo } from '@motiondelta/cli';
 * import { saveProfile } from '@motiondelta/graph-runtime';
 * const { profile } = await calibrateVideo({ video: 'vtest', model: 'selfie', frames: 10, target: { psnr: 40 } });
 * await saveProfile('selfie.thresholds.json', profile);
 * ```
 */
export async function calibrateVideo(
  options: CalibrateVideoOptions,
  hooks: CalibrateVideoHooks = {},
): Promise<{ readonly profile: ThresholdProfile; readonly inputSize: readonly [number, number] }> {
  const start = options.start ?? 0;
  const count = options.frames ?? DEFAULT_CALIBRATION_FRAMES;
  if (!Number.isInteger(count) || count < 2)
    throw new OptionError(`--frames must be at least 2 for a calibration (one dense keyframe, then deltas), got ${count}.`);
  const videoPath = await resolveVideo(options.video);
  // The video first: probing is cheap, loading a model is not, and a bad range needs no model.
  const source = await prepareVideoSource(videoPath);
  // frameCount is Infinity for a source that does not state it (a live stream, stdin).
  const info = source.info;
  if (start + count > info.frameCount) {
    throw new OptionError(
      `'${options.video}' has ${info.frameCount} frames; a calibration on frames ${start}..${start + count - 1} needs more (lower --start or --frames).`,
    );
  }
  const resolved = await resolveModel(options.model, customInputArgs(options));
  const choice = chooseInputSize(
    { label: resolved.label, multipleOf: resolved.multipleOf, ...(resolved.fixedSize ? { fixedSize: resolved.fixedSize } : {}) },
    [info.height, info.width],
    options.size,
  );
  if (choice.note) hooks.onNote?.(choice.note);
  checkHeldFrames(count, choice.size);
  const backend = options.backend ?? ['reference'];
  checkSessionMemory(resolved.model, resolved.inputName, choice.size, [
    sessionOptionsFor({ mode: 'delta', backend }),
    sessionOptionsFor({ mode: 'dense', backend }),
  ]);
  // Calibration replays the segment once per try, so it is decoded once and held in memory.
  const frames: Record<string, Tensor>[] = [];
  for await (const frame of streamVideoFrames(source, info, { start, count, size: choice.size })) {
    frames.push({ [resolved.inputName]: frameToTensor(frame, resolved.mapping) });
  }
  hooks.onStart?.({ frames: frames.length, inputSize: choice.size });
  const profile = await calibrateThresholds(resolved.model, frames, {
    target: options.target,
    backend,
    // frameToTensor gives NHWC frames, whatever the model's format (ONNX models declare NCHW).
    layout: 'nhwc',
    ...(options.inputRatios === undefined ? {} : { inputRatios: options.inputRatios }),
    ...(options.steps === undefined ? {} : { steps: options.steps }),
    ...(hooks.onTry ? { onTry: hooks.onTry } : {}),
    // Recorded so that `run --profile` refuses the profile with another input mapping.
    preprocessing: { ...resolved.mapping },
  });
  // A catalog id names the model on any machine; the data cache's path would not.
  return { profile: resolved.catalogId ? { ...profile, model: resolved.catalogId } : profile, inputSize: choice.size };
}
