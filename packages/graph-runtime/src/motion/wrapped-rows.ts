/**
 * Row helpers for moving per-frame deltas in and out of wrapped (torus) stores. When many pixels
 * are active, walking rows and moving runs of active pixels is much cheaper than addressing each
 * pixel through the wrap: a window row of a store occupies at most two runs of slots (split where
 * it wraps), and the channels of consecutive pixels are contiguous in both layouts.
 *
 * These run per active run of every frame, so they take plain arguments and create no closures or
 * arrays: callers walk runs with {@link nextActive} / {@link runEnd} in their own loops.
 */

/** The first column in `[from, end)` whose `mask[row + column]` is set, or `end`. */
export function nextActive(mask: Uint8Array, row: number, from: number, end: number): number {
  let j = from;
  while (j < end && mask[row + j] === 0) j++;
  return j;
}

/** The end of the run of set `mask[row + column]` that starts at column `from` (at most `end`). */
export function runEnd(mask: Uint8Array, row: number, from: number, end: number): number {
  let j = from;
  while (j < end && mask[row + j] === 1) j++;
  return j;
}

/**
 * How many of window columns `[a, b)` (`a < b`) lie in the first run of slots, from slot column
 * `colSlot[a]` to the end of the slot row; the rest continue from slot column 0 (see
 * `WindowStore.address`).
 */
export function columnsBeforeWrap(colSlot: Int32Array, slotsW: number, a: number, b: number): number {
  return Math.min(b - a, slotsW - colSlot[a]!);
}

/** `dst[d + t] += src[s + t]` for `t < n`. */
export function addRun(dst: Float32Array, d: number, src: Float32Array, s: number, n: number): void {
  for (let t = 0; t < n; t++) dst[d + t]! += src[s + t]!;
}

/**
 * Adds window row `qi`'s columns `[a, b)` of a dense window-shaped array (`src`, `cols` pixels per
 * row, `c` channels) into their slots of a store addressed by `rowBase` / `colSlot`.
 */
export function addRowToStore(
  store: Float32Array,
  rowBase: Int32Array,
  colSlot: Int32Array,
  slotsW: number,
  src: Float32Array,
  cols: number,
  c: number,
  qi: number,
  a: number,
  b: number,
): void {
  if (b <= a) return;
  const s = (qi * cols + a) * c;
  const n1 = columnsBeforeWrap(colSlot, slotsW, a, b);
  addRun(store, (rowBase[qi]! + colSlot[a]!) * c, src, s, n1 * c);
  if (n1 < b - a) addRun(store, rowBase[qi]! * c, src, s + n1 * c, (b - a - n1) * c);
}

/**
 * Copies window row `qi`'s columns `[a, b)` of a dense window-shaped array (`src`, `cols` pixels
 * per row) into their slots of a slot-ordered array (`dst`).
 */
export function copyRowToSlots(
  dst: Float32Array,
  rowBase: Int32Array,
  colSlot: Int32Array,
  slotsW: number,
  src: Float32Array,
  cols: number,
  c: number,
  qi: number,
  a: number,
  b: number,
): void {
  if (b <= a) return;
  const s = (qi * cols + a) * c;
  const n1 = columnsBeforeWrap(colSlot, slotsW, a, b);
  dst.set(src.subarray(s, s + n1 * c), (rowBase[qi]! + colSlot[a]!) * c);
  if (n1 < b - a) dst.set(src.subarray(s + n1 * c, s + (b - a) * c), rowBase[qi]! * c);
}

/**
 * Copies the slots of window row `qi`'s columns `[a, b)` from a slot-ordered array (`src`) to
 * `dst`, densely from offset `d`.
 */
export function copyRowFromSlots(
  dst: Float32Array,
  d: number,
  rowBase: Int32Array,
  colSlot: Int32Array,
  slotsW: number,
  src: Float32Array,
  c: number,
  qi: number,
  a: number,
  b: number,
): void {
  if (b <= a) return;
  const first = rowBase[qi]! + colSlot[a]!;
  const n1 = columnsBeforeWrap(colSlot, slotsW, a, b);
  dst.set(src.subarray(first * c, (first + n1) * c), d);
  if (n1 < b - a) dst.set(src.subarray(rowBase[qi]! * c, (rowBase[qi]! + b - a - n1) * c), d + n1 * c);
}
