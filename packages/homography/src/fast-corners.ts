import type { GrayImage } from './image.js';

/** Corner candidates of one image: level pixel coordinates and their FAST scores. */
export interface CornerList {
  readonly count: number;
  readonly x: Int32Array;
  readonly y: Int32Array;
  readonly score: Float32Array;
}

// Bresenham circle of radius 3, clockwise from the top; compass points are 0, 4, 8 and 12.
const CIRCLE_X = [0, 1, 2, 3, 3, 3, 2, 1, 0, -1, -2, -3, -3, -3, -2, -1];
const CIRCLE_Y = [-3, -3, -2, -1, 0, 1, 2, 3, 3, 3, 2, 1, 0, -1, -2, -3];

function hasArc9(mask: number): boolean {
  // Doubling the 16-bit ring makes arcs that wrap past pixel 15 contiguous in the word.
  const m = (mask | (mask << 16)) >>> 0;
  let r = m;
  for (let k = 1; k < 9; k++) r &= m >>> k;
  return r !== 0;
}

/**
 * FAST-9 corners (a pixel with 9 contiguous circle pixels all brighter or all darker than it by
 * more than `threshold`) with 3x3 non-maximum suppression on the summed-excess score. Only pixels
 * at least `border` pixels from every edge are tested.
 *
 * @example
 * ```ts
 * const corners = detectFast(gray, 20, 16);
 * corners.count; // number of corners found
 * ```
 */
export function detectFast(image: GrayImage, threshold: number, border: number): CornerList {
  const { width: w, height: h, data } = image;
  const b = Math.max(3, border);
  const offsets = new Int32Array(16);
  for (let k = 0; k < 16; k++) offsets[k] = CIRCLE_Y[k]! * w + CIRCLE_X[k]!;
  const o0 = offsets[0]!;
  const o4 = offsets[4]!;
  const o8 = offsets[8]!;
  const o12 = offsets[12]!;
  const scores = new Uint16Array(w * h);
  let cap = 1024;
  let cx = new Int32Array(cap);
  let cy = new Int32Array(cap);
  let n = 0;
  for (let y = b; y < h - b; y++) {
    for (let x = b, i = y * w + b; x < w - b; x++, i++) {
      const c = data[i]!;
      const hi = c + threshold;
      const lo = c - threshold;
      const p0 = data[i + o0]!;
      const p4 = data[i + o4]!;
      const p8 = data[i + o8]!;
      const p12 = data[i + o12]!;
      // Any arc of 9 covers at least two compass points, so fewer than two rules the pixel out.
      const nb = (p0 > hi ? 1 : 0) + (p4 > hi ? 1 : 0) + (p8 > hi ? 1 : 0) + (p12 > hi ? 1 : 0);
      const nd = (p0 < lo ? 1 : 0) + (p4 < lo ? 1 : 0) + (p8 < lo ? 1 : 0) + (p12 < lo ? 1 : 0);
      if (nb < 2 && nd < 2) continue;
      let bright = 0;
      let dark = 0;
      let sb = 0;
      let sd = 0;
      for (let k = 0; k < 16; k++) {
        const p = data[i + offsets[k]!]!;
        if (p > hi) {
          bright |= 1 << k;
          sb += p - hi;
        } else if (p < lo) {
          dark |= 1 << k;
          sd += lo - p;
        }
      }
      let s = 0;
      if (nb >= 2 && hasArc9(bright)) s = sb;
      if (nd >= 2 && hasArc9(dark)) s = Math.max(s, sd);
      if (s === 0) continue;
      scores[i] = s;
      if (n === cap) {
        cap *= 2;
        const nx = new Int32Array(cap);
        nx.set(cx);
        cx = nx;
        const ny = new Int32Array(cap);
        ny.set(cy);
        cy = ny;
      }
      cx[n] = x;
      cy[n] = y;
      n++;
    }
  }
  const outX = new Int32Array(n);
  const outY = new Int32Array(n);
  const outS = new Float32Array(n);
  let m = 0;
  for (let k = 0; k < n; k++) {
    const i = cy[k]! * w + cx[k]!;
    const s = scores[i]!;
    // Ties go to the first pixel in raster order so a plateau keeps exactly one corner.
    if (
      s > scores[i - w - 1]! && s > scores[i - w]! && s > scores[i - w + 1]! && s > scores[i - 1]! &&
      s >= scores[i + 1]! && s >= scores[i + w - 1]! && s >= scores[i + w]! && s >= scores[i + w + 1]!
    ) {
      outX[m] = cx[k]!;
      outY[m] = cy[k]!;
      outS[m] = s;
      m++;
    }
  }
  return { count: m, x: outX.subarray(0, m), y: outY.subarray(0, m), score: outS.subarray(0, m) };
}
