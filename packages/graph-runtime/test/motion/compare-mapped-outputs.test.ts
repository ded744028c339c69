import { describe, expect, it } from 'vitest';
import { compareMappedOutputs } from '../../src/motion/compare-mapped-outputs.js';
import { tensorError } from '../../src/stats/tensor-error.js';

const I = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const shift = (tx: number, ty = 0) => [1, 0, tx, 0, 1, ty, 0, 0, 1];
const tensor = (h: number, w: number, f: (y: number, x: number) => number) => {
  const data = new Float32Array(h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = f(y, x);
  return { data, shape: [1, h, w, 1] };
};
const half = () => ({ y: 2, x: 2 });

describe('compareMappedOutputs', () => {
  it('with an unmoved viewport it is tensorError over every value', () => {
    const dense = { y: tensor(4, 6, (y, x) => y * 10 + x) };
    const mine = { y: tensor(4, 6, (y, x) => y * 10 + x + (x === 5 ? 0.5 : 0)) };
    const e = compareMappedOutputs(mine, dense, undefined, half, [8, 12]);
    const plain = tensorError(mine.y.data, dense.y.data);
    expect(e.comparedFraction).toBe(1);
    expect(e).toMatchObject({ maxAbs: plain.maxAbs, relL2: plain.relL2, exact: false });
    expect(e.psnr).toBeCloseTo(plain.psnr, 9);
    expect(compareMappedOutputs(mine, dense, I, half, [8, 12]).outputs.y).toMatchObject({ compared: 24, total: 24 });
  });

  it('a viewport shifted by one output pixel compares the overlap only, value for value', () => {
    const dense = { y: tensor(4, 6, (y, x) => y * 10 + x) };
    const mine = { y: tensor(4, 6, (y, x) => (x < 5 ? y * 10 + x + 1 : 1e6)) };
    const e = compareMappedOutputs(mine, dense, shift(2), half, [8, 12]);
    expect(e).toMatchObject({ maxAbs: 0, relL2: 0, psnr: Number.POSITIVE_INFINITY, exact: true });
    expect(e.comparedFraction).toBeCloseTo(5 / 6, 12);
  });

  it('PSNR takes the peak of the whole dense output, and a NaN is an infinite error', () => {
    const dense = { y: tensor(4, 6, (y, x) => y * 10 + x) };
    const mine = { y: tensor(4, 6, (y, x) => (x === 5 ? Number.NaN : 0)) };
    // Viewport x = frame x + 2: output columns 1..5 lie on the frame; column 5 holds NaN.
    const e = compareMappedOutputs(mine, dense, shift(-2), half, [8, 12]);
    expect(e.maxAbs).toBe(Number.POSITIVE_INFINITY);
    expect(e.exact).toBe(false);
    const ok = compareMappedOutputs({ y: tensor(4, 6, (y, x) => y * 10 + x + 0.5) }, dense, I, half, [8, 12]);
    expect(ok.psnr).toBeCloseTo(10 * Math.log10(35 ** 2 / 0.25), 6);
  });

  it('samples the dense output bilinearly between grid points', () => {
    const dense = { y: tensor(4, 6, (_y, x) => 2 * x) };
    // Half an output pixel (one input pixel at scale 2) to the right: expected 2 * (j + 0.5),
    // clamped to the dense grid in the last column (its centre is on the frame's last half pixel).
    const mine = { y: tensor(4, 6, (_y, x) => (x < 5 ? 2 * x + 1 : 10)) };
    const e = compareMappedOutputs(mine, dense, shift(1), half, [8, 12]);
    expect(e.exact).toBe(true);
    expect(e.comparedFraction).toBe(1);
  });

  it('names an output that cannot be compared', () => {
    const dense = { y: tensor(4, 6, () => 0) };
    expect(() => compareMappedOutputs({}, dense, I, half, [8, 12])).toThrow(/Output 'y'.*missing/);
  });
});
