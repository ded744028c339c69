import { OptionError, type Tensor } from '@motiondelta/core';
import type { ModelInputSpec } from '@motiondelta/data';
import { frameToTensor, openVideo, type VideoInfo } from '@motiondelta/video-io';

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

/** The largest centred region of the frame with the input's aspect ratio, so nothing is stretched. */
export function centredCrop(
  info: Pick<VideoInfo, 'width' | 'height'>,
  size: readonly [number, number],
): { x: number; y: number; width: number; height: number } {
  const [h, w] = size;
  const scale = Math.min(info.width / w, info.height / h);
  const width = Math.min(info.width, Math.round(w * scale));
  const height = Math.min(info.height, Math.round(h * scale));
  return { x: Math.floor((info.width - width) / 2), y: Math.floor((info.height - height) / 2), width, height };
}

/**
 * Streams a clip's frames as a model's input tensors, one at a time, so long benchmarks never
 * hold the whole clip in memory: centre-cropped to the input's aspect ratio, resized by ffmpeg,
 * and mapped to the model's value range. Breaking out of the loop stops the decoder.
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
  const reader = await openVideo(selection.clipPath, {
    info,
    start,
    count,
    crop: centredCrop(info, size),
    resize: { width: size[1], height: size[0] },
  });
  try {
    for await (const frame of reader) {
      yield frameToTensor(frame, {
        scale: spec.scale,
        offset: spec.offset,
        ...(spec.mean && { mean: spec.mean }),
        ...(spec.std && { std: spec.std }),
      });
    }
  } finally {
    await reader.close();
  }
}
