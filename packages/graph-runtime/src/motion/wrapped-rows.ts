/**
 * Row helpers for moving per-frame deltas in and out of wrapped (torus) stores. When many pixels
 * are active, walking rows and moving runs of active pixels is much cheaper than addressing each
 * pixel through the wrap: a window row of a store occupies at most two runs of slots (split where
 * it wraps), and the channels of consecutive pixels are contiguous in both layouts.
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
 * Calls `visit(first, n)` for the at most two runs of slots that window row `qi`'s columns
 * `[a, b)` occupy in a store addressed by `rowBase` / `colSlot` (see `WindowStore.address`): the
 * run's first slot and the number of columns before it (`offset`) and in it (`n`).
 */
export function forEachSlotRun(
  rowBase: Int32Array,
  colSlot: Int32Array,
  slotsW: number,
  qi: number,
  a: number,
  b: number,
  visit: (first: number, offset: number, n: number) => void,
): void {
  if (b <= a) return;
  // Columns up to the end of the slot row; the rest (if any) continue from slot column 0.
  const n1 = Math.min(b - a, slotsW - colSlot[a]!);
  visit(rowBase[qi]! + colSlot[a]!, 0, n1);
  if (n1 < b - a) visit(rowBase[qi]!, n1, b - a - n1);
}

/**
 * Calls `visit(row, a, b)` for every run `[a, b)` of set pixels in each row of a `rows x cols`
 * mask, row by row, left to right.
 */
export function forEachActiveRun(mask: Uint8Array, rows: number, cols: number, visit: (row: number, a: number, b: number) => void): void {
  for (let row = 0; row < rows; row++) {
    for (let a = nextActive(mask, row * cols, 0, cols); a < cols; ) {
      const b = runEnd(mask, row * cols, a, cols);
      visit(row, a, b);
      a = nextActive(mask, row * cols, b, cols);
    }
  }
}

/** `dst[d + t] += src[s + t]` for `t < n`. */
export function addRun(dst: Float32Array, d: number, src: Float32Array, s: number, n: number): void {
  for (let t = 0; t < n; t++) dst[d + t]! += src[s + t]!;
}

/**
 * Adds window row `qi`'s columns `[a, b)` of a dense window-shaped array (`src`, `cols` pixels per
 * row, `c` channels) into their slots of a store addressed by `rowBase` / `colSlot`.
 */
export function addRowToStore(store: Float32Array, rowBase: Int32Array, colSlot: Int32Array, slotsW: number, src: Float32Array, cols: number, c: number, qi: number, a: number, b: number): void {
  const s = (qi * cols + a) * c;
  forEachSlotRun(rowBase, colSlot, slotsW, qi, a, b, (first, offset, n) => addRun(store, first * c, src, s + offset * c, n * c));
}

/**
 * Copies window row `qi`'s columns `[a, b)` of a dense window-shaped array (`src`, `cols` pixels
 * per row) into their slots of a slot-ordered array (`dst`).
 */
export function copyRowToSlots(dst: Float32Array, rowBase: Int32Array, colSlot: Int32Array, slotsW: number, src: Float32Array, cols: number, c: number, qi: number, a: number, b: number): void {
  const s = (qi * cols + a) * c;
  forEachSlotRun(rowBase, colSlot, slotsW, qi, a, b, (first, offset, n) => dst.set(src.subarray(s + offset * c, s + (offset + n) * c), first * c));
}

/**
 * Copies the slots of window row `qi`'s columns `[a, b)` from a slot-ordered array (`src`) to
 * `dst`, densely from offset `d`.
 */
export function copyRowFromSlots(dst: Float32Array, d: number, rowBase: Int32Array, colSlot: Int32Array, slotsW: number, src: Float32Array, c: number, qi: number, a: number, b: number): void {
  forEachSlotRun(rowBase, colSlot, slotsW, qi, a, b, (first, offset, n) => dst.set(src.subarray(first * c, (first + n) * c), d + offset * c));
}
