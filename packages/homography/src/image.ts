import { AlignmentError } from './errors.js';

/** Pixel bytes of an image, row-major, channels last. */
export type PixelData = Uint8Array | Uint8ClampedArray;

/** An image as given by callers: 1 (gray), 3 (RGB) or 4 (RGBA) interleaved 8-bit channels. */
export interface ImageInput {
  readonly data: PixelData;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

/** A single-channel 8-bit image; `data.length === width * height`. */
export interface GrayImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * Throws {@link AlignmentError} unless `image` is a well-formed 1, 3 or 4 channel image.
 *
 * @example
 * ```ts
 * assertImage({ data: new Uint8Array(12), width: 2, height: 2, channels: 3 }, 'a'); // passes
 * ```
 */
export function assertImage(image: ImageInput, what: string): void {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new AlignmentError(`Image '${what}' has size ${width}x${height}; width and height must be positive integers.`);
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new AlignmentError(`Image '${what}' has ${channels} channels; 1 (gray), 3 (RGB) or 4 (RGBA) are accepted.`);
  }
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new AlignmentError(`Image '${what}' data must be a Uint8Array or Uint8ClampedArray.`);
  }
  const expected = width * height * channels;
  if (data.length !== expected) {
    throw new AlignmentError(`Image '${what}' data has ${data.length} bytes; ${width}x${height}x${channels} needs ${expected}.`);
  }
}
