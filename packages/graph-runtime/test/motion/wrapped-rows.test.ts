import { describe, expect, it } from 'vitest';
import { addRowToStore, columnsBeforeWrap, copyRowFromSlots, copyRowToSlots, nextActive, runEnd } from '../../src/motion/wrapped-rows.js';

// A store of 3 slot rows x 5 slot columns whose window starts at slot row 2, slot column 3: window
// row i is slot row (2 + i) % 3, window column j is slot column (3 + j) % 5.
const slotsW = 5;
const rowBase = Int32Array.from([2, 0, 1], (r) => r * slotsW);
const colSlot = Int32Array.from([3, 4, 0, 1, 2]);

describe('wrapped rows', () => {
  it('splits a window row where its slots wrap', () => {
    // Window columns 1..3 are slot columns 4, 0, 1: one column before the wrap.
    expect(columnsBeforeWrap(colSlot, slotsW, 1, 4)).toBe(1);
    // Window columns 2..3 are slot columns 0, 1: no wrap.
    expect(columnsBeforeWrap(colSlot, slotsW, 2, 4)).toBe(2);
    expect(columnsBeforeWrap(colSlot, slotsW, 0, 5)).toBe(2);
  });

  it('finds the runs of set pixels row by row', () => {
    const mask = Uint8Array.from([1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1]);
    const runs: [number, number, number][] = [];
    for (let row = 0; row < 3; row++) {
      for (let a = nextActive(mask, row * 4, 0, 4), b = a; a < 4; a = nextActive(mask, row * 4, b, 4)) {
        b = runEnd(mask, row * 4, a, 4);
        runs.push([row, a, b]);
      }
    }
    expect(runs).toEqual([
      [0, 0, 2],
      [0, 3, 4],
      [2, 1, 4],
    ]);
  });

  it('moves pixels between window order and slot order, and adds into slots, through the wrap', () => {
    const c = 2;
    const cols = 5;
    // A dense window-shaped source: pixel (i, j) channel ch holds 100 i + 10 j + ch.
    const src = Float32Array.from(
      { length: 3 * cols * c },
      (_, k) => 100 * Math.floor(k / (cols * c)) + 10 * Math.floor((k % (cols * c)) / c) + (k % c),
    );
    const slots = new Float32Array(3 * slotsW * c);
    for (let qi = 0; qi < 3; qi++) copyRowToSlots(slots, rowBase, colSlot, slotsW, src, cols, c, qi, 0, cols);
    for (let qi = 0; qi < 3; qi++) {
      for (let j = 0; j < cols; j++) {
        const s = rowBase[qi]! + colSlot[j]!;
        expect([slots[s * c], slots[s * c + 1]]).toEqual([100 * qi + 10 * j, 100 * qi + 10 * j + 1]);
      }
    }
    const back = new Float32Array(cols * c);
    copyRowFromSlots(back, 0, rowBase, colSlot, slotsW, slots, c, 2, 0, cols);
    expect(Array.from(back)).toEqual(Array.from(src.subarray(2 * cols * c, 3 * cols * c)));
    addRowToStore(slots, rowBase, colSlot, slotsW, src, cols, c, 1, 1, 4);
    for (let j = 0; j < cols; j++) {
      const s = rowBase[1]! + colSlot[j]!;
      expect(slots[s * c]).toBe((j >= 1 && j < 4 ? 2 : 1) * (100 + 10 * j));
    }
  });
});
