import { OptionError, VideoError } from '@motiondelta/core';
import type { ChildProcessByStdio } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { StderrTail, toolMissingError, toolPath } from './ffmpeg-tools.js';
import { ffmpegFileUrl } from './file-url.js';
import { checkRequestedFrame, checkSourceFrame, rgbFrameBytes, type FrameLimitOptions } from './frame-limits.js';
import { assertFile, probeVideo } from './probe-video.js';
import { trackToolProcess } from './tool-processes.js';
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

type Decoder = ChildProcessByStdio<null, Readable, Readable>;

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly spawnError?: unknown;
}

function filterChain(start: number, count: number | undefined, crop: CropRect | undefined, resize: Size | undefined, source: Size): string {
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
  const frameBytes = rgbFrameBytes(frameSize);
  // When the container states a frame count, fewer decoded frames mean a truncated file.
  const expected = Math.min(options.count ?? Number.POSITIVE_INFINITY, info.frameCount - start);

  const binary = toolPath('ffmpeg', options);
  const args = [
    '-nostdin',
    '-hide_banner',
    '-v',
    'error',
    '-i',
    ffmpegFileUrl(path),
    '-vf',
    filterChain(start, options.count, options.crop, options.resize, info),
    // Keep every decoded frame as is: no duplication or dropping to fit a constant rate.
    '-fps_mode',
    'passthrough',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ];
  const child: Decoder = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  trackToolProcess(child);
  const stderr = new StderrTail();
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exited = new Promise<Exit>((resolve) => {
    child.on('error', (spawnError) => resolve({ code: null, signal: null, spawnError }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  let closing = false;

  const stop = async (): Promise<void> => {
    closing = true;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child.stdout.destroy();
    await exited;
  };

  const failure = (exit: Exit, decoded: number, leftover: number): VideoError | undefined => {
    if (exit.spawnError !== undefined) return toolMissingError('ffmpeg', binary, exit.spawnError);
    const details = stderr.toString();
    if (exit.code !== 0) {
      return new VideoError(`ffmpeg failed to decode '${path}' (exit code ${exit.code ?? exit.signal}): ${details || 'no details'}`);
    }
    if (leftover > 0) {
      return new VideoError(
        `'${path}' ended inside a frame (${leftover} of ${frameBytes} bytes): the file is truncated or corrupt. ${details}`,
      );
    }
    if (details) return new VideoError(`ffmpeg reported decoding errors in '${path}' (the file is truncated or corrupt): ${details}`);
    if (Number.isFinite(expected) && decoded < expected) {
      return new VideoError(
        `'${path}' yielded ${decoded} frames from index ${start}, but the file says it has ${expected} more: it is truncated or corrupt.`,
      );
    }
    return undefined;
  };

  async function* decode(): AsyncGenerator<Frame> {
    let frame = new Uint8Array(frameBytes);
    let filled = 0;
    let index = start;
    try {
      try {
        for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
          // Chunks ignore frame boundaries: copy each piece into the frame it belongs to.
          let offset = 0;
          while (offset < chunk.length) {
            const take = Math.min(frameBytes - filled, chunk.length - offset);
            frame.set(chunk.subarray(offset, offset + take), filled);
            filled += take;
            offset += take;
            if (filled < frameBytes) continue;
            const timestamp = info.fps > 0 ? index / info.fps : 0;
            yield { index, width: frameSize.width, height: frameSize.height, data: frame, timestamp };
            // A fresh buffer per frame: callers may keep frames (previous-frame deltas).
            frame = new Uint8Array(frameBytes);
            filled = 0;
            index += 1;
          }
        }
      } catch (error) {
        // close() destroys stdout under us; that is the requested stop, not a failure.
        if (closing) return;
        throw new VideoError(`reading frames of '${path}' failed: ${(error as Error).message}`, { cause: error });
      }
      const exit = await exited;
      if (closing) return;
      const error = failure(exit, index - start, filled);
      if (error) throw error;
    } finally {
      await stop();
    }
  }

  const frames = decode();
  return {
    info,
    frameSize,
    [Symbol.asyncIterator]: () => frames,
    close: async () => {
      await stop();
      await frames.return(undefined);
    },
  };
}
