import { OptionError } from '@motiondelta/core';
import { toolPath } from './ffmpeg-tools.js';
import { ffmpegFileUrl } from './file-url.js';
import { startFrameDecoder } from './frame-decoder.js';
import { checkRequestedFrame, checkSourceFrame, type FrameLimitOptions } from './frame-limits.js';
import { assertFile, probeVideo } from './probe-video.js';
import type { CropRect, Frame, Size, ToolOptions, VideoInfo } from './types.js';
import { checkCrop, checkRange } from './validate-options.js';

export interface OpenVideoOptions extends ToolOptions, FrameLimitOptions {
  /** First frame to decode (frame index in the file). Default 0. */
  readonly start?: number;
  /** Frames to decode at most. Default: to the end of the file. */
  readonly count?: number;
  /** Region of the source frame to keep, applied before `resize`. */
  readonly crop?: CropRect;
  /** Output size after cropping; sides up to `MAX_FRAME_SIDE` (16384), bytes up to `maxFrameBytes`. */
  readonly resize?: Size;
  /** Only `rgb24` (HWC, 3 bytes per pixel) is produced. */
  readonly pixelFormat?: 'rgb24';
  /** Metadata from an earlier `probeVideo`, to skip probing again. */
  readonly info?: VideoInfo;
}

/** Decoded frames of one file; iterate once with `for await`. */
export interface VideoReader extends AsyncIterable<Frame> {
  /** Metadata of the source file. */
  readonly info: VideoInfo;
  /** Size of the frames this reader yields (after crop and resize). */
  readonly frameSize: Size;
  /** Stops decoding and waits until ffmpeg has exited. Safe to call more than once. */
  close(): Promise<void>;
}

/** The ffmpeg filters that pick frames from `start`, then crop, then resize. */
export function filterChain(
  start: number,
  count: number | undefined,
  crop: CropRect | undefined,
  resize: Size | undefined,
  source: Size,
): string {
  const filters = [`trim=start_frame=${start}${count === undefined ? '' : `:end_frame=${start + count}`}`];
  if (crop) filters.push(`crop=${crop.width}:${crop.height}:${crop.x}:${crop.y}`);
  if (resize) {
    const from = crop ?? source;
    // Area averaging avoids aliasing when shrinking; bicubic is the better choice when enlarging.
    const flags = resize.width <= from.width && resize.height <= from.height ? 'area' : 'bicubic';
    filters.push(`scale=${resize.width}:${resize.height}:flags=${flags}`);
  }
  return filters.join(',');
}

/**
 * Opens a video for decoding into RGB frames through an ffmpeg raw-video pipe. Frames are exact
 * (`start` counts decoded frames, not seek positions). Breaking out of the loop, calling
 * `close()`, or an error all stop ffmpeg; no child process outlives the reader (nor the process:
 * see `killToolProcesses`). `path` is a local file, handed to ffmpeg as a `file:` URL, so no
 * name is ever read as an option or a protocol. The source frame size (from the file's header)
 * and the output size are checked against `MAX_FRAME_SIDE` and `maxFrameBytes` before ffmpeg
 * starts or any frame buffer exists.
 *
 * @example
 * const video = await openVideo('vtest.avi', { start: 10, count: 5, resize: { width: 384, height: 288 } });
 * for await (const frame of video) console.log(frame.index, frame.data.length); // 10 331776 ...
 */
export async function openVideo(path: string, options: OpenVideoOptions = {}): Promise<VideoReader> {
  if (options.pixelFormat !== undefined && options.pixelFormat !== 'rgb24') {
    throw new OptionError(`pixelFormat '${String(options.pixelFormat)}' is not supported; use 'rgb24'.`);
  }
  // Also with a caller's `info`: ffmpeg would wait forever on a FIFO and never end on a device.
  if (options.info) await assertFile(path);
  const info = options.info ?? (await probeVideo(path, options));
  // Again when `info` came from the caller: ffmpeg allocates source frames of this size.
  checkSourceFrame(path, info, options);
  const start = options.start ?? 0;
  checkRange(start, options.count, info.frameCount);
  if (options.crop) checkCrop(options.crop, info);
  if (options.resize) checkRequestedFrame('resize', options.resize, options);
  const frameSize: Size = options.resize ?? options.crop ?? { width: info.width, height: info.height };
  // When the container states a frame count, fewer decoded frames mean a truncated file.
  const expected = Math.min(options.count ?? Number.POSITIVE_INFINITY, info.frameCount - start);

  const args = [
    '-nostdin',
    '-hide_banner',
    '-v',
    'error',
    '-i',
    ffmpegFileUrl(path),
    ...rawOutputArgs(filterChain(start, options.count, options.crop, options.resize, info)),
  ];
  const decoder = startFrameDecoder({
    binary: toolPath('ffmpeg', options),
    args,
    label: `'${path}'`,
    frameSize,
    start,
    fps: info.fps,
    expected,
    stopAfter: undefined,
  });
  return {
    info,
    frameSize,
    [Symbol.asyncIterator]: () => decoder.frames,
    close: async () => {
      await decoder.stop();
      await decoder.frames.return(undefined);
    },
  };
}

/** ffmpeg's output side for a decoder: `filters`, every frame kept, raw rgb24 on stdout. */
export function rawOutputArgs(filters: string): string[] {
  return [
    '-vf',
    filters,
    // Keep every decoded frame as is: no duplication or dropping to fit a constant rate.
    '-fps_mode',
    'passthrough',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    // Each frame is written out as soon as it is decoded, not when ffmpeg's 32 KiB output buffer
    // fills: a live source's small frames would otherwise wait for the next ones.
    '-flush_packets',
    '1',
    'pipe:1',
  ];
}
