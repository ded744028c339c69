import { blurBinomial3Words } from './blur-words.js';
import type { GrayImage } from './image.js';
import { wordView } from './word-view.js';

const TAPS = Int32Array.of(1, 6, 15, 20, 15, 6, 1);

/**
 * Separable 7-tap binomial blur (1 6 15 20 15 6 1)/64, sigma about 1.22, edges clamped. Binary
 * descriptors compare single pixels, so they need this smoothing to survive noise.
 *
 * Each output row is filtered vertically into a one-row buffer and then horizontally from it, so
 * the intermediate stays in cache instead of making a frame-sized round trip through memory.
 *
 * @example
 * ```ts
 * const soft = blurBinomial7({ data: new Uint8Array(64).fill(9), width: 8, height: 8 });
 * soft.data[0]; // 9
 * ```
 */
export function blurBinomial7(image: GrayImage): GrayImage {
  const { width: w, height: h, data } = image;
  const col = new Uint16Array(w);
  const out = new Uint8Array(w * h);
  const xm = w - 1;
  const ym = h - 1;
  for (let y = 0; y < h; y++) {
    const r0 = Math.max(0, y - 3) * w;
    const r1 = Math.max(0, y - 2) * w;
    const r2 = Math.max(0, y - 1) * w;
    const r3 = y * w;
    const r4 = Math.min(ym, y + 1) * w;
    const r5 = Math.min(ym, y + 2) * w;
    const r6 = Math.min(ym, y + 3) * w;
    for (let x = 0; x < w; x++) {
      col[x] =
        data[r0 + x]! + data[r6 + x]! + 6 * (data[r1 + x]! + data[r5 + x]!) + 15 * (data[r2 + x]! + data[r4 + x]!) + 20 * data[r3 + x]!;
    }
    for (let x = 3; x < w - 3; x++) {
      const s = col[x - 3]! + col[x + 3]! + 6 * (col[x - 2]! + col[x + 2]!) + 15 * (col[x - 1]! + col[x + 1]!) + 20 * col[x]!;
      out[r3 + x] = (s + 2048) >> 12;
    }
    // The few edge columns take clamped taps; kept out of the hot loop above.
    for (let x = 0; x < w; x++) {
      if (x >= 3 && x < w - 3) {
        x = w - 4;
        continue;
      }
      let s = 0;
      for (let k = -3; k <= 3; k++) s += TAPS[k + 3]! * col[Math.min(xm, Math.max(0, x + k))]!;
      out[r3 + x] = (s + 2048) >> 12;
    }
  }
  return { data: out, width: w, height: h };
}

// Column sums of the packed-word path, kept across calls (one row of words each).
let colEScratch = new Int32Array(0);
let colOScratch = new Int32Array(0);

/**
 * Separable 3-tap binomial blur (1 2 1)/4, sigma about 0.71, edges clamped: the light smoothing
 * that half-resolution luma needs before FAST and descriptors (its 2x2 box average has already
 * removed most pixel noise, so the 7-tap kernel would blur away corners). Widths that are a
 * multiple of 4 (with word-aligned buffers) take the bit-identical packed-word path
 * ({@link blurBinomial3Words}); `out` is used when it has the right length.
 *
 * @example
 * ```ts
 * const soft = blurBinomial3({ data: new Uint8Array(64).fill(9), width: 8, height: 8 });
 * soft.data[0]; // 9
 * ```
 */
export function blurBinomial3(image: GrayImage, out?: Uint8Array): GrayImage {
  const { width: w, height: h, data } = image;
  const dst = out && out.length === w * h ? out : new Uint8Array(w * h);
  if (w % 4 === 0) {
    const src = wordView(data);
    const dstWords = wordView(dst);
    if (src && dstWords) {
      if (colEScratch.length < w >> 2) {
        colEScratch = new Int32Array(w >> 2);
        colOScratch = new Int32Array(w >> 2);
      }
      blurBinomial3Words(image, src, dstWords, colEScratch, colOScratch);
      return { data: dst, width: w, height: h };
    }
  }
  const col = new Uint16Array(w);
  const ym = h - 1;
  for (let y = 0; y < h; y++) {
    const r0 = Math.max(0, y - 1) * w;
    const r1 = y * w;
    const r2 = Math.min(ym, y + 1) * w;
    for (let x = 0; x < w; x++) col[x] = data[r0 + x]! + 2 * data[r1 + x]! + data[r2 + x]!;
    // Column sums are at most 1020 and a row sum at most 4080: (s + 8) >> 4 is the rounded mean.
    for (let x = 1; x < w - 1; x++) dst[r1 + x] = (col[x - 1]! + 2 * col[x]! + col[x + 1]! + 8) >> 4;
    const last = w - 1;
    dst[r1] = (3 * col[0]! + col[Math.min(last, 1)]! + 8) >> 4;
    if (last > 0) dst[r1 + last] = (col[last - 1]! + 3 * col[last]! + 8) >> 4;
  }
  return { data: dst, width: w, height: h };
}
