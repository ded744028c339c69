import { assertImage, type GrayImage, type ImageInput } from './image.js';

/**
 * Luma of an 8-bit image (BT.601 weights in fixed point, alpha ignored). Gray input is copied so
 * the result never aliases caller memory.
 *
 * @example
 * ```ts
 * const gray = toGrayscale({ data: new Uint8Array([255, 0, 0]), width: 1, height: 1, channels: 3 });
 * gray.data[0]; // 76
 * ```
 */
export function toGrayscale(image: ImageInput, out?: Uint8Array): GrayImage {
  assertImage(image, 'image');
  const { width, height, channels, data } = image;
  const n = width * height;
  const gray = out && out.length === n ? out : new Uint8Array(n);
  if (channels === 1) {
    gray.set(data);
  } else {
    // 77/150/29 sum to 256, so the shift is exact for white and black.
    for (let i = 0, j = 0; i < n; i++, j += channels) {
      gray[i] = (77 * data[j]! + 150 * data[j + 1]! + 29 * data[j + 2]! + 128) >> 8;
    }
  }
  return { data: gray, width, height };
}
