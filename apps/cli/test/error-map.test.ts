import { describe, expect, it } from 'vitest';
import { errorHeatImage, errorMap } from '../src/draw/error-map.js';

const t = (data: number[], h: number, w: number, c: number) => ({ data: Float32Array.from(data), shape: [1, h, w, c] });

describe('error heat map of a mode against dense', () => {
  it('takes the largest channel error relative to the dense range, on the largest output grid', () => {
    // A 1x2 image of 2 channels ranging 0..10, and a 1x1 head that is left out (smaller grid).
    const dense = { sr: t([0, 10, 5, 5], 1, 2, 2), head: t([1], 1, 1, 1) };
    const mode = { sr: t([1, 10, 5, 2], 1, 2, 2), head: t([100], 1, 1, 1) };
    const map = errorMap(mode, dense)!;
    expect([map.width, map.height]).toEqual([2, 1]);
    expect(Array.from(map.data)).toEqual([0.1, 0.3].map(Math.fround));
    // NaN counts as the largest error; identical outputs give zeros.
    expect(Array.from(errorMap({ sr: t([Number.NaN, 0, 5, 5], 1, 2, 2) }, { sr: dense.sr })!.data)).toEqual([1, 0]);
    expect(Array.from(errorMap(dense, dense)!.data)).toEqual([0, 0]);
    expect(errorMap({}, { v: t([1, 2], 1, 2, 1) })).toBeUndefined();
  });

  it('draws it over the frame at the frame size, hot where the error is', () => {
    const frame = { width: 4, height: 2, data: new Uint8Array(4 * 2 * 3).fill(128) };
    const image = errorHeatImage(frame, { width: 2, height: 1, data: Float32Array.from([0, 0.05]) });
    expect([image.width, image.height]).toEqual([4, 2]);
    // The left half is the grey frame untouched; the right half is coloured.
    expect(Array.from(image.data.subarray(0, 3))).toEqual([128, 128, 128]);
    const right = Array.from(image.data.subarray(9, 12));
    expect(right).not.toEqual([128, 128, 128]);
  });
});
