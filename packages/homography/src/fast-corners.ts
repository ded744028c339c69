import type { GrayImage } from './image.js';

/** Corner candidates of one image: level pixel coordinates and their FAST scores. */
export interface CornerList {
  readonly count: number;
  readonly x: Int32Array;
  readonly y: Int32Array;
  readonly score: Float32Array;
}

// The ring is the Bresenham circle of radius 3, pixels 0..15 clockwise from the top:
// x = 0 1 2 3 3 3 2 1 0 -1 -2 -3 -3 -3 -2 -1, y = -3 -3 -2 -1 0 1 2 3 3 3 2 1 0 -1 -2 -3;
// compass points are 0, 4, 8 and 12.

function hasArc9(mask: number): boolean {
  // Doubling the 16-bit ring makes arcs that wrap past pixel 15 contiguous in the word.
  const m = (mask | (mask << 16)) >>> 0;
  let r = m;
  for (let k = 1; k < 9; k++) r &= m >>> k;
  return r !== 0;
}

let arcTable: Uint8Array | null = null;

/** 1 for every 16-bit ring mask that holds 9 contiguous set bits (64 KiB, built on first use). */
function arc9Table(): Uint8Array {
  if (!arcTable) {
    arcTable = new Uint8Array(65536);
    for (let mask = 0; mask < 65536; mask++) arcTable[mask] = hasArc9(mask) ? 1 : 0;
  }
  return arcTable;
}

// Threshold codes for the last threshold used (a frame uses one or two thresholds).
let tabThreshold = -1;
const tabCodes = new Uint8Array(511);

/** Codes of every difference `p - c` (index `p - c + 255`) for threshold `t`; see detectFast. */
function thresholdTable(t: number): Uint8Array {
  if (t !== tabThreshold) {
    for (let k = 0; k < 511; k++) tabCodes[k] = k - 255 > t ? 1 : k - 255 < -t ? 2 : 0;
    tabThreshold = t;
  }
  return tabCodes;
}

/** Growable corner output; kept out of the scan loop so its locals stay in registers. */
class CornerSink {
  count = 0;
  x = new Int32Array(1024);
  y = new Int32Array(1024);
  score = new Float32Array(1024);

  push(x: number, y: number, s: number): void {
    if (this.count === this.x.length) {
      const cap = 2 * this.count;
      const nx = new Int32Array(cap);
      nx.set(this.x);
      this.x = nx;
      const ny = new Int32Array(cap);
      ny.set(this.y);
      this.y = ny;
      const ns = new Float32Array(cap);
      ns.set(this.score);
      this.score = ns;
    }
    this.x[this.count] = x;
    this.y[this.count] = y;
    this.score[this.count] = s;
    this.count++;
  }
}

/**
 * Keeps the candidates of row `y` that beat their 8 neighbours; rows `y - 1` and `y + 1` must be
 * scored. Row r's scores live at `ring[(r % 3) * w + x]`, its candidate columns in `cols` likewise.
 */
function suppressRow(y: number, w: number, ring: Uint16Array, cols: Int32Array, ncol: Int32Array, sink: CornerSink): void {
  const r = (y % 3) * w;
  const up = ((y + 2) % 3) * w;
  const dn = ((y + 1) % 3) * w;
  for (let k = 0, n = ncol[y % 3]!; k < n; k++) {
    const x = cols[r + k]!;
    const s = ring[r + x]!;
    // Ties go to the first pixel in raster order so a plateau keeps exactly one corner.
    if (
      s > ring[up + x - 1]! &&
      s > ring[up + x]! &&
      s > ring[up + x + 1]! &&
      s > ring[r + x - 1]! &&
      s >= ring[r + x + 1]! &&
      s >= ring[dn + x - 1]! &&
      s >= ring[dn + x]! &&
      s >= ring[dn + x + 1]!
    ) {
      sink.push(x, y, s);
    }
  }
}

/**
 * FAST-9 corners (a pixel with 9 contiguous circle pixels all brighter or all darker than it by
 * more than `threshold`) with 3x3 non-maximum suppression on the summed-excess score. Only pixels
 * at least `border` pixels from every edge are tested.
 *
 * Speed: most pixels are rejected on the four compass pixels, then on the four diagonal ones,
 * through a table of threshold codes; survivors read the whole ring into locals and look their
 * bright and dark masks up in a table of 9-arcs. Scores live in a three-row ring (row y is
 * suppressed once row y + 1 is scored), so nothing is frame-sized.
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
  const arc = arc9Table();
  // Ring offsets, clockwise from the top (see the circle above).
  const o0 = -3 * w,
    o1 = 1 - 3 * w,
    o2 = 2 - 2 * w,
    o3 = 3 - w,
    o4 = 3,
    o5 = 3 + w,
    o6 = 2 + 2 * w,
    o7 = 1 + 3 * w;
  const o8 = 3 * w,
    o9 = 3 * w - 1,
    o10 = 2 * w - 2,
    o11 = w - 3,
    o12 = -3,
    o13 = -3 - w,
    o14 = -2 - 2 * w,
    o15 = -1 - 3 * w;
  const tab = thresholdTable(t);
  const ring = new Uint16Array(3 * w);
  const cols = new Int32Array(3 * w);
  const ncol = new Int32Array(3);
  const sink = new CornerSink();

  for (let y = b; y < h - b; y++) {
    const r = (y % 3) * w;
    // Clear the row's previous scores (only where it had candidates) before reusing it.
    for (let k = 0, n = ncol[y % 3]!; k < n; k++) ring[r + cols[r + k]!] = 0;
    let n = 0;
    for (let x = b, i = y * w + b; x < w - b; x++, i++) {
      const c = data[i]!;
      const hi = c + t;
      const lo = c - t;
      // tab[p - c + 255]: 1 when p is brighter than c + t, 2 when darker than c - t. A 9-arc
      // covers one pixel of every opposite pair (k, k + 8), so AND-ing the pairs' codes rules
      // out most pixels. Codes make that two branches where the comparisons took up to twelve
      // (about 6% faster over a frame's four levels; on textured frames a third of the pixels
      // pass the compass pairs, so these branches are poorly predicted either way).
      const base = 255 - c;
      const p0 = data[i + o0]!,
        p8 = data[i + o8]!,
        p4 = data[i + o4]!,
        p12 = data[i + o12]!;
      let d = (tab[base + p0]! | tab[base + p8]!) & (tab[base + p4]! | tab[base + p12]!);
      if (d === 0) continue;
      const p2 = data[i + o2]!,
        p6 = data[i + o6]!,
        p10 = data[i + o10]!,
        p14 = data[i + o14]!;
      d &= (tab[base + p2]! | tab[base + p10]!) & (tab[base + p6]! | tab[base + p14]!);
      if (d === 0) continue;
      const maybeBright = (d & 1) !== 0;
      const maybeDark = (d & 2) !== 0;
      const p1 = data[i + o1]!,
        p3 = data[i + o3]!,
        p5 = data[i + o5]!,
        p7 = data[i + o7]!;
      const p9 = data[i + o9]!,
        p11 = data[i + o11]!,
        p13 = data[i + o13]!,
        p15 = data[i + o15]!;
      let s = 0;
      if (maybeBright) {
        // (hi - p) >>> 31 is 1 exactly when p > hi (both are small integers).
        const mask =
          ((hi - p0) >>> 31) |
          (((hi - p1) >>> 31) << 1) |
          (((hi - p2) >>> 31) << 2) |
          (((hi - p3) >>> 31) << 3) |
          (((hi - p4) >>> 31) << 4) |
          (((hi - p5) >>> 31) << 5) |
          (((hi - p6) >>> 31) << 6) |
          (((hi - p7) >>> 31) << 7) |
          (((hi - p8) >>> 31) << 8) |
          (((hi - p9) >>> 31) << 9) |
          (((hi - p10) >>> 31) << 10) |
          (((hi - p11) >>> 31) << 11) |
          (((hi - p12) >>> 31) << 12) |
          (((hi - p13) >>> 31) << 13) |
          (((hi - p14) >>> 31) << 14) |
          (((hi - p15) >>> 31) << 15);
        if (arc[mask]) {
          // Summed excess of every bright ring pixel: (p - hi) & (all ones when p > hi).
          s =
            ((p0 - hi) & ((hi - p0) >> 31)) +
            ((p1 - hi) & ((hi - p1) >> 31)) +
            ((p2 - hi) & ((hi - p2) >> 31)) +
            ((p3 - hi) & ((hi - p3) >> 31)) +
            ((p4 - hi) & ((hi - p4) >> 31)) +
            ((p5 - hi) & ((hi - p5) >> 31)) +
            ((p6 - hi) & ((hi - p6) >> 31)) +
            ((p7 - hi) & ((hi - p7) >> 31)) +
            ((p8 - hi) & ((hi - p8) >> 31)) +
            ((p9 - hi) & ((hi - p9) >> 31)) +
            ((p10 - hi) & ((hi - p10) >> 31)) +
            ((p11 - hi) & ((hi - p11) >> 31)) +
            ((p12 - hi) & ((hi - p12) >> 31)) +
            ((p13 - hi) & ((hi - p13) >> 31)) +
            ((p14 - hi) & ((hi - p14) >> 31)) +
            ((p15 - hi) & ((hi - p15) >> 31));
        }
      }
      if (maybeDark) {
        const mask =
          ((p0 - lo) >>> 31) |
          (((p1 - lo) >>> 31) << 1) |
          (((p2 - lo) >>> 31) << 2) |
          (((p3 - lo) >>> 31) << 3) |
          (((p4 - lo) >>> 31) << 4) |
          (((p5 - lo) >>> 31) << 5) |
          (((p6 - lo) >>> 31) << 6) |
          (((p7 - lo) >>> 31) << 7) |
          (((p8 - lo) >>> 31) << 8) |
          (((p9 - lo) >>> 31) << 9) |
          (((p10 - lo) >>> 31) << 10) |
          (((p11 - lo) >>> 31) << 11) |
          (((p12 - lo) >>> 31) << 12) |
          (((p13 - lo) >>> 31) << 13) |
          (((p14 - lo) >>> 31) << 14) |
          (((p15 - lo) >>> 31) << 15);
        if (arc[mask]) {
          const sd =
            ((lo - p0) & ((p0 - lo) >> 31)) +
            ((lo - p1) & ((p1 - lo) >> 31)) +
            ((lo - p2) & ((p2 - lo) >> 31)) +
            ((lo - p3) & ((p3 - lo) >> 31)) +
            ((lo - p4) & ((p4 - lo) >> 31)) +
            ((lo - p5) & ((p5 - lo) >> 31)) +
            ((lo - p6) & ((p6 - lo) >> 31)) +
            ((lo - p7) & ((p7 - lo) >> 31)) +
            ((lo - p8) & ((p8 - lo) >> 31)) +
            ((lo - p9) & ((p9 - lo) >> 31)) +
            ((lo - p10) & ((p10 - lo) >> 31)) +
            ((lo - p11) & ((p11 - lo) >> 31)) +
            ((lo - p12) & ((p12 - lo) >> 31)) +
            ((lo - p13) & ((p13 - lo) >> 31)) +
            ((lo - p14) & ((p14 - lo) >> 31)) +
            ((lo - p15) & ((p15 - lo) >> 31));
          if (sd > s) s = sd;
        }
      }
      if (s === 0) continue;
      ring[r + x] = s;
      cols[r + n++] = x;
    }
    ncol[y % 3] = n;
    if (y > b) suppressRow(y - 1, w, ring, cols, ncol, sink);
  }
  // The last row has no row below: its neighbours there are the cleared row, scored 0.
  const last = h - b - 1;
  if (last >= b) {
    const below = ((last + 1) % 3) * w;
    for (let k = 0, n = ncol[(last + 1) % 3]!; k < n; k++) ring[below + cols[below + k]!] = 0;
    ncol[(last + 1) % 3] = 0;
    suppressRow(last, w, ring, cols, ncol, sink);
  }
  const m = sink.count;
  return { count: m, x: sink.x.subarray(0, m), y: sink.y.subarray(0, m), score: sink.score.subarray(0, m) };
}
