import type { GrayImage } from './image.js';

const TAPS = Int32Array.of(1, 6, 15, 20, 15, 6, 1);

/**
 * Separable 7-tap binomial blur (1 6 15 20 15 6 1)/64, sigma about 1.22, edges clamped. Binary
 * descriptors compare single pixels, so they need this smoothing to survive noise.
 *
 * @example
 * ```ts
 * const soft = blurBinomial7({ data: new Uint8Array(64).fill(9), width: 8, height: 8 });
 * soft.data[0]; // 9
 * ```
 */
export function blurBinomial7(image: GrayImage, scratch?: Uint16Array): GrayImage {
  const { width: w, height: h, data } = image;
  const tmp = scratch && scratch.length >= w * h ? scratch : new Uint16Array(w * h);
  const out = new Uint8Array(w * h);
  const xm = w - 1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const inner = Math.max(3, Math.min(w - 3, w));
    for (let x = 3; x < inner; x++) {
      const i = row + x;
      tmp[i] = data[i - 3]! + data[i + 3]! + 6 * (data[i - 2]! + data[i + 2]!) + 15 * (data[i - 1]! + data[i + 1]!) + 20 * data[i]!;
    }
    // The few edge columns take clamped taps; kept out of the hot loop above.
    for (let x = 0; x < w; x++) {
      if (x >= 3 && x < w - 3) {
        x = w - 4;
        continue;
      }
      let s = 0;
      for (let k = -3; k <= 3; k++) s += TAPS[k + 3]! * data[row + Math.min(xm, Math.max(0, x + k))]!;
      tmp[row + x] = s;
    }
  }
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
      const s =
        tmp[r0 + x]! + tmp[r6 + x]! + 6 * (tmp[r1 + x]! + tmp[r5 + x]!) + 15 * (tmp[r2 + x]! + tmp[r4 + x]!) + 20 * tmp[r3 + x]!;
      out[r3 + x] = (s + 2048) >> 12;
    }
  }
  return { data: out, width: w, height: h };
}
