import { OptionError } from '@motiondelta/core';
import { join } from 'node:path';
import { ffmpegFileUrl } from './file-url.js';
import type { FrameSink } from './raw-frame-sink.js';
import { openRawFrameSink } from './raw-frame-sink.js';
import type { RgbImage, Size, ToolOptions } from './types.js';
import { checkSize } from './validate-options.js';

/**
 * Writes one RGB image as a lossless PNG.
 *
 * @example
 * await writePng('frame.png', { width: 2, height: 1, data: new Uint8Array([255, 0, 0, 0, 0, 255]) });
 */
export async function writePng(path: string, image: RgbImage, options: ToolOptions = {}): Promise<void> {
  checkSize('image', image);
  const sink = openRawFrameSink(
    image,
    {
      inputArgs: [],
      outputArgs: ['-frames:v', '1', '-update', '1', '-c:v', 'png', '-pix_fmt', 'rgb24', '-f', 'image2', ffmpegFileUrl(path)],
    },
    path,
    options,
  );
  await sink.write(image.data);
  await sink.close();
}

export interface PngSequenceOptions extends ToolOptions, Size {
  /** Number of the first file. Default 0. */
  readonly startNumber?: number;
}

/**
 * Opens a sink that writes each frame as `dir/pattern` (a printf pattern such as `frame-%05d.png`).
 *
 * @example
 * const sink = writePngSequence('out', 'frame-%05d.png', { width: 384, height: 288 });
 * await sink.write(frame.data); // out/frame-00000.png
 * await sink.close();
 */
export function writePngSequence(dir: string, pattern: string, options: PngSequenceOptions): FrameSink {
  checkSize('frame size', options);
  if (!/%0?\d*d/.test(pattern) || pattern.includes('/')) {
    throw new OptionError(`pattern '${pattern}' must be a file name with one %d (for example 'frame-%05d.png').`);
  }
  const target = join(dir, pattern);
  // The image2 muxer expands the whole name as a printf pattern: a '%' in the folder is literal.
  const url = join(ffmpegFileUrl(dir).replaceAll('%', '%%'), pattern);
  return openRawFrameSink(
    options,
    {
      inputArgs: [],
      outputArgs: ['-c:v', 'png', '-pix_fmt', 'rgb24', '-start_number', String(options.startNumber ?? 0), '-f', 'image2', url],
    },
    target,
    options,
  );
}
