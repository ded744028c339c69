import { OptionError } from '@motiondelta/core';
import { ffmpegFileUrl } from './file-url.js';
import { runTool } from './run-tool.js';
import type { FrameSink } from './raw-frame-sink.js';
import { openRawFrameSink } from './raw-frame-sink.js';
import type { ToolOptions } from './types.js';
import { checkSize } from './validate-options.js';

export interface VideoWriterOptions extends ToolOptions {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** Quality: x264 CRF (0 lossless .. 51) or mpeg4 qscale (1 best .. 31). Defaults 18 and 2. */
  readonly quality?: number;
}

/** Encoder availability per ffmpeg binary; asking ffmpeg costs ~50 ms, so ask once. */
const hasX264 = new Map<string, Promise<boolean>>();

function x264Available(options: ToolOptions): Promise<boolean> {
  const key = options.ffmpegPath ?? process.env['MOTIONDELTA_FFMPEG'] ?? 'ffmpeg';
  let known = hasX264.get(key);
  if (!known) {
    known = runTool('ffmpeg', ['-hide_banner', '-encoders'], options).then(({ stdout }) => /\blibx264\b/.test(stdout));
    hasX264.set(key, known);
    // A missing binary must not poison the cache for a later, fixed, configuration.
    known.catch(() => hasX264.delete(key));
  }
  return known;
}

/**
 * Opens an MP4 writer (H.264 through libx264 when this ffmpeg has it, MPEG-4 part 2 otherwise;
 * yuv420p, so width and height must be even).
 *
 * @example
 * const writer = await createVideoWriter('out.mp4', { width: 384, height: 288, fps: 25 });
 * for await (const frame of await openVideo('cube.mpeg')) await writer.write(frame.data);
 * await writer.close();
 */
export async function createVideoWriter(path: string, options: VideoWriterOptions): Promise<FrameSink> {
  checkSize('video size', options);
  if (options.width % 2 !== 0 || options.height % 2 !== 0) {
    throw new OptionError(
      `MP4 (yuv420p) needs even width and height, got ${options.width}x${options.height}; ` + 'crop or resize to even sizes first.',
    );
  }
  if (!Number.isFinite(options.fps) || options.fps <= 0) {
    throw new OptionError(`fps must be a positive number, got ${options.fps}.`);
  }
  const codecArgs = (await x264Available(options))
    ? ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', String(options.quality ?? 18)]
    : ['-c:v', 'mpeg4', '-q:v', String(options.quality ?? 2)];
  return openRawFrameSink(
    options,
    {
      inputArgs: ['-r', String(options.fps)],
      outputArgs: [...codecArgs, '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4', ffmpegFileUrl(path)],
    },
    path,
    options,
  );
}
