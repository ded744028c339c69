import { OptionError, ResourceLimitError, VideoError, formatBytes } from '@motiondelta/core';
import type { Size } from './types.js';

/**
 * Largest width or height accepted, in pixels, wherever it comes from (a file's header, a crop,
 * a resize). No video codec ffmpeg decodes in practice goes beyond it (H.264 and HEVC levels top
 * out at 8192 and 16888 wide with far fewer pixels), so a larger claim comes from a corrupt or
 * crafted file, and a larger option from a typo.
 */
export const MAX_FRAME_SIDE = 16384;

/**
 * Default most bytes one decoded rgb24 frame may take: 512 MiB, about 178 megapixels (16384x10922,
 * or 16K video 15360x8640 with room to spare). Raise it with the `maxFrameBytes` option or the
 * `MOTIONDELTA_MAX_FRAME_BYTES` environment variable.
 */
export const DEFAULT_MAX_FRAME_BYTES = 512 * 2 ** 20;

/** Environment variable that sets the frame byte limit when no option does. */
export const MAX_FRAME_BYTES_ENV = 'MOTIONDELTA_MAX_FRAME_BYTES';

/** Options that bound the size of decoded frames. */
export interface FrameLimitOptions {
  /**
   * Most bytes one decoded rgb24 frame (width * height * 3) may take, source frames and output
   * frames alike; default `MOTIONDELTA_MAX_FRAME_BYTES`, else {@link DEFAULT_MAX_FRAME_BYTES}.
   */
  readonly maxFrameBytes?: number;
}

/**
 * The frame byte limit in force: the option, else the environment variable, else the default.
 *
 * @throws OptionError when the option or the variable is not a positive integer
 * @example
 * frameByteLimit({}); // 536870912 unless MOTIONDELTA_MAX_FRAME_BYTES is set
 * frameByteLimit({ maxFrameBytes: 2 ** 30 }); // 1073741824
 */
export function frameByteLimit(options: FrameLimitOptions = {}): number {
  const option = options.maxFrameBytes;
  if (option !== undefined) {
    if (!Number.isSafeInteger(option) || option < 1) {
      throw new OptionError(`maxFrameBytes must be a positive integer number of bytes, got ${String(option)}.`);
    }
    return option;
  }
  const text = process.env[MAX_FRAME_BYTES_ENV]?.trim();
  if (text === undefined || text === '') return DEFAULT_MAX_FRAME_BYTES;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new OptionError(`${MAX_FRAME_BYTES_ENV} must be a positive integer number of bytes (e.g. 1073741824), got '${text}'.`);
  }
  return value;
}

/** Bytes of one rgb24 frame of `size`. */
export function rgbFrameBytes(size: Size): number {
  return size.width * size.height * 3;
}

function checkBytes(what: string, size: Size, options: FrameLimitOptions): void {
  const limit = frameByteLimit(options);
  const bytes = rgbFrameBytes(size);
  if (bytes > limit) {
    throw new ResourceLimitError(
      `a ${size.width}x${size.height} rgb24 frame (${what})`,
      bytes,
      limit,
      `frames are limited to ${formatBytes(limit)} each; resize to a smaller size, or raise the maxFrameBytes option or ${MAX_FRAME_BYTES_ENV}.`,
    );
  }
}

/**
 * Checks the frame size a file's header states, before anything is decoded at that size.
 *
 * @throws VideoError when a side is not a positive integer or exceeds {@link MAX_FRAME_SIDE}
 * @throws ResourceLimitError when one rgb24 frame would exceed the byte limit
 */
export function checkSourceFrame(path: string, size: Size, options: FrameLimitOptions): void {
  const sides = [size.width, size.height];
  if (!sides.every((side) => Number.isInteger(side) && side >= 1)) {
    throw new VideoError(`'${path}' has a video stream without a usable frame size (${size.width}x${size.height}).`);
  }
  if (sides.some((side) => side > MAX_FRAME_SIDE)) {
    throw new VideoError(
      `'${path}' claims ${size.width}x${size.height} frames; sides over ${MAX_FRAME_SIDE} pixels are refused ` +
        '(no video codec produces them: the file is corrupt or crafted).',
    );
  }
  checkBytes(`decoded from '${path}'`, size, options);
}

/**
 * Checks a frame size the caller asked for (`resize`, an image to write).
 *
 * @throws OptionError when a side is not a positive integer or exceeds {@link MAX_FRAME_SIDE}
 * @throws ResourceLimitError when one rgb24 frame would exceed the byte limit
 */
export function checkRequestedFrame(name: string, size: Size, options: FrameLimitOptions): void {
  const sides = [size.width, size.height];
  if (!sides.every((side) => Number.isInteger(side) && side >= 1 && side <= MAX_FRAME_SIDE)) {
    throw new OptionError(`${name} must have integer width and height from 1 to ${MAX_FRAME_SIDE}, got ${size.width}x${size.height}.`);
  }
  checkBytes(name, size, options);
}
