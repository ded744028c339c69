import { halveBoxWords } from './halve-box-words.js';
import type { GrayImage } from './image.js';
import { wordView } from './word-view.js';

/** One level of an image pyramid. */
export interface PyramidLevel extends GrayImage {
  /** Size of a pixel of this level in level-0 pixels (geometric mean of the two axes). */
  readonly scale: number;
  /** Level-0 width divided by this level's width: `x0 = (x + 0.5) * scaleX - 0.5`. */
  readonly scaleX: number;
  /** Level-0 height divided by this level's height. */
  readonly scaleY: number;
}

/**
 * Downscales `image` by `factor` with bilinear sampling, pixel centres aligned
 * (`src = (dst + 0.5) * factor - 0.5`). Writes into `out` when it has the right length.
 *
 * @example
 * ```ts
 * const half = resizeBilinear({ data: new Uint8Array(16), width: 4, height: 4 }, 2); // 2x2
 * ```
 */
export function resizeBilinear(image: GrayImage, factor: number, out?: Uint8Array): GrayImage {
  const { width: sw, height: sh, data } = image;
  const w = Math.max(1, Math.round(sw / factor));
  const h = Math.max(1, Math.round(sh / factor));
  const fx = sw / w;
  const fy = sh / h;
  // Column taps are the same for every row: compute them once. Weights are in 1/256 steps so
  // the loop stays in small-integer arithmetic (within one gray level of exact weights).
  const x0s = new Int32Array(w);
  const x1s = new Int32Array(w);
  const wxs = new Int32Array(w);
  for (let x = 0; x < w; x++) {
    const sx = Math.min(sw - 1, Math.max(0, (x + 0.5) * fx - 0.5));
    const x0 = Math.max(0, Math.min(sw - 2, Math.floor(sx)));
    x0s[x] = x0;
    x1s[x] = sw > 1 ? x0 + 1 : x0;
    wxs[x] = sw > 1 ? Math.round((sx - x0) * 256) : 0;
  }
  const dst = out && out.length === w * h ? out : new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(sh - 1, Math.max(0, (y + 0.5) * fy - 0.5));
    const y0 = Math.max(0, Math.min(sh - 2, Math.floor(sy)));
    const wy = sh > 1 ? Math.round((sy - y0) * 256) : 0;
    const r0 = y0 * sw;
    const r1 = sh > 1 ? r0 + sw : r0;
    const o = y * w;
    for (let x = 0; x < w; x++) {
      const x0 = x0s[x]!;
      const x1 = x1s[x]!;
      const wx = wxs[x]!;
      const top = (data[r0 + x0]! << 8) + (data[r0 + x1]! - data[r0 + x0]!) * wx;
      const bot = (data[r1 + x0]! << 8) + (data[r1 + x1]! - data[r1 + x0]!) * wx;
      // top and bot carry 8 fraction bits, the row blend 8 more.
      dst[o + x] = ((top << 8) + (bot - top) * wy + 32768) >> 16;
    }
  }
  return { data: dst, width: w, height: h };
}

/**
 * Halves `image` by averaging 2x2 blocks (an odd last row or column is dropped), so pixel `x` of
 * the result is centred on `2x + 0.5` of the input. Anti-aliased by construction and cheaper than
 * {@link resizeBilinear}, which needs a blurred input and four weighted taps per pixel. Writes
 * into `out` when it has the right length; widths that are a multiple of 8 take the bit-identical
 * packed-word path ({@link halveBoxWords}).
 *
 * @example
 * ```ts
 * halveBox({ data: Uint8Array.of(0, 2, 4, 6), width: 2, height: 2 }).data[0]; // 3
 * ```
 */
export function halveBox(image: GrayImage, out?: Uint8Array): GrayImage {
  const { width: sw, data } = image;
  const w = Math.max(1, sw >> 1);
  const h = Math.max(1, image.height >> 1);
  const dst = out && out.length === w * h ? out : new Uint8Array(w * h);
  if (sw % 8 === 0 && image.height > 1) {
    const src = wordView(data);
    const dstWords = wordView(dst);
    if (src && dstWords) {
      halveBoxWords(src, sw, image.height, dstWords);
      return { data: dst, width: w, height: h };
    }
  }
  // Only a 1-pixel-wide or -high input lacks the second column or row.
  const dx = sw > 1 ? 1 : 0;
  for (let y = 0; y < h; y++) {
    const r0 = 2 * y * sw;
    const r1 = Math.min(2 * y + 1, image.height - 1) * sw;
    const o = y * w;
    for (let x = 0, i = 0; x < w; x++, i += 2) {
      dst[o + x] = (data[r0 + i]! + data[r0 + i + dx]! + data[r1 + i]! + data[r1 + i + dx]! + 2) >> 2;
    }
  }
  return { data: dst, width: w, height: h };
}

/**
 * Image pyramid: level 0 is the input, each next level is `factor` times smaller. Stops early
 * when a level would be smaller than `minSize` on its short side. `alloc(level, bytes)`, when
 * given, supplies the pixel buffer of each level after the first (for reusing scratch memory).
 *
 * @example
 * ```ts
 * const levels = buildPyramid({ data: new Uint8Array(640 * 480), width: 640, height: 480 }, 4, Math.SQRT2);
 * levels.map((l) => l.width); // [640, 453, 320, 226]
 * ```
 */
export function buildPyramid(
  image: GrayImage,
  levels: number,
  factor: number,
  minSize = 40,
  alloc?: (level: number, bytes: number) => Uint8Array,
): PyramidLevel[] {
  const out: PyramidLevel[] = [{ ...image, scale: 1, scaleX: 1, scaleY: 1 }];
  // With factor sqrt(2), level l is level l - 2 halved: a 2x2 box average (four integer taps) is
  // several times cheaper than a bilinear resize and centres pixels exactly when sizes are even.
  const halving = Math.abs(factor * factor - 2) < 1e-9;
  for (let l = 1; l < levels; l++) {
    const prev = out[l - 1]!;
    if (Math.min(prev.width, prev.height) / factor < minSize) break;
    const grand = l >= 2 ? out[l - 2]! : null;
    const box = halving && grand !== null && grand.width % 2 === 0 && grand.height % 2 === 0;
    const w = box ? grand.width >> 1 : Math.max(1, Math.round(prev.width / factor));
    const h = box ? grand.height >> 1 : Math.max(1, Math.round(prev.height / factor));
    const buf = alloc?.(l, w * h);
    const next = box ? halveBox(grand, buf) : resizeBilinear(prev, factor, buf);
    const scaleX = image.width / next.width;
    const scaleY = image.height / next.height;
    out.push({ ...next, scale: Math.sqrt(scaleX * scaleY), scaleX, scaleY });
  }
  return out;
}
