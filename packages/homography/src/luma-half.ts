import { assertImage, type GrayImage, type ImageInput } from './image.js';
import { lumaHalfRgbWords } from './luma-half-words.js';
import { wordView } from './word-view.js';

/**
 * Luma at half resolution in one pass over the pixels: each output pixel is the BT.601 luma of
 * the 2x2 block's summed R, G and B (an odd last row or column is dropped), so pixel `x` of the
 * result is centred on `2x + 0.5` of the input, as with {@link halveBox}. Large frames detect
 * features and refine at half resolution only; converting the full frame to luma first and then
 * halving wrote and re-read a frame-sized buffer that nothing else used.
 *
 * Within one gray level of `halveBox(toGrayscale(image))` (rounding happens once, not twice).
 * RGB frames whose width is a multiple of 4 take the bit-identical packed-word path
 * ({@link lumaHalfRgbWords}); `out` is used when it has the right length.
 *
 * @example
 * ```ts
 * const half = lumaHalf({ data: rgb, width: 640, height: 480, channels: 3 }); // 320x240
 * ```
 */
export function lumaHalf(image: ImageInput, out?: Uint8Array): GrayImage {
  assertImage(image, 'image');
  const { width: sw, height: sh, channels: ch, data } = image;
  const w = Math.max(1, sw >> 1);
  const h = Math.max(1, sh >> 1);
  const gray = out && out.length === w * h ? out : new Uint8Array(w * h);
  if (ch === 3 && sw % 4 === 0 && sh > 1) {
    const words = wordView(data);
    if (words) {
      lumaHalfRgbWords(words, sw, sh, gray);
      return { data: gray, width: w, height: h };
    }
  }
  // Only a 1-pixel-wide or -high input lacks the second column or row.
  const dx = sw > 1 ? ch : 0;
  const stride = sw * ch;
  for (let y = 0; y < h; y++) {
    let i0 = 2 * y * stride;
    let i1 = Math.min(2 * y + 1, sh - 1) * stride;
    const o = y * w;
    if (ch === 1) {
      for (let x = 0; x < w; x++, i0 += 2, i1 += 2) {
        gray[o + x] = (data[i0]! + data[i0 + dx]! + data[i1]! + data[i1 + dx]! + 2) >> 2;
      }
      continue;
    }
    const step = 2 * ch;
    for (let x = 0; x < w; x++, i0 += step, i1 += step) {
      const r = data[i0]! + data[i0 + dx]! + data[i1]! + data[i1 + dx]!;
      const g = data[i0 + 1]! + data[i0 + dx + 1]! + data[i1 + 1]! + data[i1 + dx + 1]!;
      const b = data[i0 + 2]! + data[i0 + dx + 2]! + data[i1 + 2]! + data[i1 + dx + 2]!;
      // 77/150/29 sum to 256; four pixels add two more bits, so the shift is 10.
      gray[o + x] = (77 * r + 150 * g + 29 * b + 512) >> 10;
    }
  }
  return { data: gray, width: w, height: h };
}
