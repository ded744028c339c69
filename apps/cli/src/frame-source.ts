import type { CropRect, Frame, VideoInfo } from '@motiondelta/video-io';
import { openVideo } from '@motiondelta/video-io';

/** Which frames of a file to feed, at which model input size. */
export interface FrameRange {
  readonly start: number;
  readonly count: number;
  /** Model input [height, width]. */
  readonly size: readonly [number, number];
}

/**
 * The largest centred region of the frame with the input's aspect ratio, so resizing it to the
 * input never stretches the picture.
 */
export function centredCrop(info: { readonly width: number; readonly height: number }, size: readonly [number, number]): CropRect {
  const [h, w] = size;
  const scale = Math.min(info.width / w, info.height / h);
  const width = Math.min(info.width, Math.round(w * scale));
  const height = Math.min(info.height, Math.round(h * scale));
  return { x: Math.floor((info.width - width) / 2), y: Math.floor((info.height - height) / 2), width, height };
}

/**
 * Streams frames at the model's input size, one at a time: a run over hundreds of frames holds
 * only the frame in flight (ffmpeg does the crop and resize).
 */
export async function* streamModelFrames(path: string, info: VideoInfo, range: FrameRange): AsyncGenerator<Frame> {
  const [h, w] = range.size;
  const video = await openVideo(path, {
    info,
    start: range.start,
    count: range.count,
    crop: centredCrop(info, range.size),
    resize: { width: w, height: h },
  });
  try {
    yield* video;
  } finally {
    await video.close();
  }
}
