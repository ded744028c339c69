import { OptionError } from '@motiondelta/core';
import type { CropRect, Size } from './types.js';

function isCount(value: number, min: number): boolean {
  // Safe integers only: 1e300 is an "integer" too, and would reach ffmpeg as '1e+300'.
  return Number.isSafeInteger(value) && value >= min;
}

/** Throws OptionError unless `size` has positive integer sides. */
export function checkSize(name: string, size: Size): void {
  if (!isCount(size.width, 1) || !isCount(size.height, 1)) {
    throw new OptionError(`${name} must have positive integer width and height, got ${size.width}x${size.height}.`);
  }
}

/** Throws OptionError unless `crop` lies inside a `frame`-sized image. */
export function checkCrop(crop: CropRect, frame: Size): void {
  checkSize('crop', crop);
  if (!isCount(crop.x, 0) || !isCount(crop.y, 0) || crop.x + crop.width > frame.width || crop.y + crop.height > frame.height) {
    throw new OptionError(
      `crop {x:${crop.x}, y:${crop.y}, width:${crop.width}, height:${crop.height}} lies outside the ` +
        `${frame.width}x${frame.height} frame; x+width must be <= ${frame.width} and y+height <= ${frame.height}.`,
    );
  }
}

/** Throws OptionError unless `start` / `count` pick at least one of `frameCount` frames. */
export function checkRange(start: number, count: number | undefined, frameCount: number): void {
  if (!isCount(start, 0) || start >= frameCount) {
    throw new OptionError(`start must be an integer frame index in [0, ${frameCount - 1}], got ${start}.`);
  }
  if (count !== undefined && !isCount(count, 1)) {
    throw new OptionError(`count must be a positive integer number of frames, got ${count}.`);
  }
}

/** Throws OptionError unless `data` is exactly one `size` RGB frame. */
export function checkFrameBytes(data: Uint8Array, size: Size): void {
  const expected = size.width * size.height * 3;
  if (!(data instanceof Uint8Array) || data.length !== expected) {
    throw new OptionError(
      `a frame of ${size.width}x${size.height} RGB needs ${expected} bytes (HWC rgb24), got ${data?.length ?? 'none'}.`,
    );
  }
}
