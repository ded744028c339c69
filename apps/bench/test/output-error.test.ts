import { ShapeError } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { NO_ERROR, frameError, tensorError, worseError } from '../src/models/output-error.js';

const f32 = (...v: number[]): Float32Array => Float32Array.from(v);

describe('tensorError', () => {
  it('is zero, with infinite (null) PSNR, for identical outputs', () => {
    expect(tensorError(f32(1, 2, 3), f32(1, 2, 3))).toEqual({ maxAbs: 0, relL2: 0, psnrDb: null });
  });

  it('measures max abs, relative L2 and PSNR over the dense output range', () => {
    // dense range 0..10, one error of 1 among 4 values: mse 0.25, PSNR = 10 log10(100 / 0.25).
    const err = tensorError(f32(0, 4, 5, 10), f32(0, 3, 5, 10));
    expect(err.maxAbs).toBe(1);
    expect(err.relL2).toBeCloseTo(1 / Math.sqrt(9 + 25 + 100), 12);
    expect(err.psnrDb).toBeCloseTo(10 * Math.log10(400), 10);
  });

  it('uses a range of 1 for a constant dense output, so PSNR stays finite', () => {
    expect(tensorError(f32(2.5, 2), f32(2, 2)).psnrDb).toBeCloseTo(10 * Math.log10(1 / 0.125), 10);
  });

  it('refuses tensors of different lengths', () => {
    expect(() => tensorError(f32(1), f32(1, 2))).toThrow(RangeError);
  });
});

describe('worseError', () => {
  it('keeps the worst of each figure, lower PSNR being worse and null being perfect', () => {
    const a = { maxAbs: 1, relL2: 0.1, psnrDb: 40 };
    const b = { maxAbs: 2, relL2: 0.01, psnrDb: 30 };
    expect(worseError(a, b)).toEqual({ maxAbs: 2, relL2: 0.1, psnrDb: 30 });
    expect(worseError(NO_ERROR, a)).toEqual(a);
    expect(worseError(a, NO_ERROR)).toEqual(a);
  });
});

describe('frameError', () => {
  const t = (...v: number[]) => ({ data: f32(...v), shape: [1, v.length] });

  it('reports the worst output of the frame', () => {
    const err = frameError(['a', 'b'], { a: t(1, 2), b: t(0, 5) }, { a: t(1, 2), b: t(0, 4) });
    expect(err.maxAbs).toBe(1);
  });

  it('names a missing output and a shape mismatch', () => {
    expect(() => frameError(['a'], {}, { a: t(1) })).toThrow(/no output 'a'/);
    expect(() => frameError(['a'], { a: t(1) }, {})).toThrow(/dense engine returned no output 'a'/);
    expect(() => frameError(['a'], { a: { data: f32(1, 2), shape: [2, 1] } }, { a: t(1, 2) })).toThrow(ShapeError);
  });
});
