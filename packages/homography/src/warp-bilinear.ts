import { AlignmentError } from './errors.js';
import { assertHomography, invertHomography } from './homography-math.js';
import { assertImage, type ImageInput } from './image.js';

/** Options of {@link warpBilinear}. */
export interface WarpOptions {
  /** Size of the target grid. */
  readonly width: number;
  readonly height: number;
  /** Value written where the source does not cover the target. Default 0. */
  readonly fill?: number;
  /** Reused output buffers (must have the right lengths), so a video loop allocates nothing. */
  readonly out?: Uint8Array;
  readonly mask?: Uint8Array;
}

/** A warped image and where it is valid. */
export interface WarpResult {
  readonly image: { readonly data: Uint8Array; readonly width: number; readonly height: number; readonly channels: number };
  /** 1 where the target pixel was sampled from inside the source, else 0. */
  readonly mask: Uint8Array;
  /** Count of valid pixels. */
  readonly covered: number;
}

/**
 * Warps `source` into a `width x height` target grid with bilinear sampling. `H` maps source
 * pixels to target pixels (the direction `estimateHomography(a, b)` returns when `source` is b
 * and the grid is a's); each target pixel is pulled from `H⁻¹` of its position. Pixels whose
 * source position falls outside the source get `fill` and mask 0.
 *
 * @example
 * ```ts
 * const { image, mask } = warpBilinear(frameB, result.H, { width: frameA.width, height: frameA.height });
 * ```
 */
export function warpBilinear(source: ImageInput, H: ArrayLike<number>, options: WarpOptions): WarpResult {
  assertImage(source, 'source');
  assertHomography(H, 'H');
  const { width, height } = options;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new AlignmentError(`Target size ${width}x${height} is invalid; use positive integers.`);
  }
  const inv = invertHomography(H);
  if (!inv) throw new AlignmentError('H is singular; a warp needs an invertible homography.');
  const ch = source.channels;
  const sw = source.width;
  const sh = source.height;
  const src = source.data;
  const n = width * height;
  const out = options.out ?? new Uint8Array(n * ch);
  const mask = options.mask ?? new Uint8Array(n);
  if (out.length !== n * ch) throw new AlignmentError(`out has ${out.length} bytes; the target needs ${n * ch}.`);
  if (mask.length !== n) throw new AlignmentError(`mask has ${mask.length} bytes; the target needs ${n}.`);
  const fill = options.fill ?? 0;
  const h0 = inv[0]!,
    h1 = inv[1]!,
    h2 = inv[2]!,
    h3 = inv[3]!,
    h4 = inv[4]!,
    h5 = inv[5]!,
    h6 = inv[6]!,
    h7 = inv[7]!,
    h8 = inv[8]!;
  // Edge pixels are valid up to the last pixel centre; the tiny slack keeps exact borders in.
  const maxX = sw - 1 + 1e-6;
  const maxY = sh - 1 + 1e-6;
  const stride = sw * ch;
  let covered = 0;
  for (let y = 0; y < height; y++) {
    // Homogeneous source coordinates step linearly along a row.
    let X = h1 * y + h2;
    let Y = h4 * y + h5;
    let W = h7 * y + h8;
    let o = y * width;
    for (let x = 0; x < width; x++, o++, X += h0, Y += h3, W += h6) {
      const sx = X / W;
      const sy = Y / W;
      const oc = o * ch;
      if (!(W > 0 || W < 0) || !(sx >= -1e-6 && sy >= -1e-6 && sx <= maxX && sy <= maxY)) {
        mask[o] = 0;
        for (let c = 0; c < ch; c++) out[oc + c] = fill;
        continue;
      }
      let x0 = Math.floor(sx);
      let y0 = Math.floor(sy);
      if (x0 > sw - 2) x0 = Math.max(0, sw - 2);
      if (y0 > sh - 2) y0 = Math.max(0, sh - 2);
      if (x0 < 0) x0 = 0;
      if (y0 < 0) y0 = 0;
      const fx = sw > 1 ? Math.min(1, Math.max(0, sx - x0)) : 0;
      const fy = sh > 1 ? Math.min(1, Math.max(0, sy - y0)) : 0;
      const dx = sw > 1 ? ch : 0;
      const dy = sh > 1 ? stride : 0;
      const i = y0 * stride + x0 * ch;
      for (let c = 0; c < ch; c++) {
        const p = i + c;
        const top = src[p]! + (src[p + dx]! - src[p]!) * fx;
        const bot = src[p + dy]! + (src[p + dy + dx]! - src[p + dy]!) * fx;
        out[oc + c] = (top + (bot - top) * fy + 0.5) | 0;
      }
      mask[o] = 1;
      covered++;
    }
  }
  return { image: { data: out, width, height, channels: ch }, mask, covered };
}
