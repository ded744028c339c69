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
 * Speed: most pixels are rejected on the four compass pixels alone, and scores live in a
 * three-row ring (row y is suppressed once row y + 1 is scored), so nothing is frame-sized.
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
  // Pixels are integers, so p > c + threshold exactly when p > c + floor(threshold); an integer
  // keeps the hot loop in small-integer arithmetic (a fractional one made V8 use doubles).
  const t = Math.floor(threshold);
  const offsets = new Int32Array(16);
  for (let k = 0; k < 16; k++) offsets[k] = CIRCLE_Y[k]! * w + CIRCLE_X[k]!;
  const o0 = offsets[0]!;
  const o4 = offsets[4]!;
  const o8 = offsets[8]!;
  const o12 = offsets[12]!;
  const o2 = offsets[2]!;
  const o6 = offsets[6]!;
  const o10 = offsets[10]!;
  const o14 = offsets[14]!;
  // Row r's scores at ring[(r % 3) * w + x]; candidate columns of row r likewise in cols.
  const ring = new Uint16Array(3 * w);
  const cols = new Int32Array(3 * w);
  const ncol = new Int32Array(3);
  let cap = 1024;
  let outX = new Int32Array(cap);
  let outY = new Int32Array(cap);
  let outS = new Float32Array(cap);
  let m = 0;

  // Keeps the candidates of row y that beat their 8 neighbours (rows y - 1 and y + 1 scored).
  const suppressRow = (y: number): void => {
    const r = (y % 3) * w;
    const up = ((y + 2) % 3) * w;
    const dn = ((y + 1) % 3) * w;
    for (let k = 0, n = ncol[y % 3]!; k < n; k++) {
      const x = cols[r + k]!;
      const s = ring[r + x]!;
      // Ties go to the first pixel in raster order so a plateau keeps exactly one corner.
      if (
        s > ring[up + x - 1]! && s > ring[up + x]! && s > ring[up + x + 1]! && s > ring[r + x - 1]! &&
        s >= ring[r + x + 1]! && s >= ring[dn + x - 1]! && s >= ring[dn + x]! && s >= ring[dn + x + 1]!
      ) {
        if (m === cap) {
          cap *= 2;
          const nx = new Int32Array(cap);
          nx.set(outX);
          outX = nx;
          const ny = new Int32Array(cap);
          ny.set(outY);
          outY = ny;
          const ns = new Float32Array(cap);
          ns.set(outS);
          outS = ns;
        }
        outX[m] = x;
        outY[m] = y;
        outS[m] = s;
        m++;
      }
    }
  };

  for (let y = b; y < h - b; y++) {
    const r = (y % 3) * w;
    // Clear the row's previous scores (only where it had candidates) before reusing it.
    for (let k = 0, n = ncol[y % 3]!; k < n; k++) ring[r + cols[r + k]!] = 0;
    let n = 0;
    for (let x = b, i = y * w + b; x < w - b; x++, i++) {
      const c = data[i]!;
      const hi = c + t;
      const lo = c - t;
      const p0 = data[i + o0]!;
      const p8 = data[i + o8]!;
      // Flat surroundings are the common case: two loads settle most pixels.
      if (p0 <= hi && p0 >= lo && p8 <= hi && p8 >= lo) continue;
      const p4 = data[i + o4]!;
      const p12 = data[i + o12]!;
      // A 9-arc always covers one pixel of every opposite pair (k, k + 8): the compass pairs
      // first, then the 2/10 and 6/14 pairs, settle most pixels before the full ring is read.
      let maybeBright = (p0 > hi || p8 > hi) && (p4 > hi || p12 > hi);
      let maybeDark = (p0 < lo || p8 < lo) && (p4 < lo || p12 < lo);
      if (!maybeBright && !maybeDark) continue;
      const p2 = data[i + o2]!;
      const p6 = data[i + o6]!;
      const p10 = data[i + o10]!;
      const p14 = data[i + o14]!;
      maybeBright = maybeBright && (p2 > hi || p10 > hi) && (p6 > hi || p14 > hi);
      maybeDark = maybeDark && (p2 < lo || p10 < lo) && (p6 < lo || p14 < lo);
      if (!maybeBright && !maybeDark) continue;
      let bright = 0;
      let dark = 0;
      let sb = 0;
      let sd = 0;
      // Branch-free: whether a circle pixel is bright or dark is unpredictable, and this measured
      // faster than branching on it.
      for (let k = 0; k < 16; k++) {
        const p = data[i + offsets[k]!]!;
        const isBright = (hi - p) >> 31; // all ones when p > hi
        const isDark = (p - lo) >> 31; // all ones when p < lo
        bright |= (isBright & 1) << k;
        dark |= (isDark & 1) << k;
        sb += (p - hi) & isBright;
        sd += (lo - p) & isDark;
      }
      let s = 0;
      if (maybeBright && hasArc9(bright)) s = sb;
      if (maybeDark && hasArc9(dark)) s = Math.max(s, sd);
      if (s === 0) continue;
      ring[r + x] = s;
      cols[r + n++] = x;
    }
    ncol[y % 3] = n;
    if (y > b) suppressRow(y - 1);
  }
  // The last row has no row below: its neighbours there are the cleared row, scored 0.
  const last = h - b - 1;
  if (last >= b) {
    const below = ((last + 1) % 3) * w;
    for (let k = 0, n = ncol[(last + 1) % 3]!; k < n; k++) ring[below + cols[below + k]!] = 0;
    ncol[(last + 1) % 3] = 0;
    suppressRow(last);
  }
  return { count: m, x: outX.subarray(0, m), y: outY.subarray(0, m), score: outS.subarray(0, m) };
}
