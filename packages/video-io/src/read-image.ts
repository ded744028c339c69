import { VideoError } from '@motiondelta/core';
import type { FrameLimitOptions } from './frame-limits.js';
import { assertFile } from './probe-video.js';
import { openVideo } from './open-video.js';
import type { CropRect, RgbImage, Size, ToolOptions } from './types.js';

export interface ReadImageOptions extends ToolOptions, FrameLimitOptions {
  readonly crop?: CropRect;
  readonly resize?: Size;
}

/**
 * Decodes a still image (PNG, JPEG, anything ffmpeg reads) into RGB bytes. The size its header
 * states is checked (`MAX_FRAME_SIDE`, `maxFrameBytes`) before anything is decoded. A name
 * holding a printf pattern such as `%d` is read by ffmpeg's image2 demuxer as an image sequence:
 * rename such a file first.
 *
 * @example
 * const photo = await readImage('astronaut.png'); // { width: 512, height: 512, data: Uint8Array(786432) }
 */
export async function readImage(path: string, options: ReadImageOptions = {}): Promise<RgbImage> {
  await assertFile(path, 'Image');
  const reader = await openVideo(path, { ...options, count: 1 });
  try {
    for await (const frame of reader) return { width: frame.width, height: frame.height, data: frame.data };
  } finally {
    await reader.close();
  }
  throw new VideoError(`'${path}' decoded to no image.`);
}
