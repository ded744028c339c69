import { blockGridOf } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { gainPerBlock, informationGain } from '../src/index.js';

const t = (values: number[], shape: number[]) => ({ data: new Float32Array(values), shape });

describe('informationGain', () => {
  it('softmax: KL(previous || current) of the class distributions', () => {
    // p = [0.5, 0.5], q = softmax([2, 0]) = [e^2, 1] / (e^2 + 1).
    const q0 = Math.exp(2) / (Math.exp(2) + 1);
    const expected = 0.5 * Math.log(0.5 / q0) + 0.5 * Math.log(0.5 / (1 - q0));
    const g = informationGain('softmax', t([2, 0, 1, 1], [1, 1, 2, 2]), t([0, 0, 1, 1], [1, 1, 2, 2]));
    expect(g.height).toBe(1);
    expect(g.width).toBe(2);
    expect(g.data[0]).toBeCloseTo(expected, 6);
    expect(g.data[0]).toBeCloseTo(0.4338, 4);
    expect(g.data[1]).toBe(0);
  });

  it('sigmoid: Bernoulli KL per channel, averaged over channels', () => {
    // Channel 0: p = sigmoid(0) = 0.5, q = sigmoid(ln 3) = 0.75; channel 1 unchanged.
    const expected = (0.5 * Math.log(0.5 / 0.75) + 0.5 * Math.log(0.5 / 0.25)) / 2;
    const g = informationGain('sigmoid', t([Math.log(3), -2], [1, 1, 1, 2]), t([0, -2], [1, 1, 1, 2]));
    expect(g.data[0]).toBeCloseTo(expected, 6);
  });

  it('heatmap: largest change over channels relative to the larger peak', () => {
    // Two pixels, two keypoints; the peak of keypoint 1 moves from pixel 0 to pixel 1.
    const previous = t([0.1, 0.8, 0, 0], [1, 1, 2, 2]);
    const current = t([0.1, 0, 0, 0.4], [1, 1, 2, 2]);
    const g = informationGain('heatmap', current, previous);
    expect(g.data[0]).toBeCloseTo(0.8 / 0.8, 6);
    expect(g.data[1]).toBeCloseTo(0.4 / 0.8, 6);
  });

  it('regression: mean squared change over the squared range of the previous map', () => {
    const previous = t([0, 0.5, 1, 0.25], [1, 2, 2, 1]);
    const current = t([0, 0.6, 1, 0.25], [1, 2, 2, 1]);
    const g = informationGain('regression', current, previous);
    expect(Array.from(g.data).map((v) => Number(v.toFixed(6)))).toEqual([0, 0.01, 0, 0]);
  });

  it('generic: RMS change over the RMS of the previous output', () => {
    // Previous RMS over the map: sqrt((9 + 16) / 2); change at the pixel: sqrt(1 / 2).
    const g = informationGain('generic', t([3, 5], [1, 1, 1, 2]), t([3, 4], [1, 1, 1, 2]));
    expect(g.data[0]).toBeCloseTo(Math.sqrt(0.5) / Math.sqrt(12.5), 6);
  });

  it('refuses outputs of different shapes', () => {
    expect(() => informationGain('generic', t([1, 2], [1, 1, 1, 2]), t([1], [1, 1, 1, 1]))).toThrow(/one shape/);
  });
});

describe('gainPerBlock', () => {
  it('maps output pixels to blocks by scale, with max or mean pooling', () => {
    // A 4x4 output over a 64x64 frame of 32-pixel blocks: each block holds a 2x2 patch.
    const data = new Float64Array([1, 2, 0, 0, 3, 4, 0, 8, 0, 0, 5, 5, 0, 0, 5, 5]);
    const map = { height: 4, width: 4, data };
    const grid = blockGridOf(64, 64, 32);
    expect(Array.from(gainPerBlock(map, grid, 'max'))).toEqual([4, 8, 0, 5]);
    expect(Array.from(gainPerBlock(map, grid, 'mean'))).toEqual([2.5, 2, 0, 5]);
  });

  it('gives every block the value of an output of one pixel', () => {
    const grid = blockGridOf(40, 70, 32); // 2x3 blocks, partial edges
    expect(Array.from(gainPerBlock({ height: 1, width: 1, data: new Float64Array([0.3]) }, grid, 'max'))).toEqual([
      0.3, 0.3, 0.3, 0.3, 0.3, 0.3,
    ]);
  });

  it('counts partial edge blocks by the pixels they cover', () => {
    // A 48-pixel-wide frame of 32-pixel blocks: output column 2 of 3 (centre x = 40) is block 1.
    const grid = blockGridOf(16, 48, 32);
    expect(Array.from(gainPerBlock({ height: 1, width: 3, data: new Float64Array([1, 2, 7]) }, grid, 'max'))).toEqual([2, 7]);
  });
});
