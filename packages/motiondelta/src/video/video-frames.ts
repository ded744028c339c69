import { openVideo, type CropRect, type Frame, type PreparedVideoSource, type VideoInfo } from '@motiondelta/video-io';

/** Which frames of a file to read, at which model input size. */
export interface FrameRange {
  /** First frame (index in the file). */
  readonly start: number;
  /** Frames to read at most (`Infinity`: to the end of the source). */
  readonly count: number;
  /** Model input [height, width]. */
  readonly size: readonly [number, number];
}

/**
 * The largest centred region of the frame with the input's aspect ratio, so resizing it to the
 * input never stretches the picture.
 *
 * @example
 * ```ts
 * centredCrop({ width: 768, height: 576 }, [256, 256]); // { x: 96, y: 0, width: 576, height: 576 }
 * ```
 */
export function centredCrop(info: { readonly width: number; readonly height: number }, size: readonly [number, number]): CropRect {
  const [h, w] = size;
  const scale = Math.min(info.width / w, info.height / h);
  const width = Math.min(info.width, Math.round(w * scale));
  const height = Math.min(info.height, Math.round(h * scale));
  return { x: Math.floor((info.width - width) / 2), y: Math.floor((info.height - height) / 2), width, height };
}

/**
 * Streams a video's frames at a model's input size, one at a time (ffmpeg does the centred crop
 * and the resize), so a run over hundreds of frames holds only the frame in flight. `source` is
 * a file path, or any source made ready by `prepareVideoSource` (a URL, stdin, a stream, a
 * camera), which can be streamed once.
 *
 * @example
 * ```ts
 * const info = await probeVideo('clip.mp4');
 * for await (const frame of streamVideoFrames('clip.mp4', info, { start: 0, count: 10, size: [256, 256] })) console.log(frame.index);
 * const live = await prepareVideoSource('rtsp://cam.local/stream');
 * for await (const frame of streamVideoFrames(live, live.info, { start: 0, count: 100, size: [256, 256] })) console.log(frame.index);
 * ```
 */
export async function* streamVideoFrames(source: string | PreparedVideoSource, info: VideoInfo, range: FrameRange): AsyncGenerator<Frame> {
  const [h, w] = range.size;
  const options = {
    start: range.start,
    // A source that does not state its length, with no count: read it to its end.
    ...(Number.isFinite(range.count) && { count: range.count }),
    crop: centredCrop(info, range.size),
    resize: { width: w, height: h },
  };
  const video = typeof source === 'string' ? await openVideo(source, { ...options, info }) : await source.open(options);
  try {
    yield* video;
  } finally {
    await video.close();
  }
}
