import { OptionError, type Tensor } from '@motiondelta/core';
import { modelInputMapping, type ModelInputSpec } from '@motiondelta/data';
import { frameToTensor, type VideoInfo } from '@motiondelta/video-io';
import { streamVideoFrames } from 'motiondelta';

/** Which frames of a clip to feed a model, and at what size. */
export interface ModelFrameSelection {
  readonly clipPath: string;
  /** From an earlier `probeVideo`, so the clip is probed once per run. */
  readonly info: VideoInfo;
  readonly start: number;
  readonly count: number;
  /** Model input [height, width]. */
  readonly size: readonly [number, number];
}

/**
 * Streams a clip's frames as a model's input tensors, one at a time, so long benchmarks never
 * hold the whole clip in memory: centre-cropped to the input's aspect ratio and resized by ffmpeg
 * (`streamVideoFrames`), then mapped to the model's value range. Breaking out of the loop stops
 * the decoder.
 *
 * @example
 * ```ts
 * for await (const input of streamModelFrames(MODEL_INPUTS.selfie, { clipPath, info, start: 0, count: 3, size: [256, 256] })) {
 *   await session.run({ input });
 * }
 * ```
 */
export async function* streamModelFrames(spec: ModelInputSpec, selection: ModelFrameSelection): AsyncGenerator<Tensor> {
  const { info, start, count, size } = selection;
  if (start + count > info.frameCount) {
    throw new OptionError(
      `The clip has ${info.frameCount} frames; frames ${start}..${start + count - 1} were asked for (lower --frames or --warmup).`,
    );
  }
  const mapping = modelInputMapping(spec.id);
  for await (const frame of streamVideoFrames(selection.clipPath, info, { start, count, size })) yield frameToTensor(frame, mapping);
}
