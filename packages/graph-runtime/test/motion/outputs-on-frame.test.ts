import { describe, expect, it } from 'vitest';
import { outputsOnFrame } from '../../src/motion/outputs-on-frame.js';

const ramp = (h: number, w: number): Float32Array => Float32Array.from({ length: h * w }, (_, k) => (k % w) + 10 * Math.floor(k / w));

describe('outputsOnFrame: motion outputs resampled from the viewport grid onto the frame grid', () => {
  const out = { y: { data: ramp(4, 6), shape: [1, 4, 6, 1] } };

  it('returns the values unchanged for an unmoved viewport, and tensors it cannot map as they are', () => {
    const mapped = outputsOnFrame(out, [1, 0, 0, 0, 1, 0, 0, 0, 1], () => ({ y: 1, x: 1 }));
    expect(mapped['y']!.data).toEqual(out.y.data);
    expect(outputsOnFrame(out, undefined, () => ({ y: 1, x: 1 }))['y']).toBe(out.y);
    expect(outputsOnFrame(out, [1, 0, 0.5, 0, 1, 0, 0, 0, 1], () => undefined)['y']).toBe(out.y);
  });

  it('samples bilinearly where the frame sits between viewport pixels, clamping at the edges', () => {
    // Frame pixel x is viewport pixel x + 0.5: halfway between two columns of the ramp.
    const half = outputsOnFrame(out, [1, 0, 0.5, 0, 1, 0, 0, 0, 1], () => ({ y: 1, x: 1 }))['y']!.data;
    expect(Array.from(half.subarray(0, 6))).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5]);
    // A stride-2 output: a 2-pixel frame shift is one output row (the last row clamps to the edge).
    const coarse = outputsOnFrame(out, [1, 0, 0, 0, 1, 2, 0, 0, 1], () => ({ y: 2, x: 2 }))['y']!.data;
    expect(Array.from(coarse.subarray(0, 6))).toEqual([10, 11, 12, 13, 14, 15]);
    expect(Array.from(coarse.subarray(18, 24))).toEqual([30, 31, 32, 33, 34, 35]);
  });
});
