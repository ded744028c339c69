import { DeltaBuffer } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { CaseReport } from '../src/case-report.js';
import { checkConsistent, checkDelta } from '../src/compare-delta.js';
import { valueError } from '../src/compare-values.js';
import { DENSE_TOLERANCE } from '../src/tolerance.js';

function buffer(pixels: number[], value = 1): DeltaBuffer {
  const d = new DeltaBuffer([1, 2, 3, 2]);
  for (const p of pixels) {
    d.activate(p);
    d.values.fill(value, p * 2, p * 2 + 2);
  }
  return d;
}

describe('value comparison', () => {
  it('is relative, and any NaN or stray infinity fails outright', () => {
    expect(valueError([1, 2.0002], [1, 2]).relL2).toBeCloseTo(0.0002 / Math.sqrt(5), 8);
    expect(valueError([NaN, 1], [0, 1]).relL2).toBe(Infinity);
    expect(valueError([Infinity, 1], [0, 1]).maxAbs).toBe(Infinity);
    expect(valueError([0, 0], [0, 0])).toMatchObject({ relL2: 0, maxAbs: 0 });
  });

  it('lets matched NaNs and infinities agree without spoiling the finite elements', () => {
    expect(valueError([NaN, -Infinity, Infinity, 1], [NaN, -Infinity, Infinity, 1])).toMatchObject({ relL2: 0, maxAbs: 0 });
    expect(valueError([NaN, 2.0002], [NaN, 2]).relL2).toBeCloseTo(0.0001, 8);
    expect(valueError([Infinity, 1], [-Infinity, 1]).relL2).toBe(Infinity);
    expect(valueError([1, 1], [NaN, 1]).relL2).toBe(Infinity);
  });

  it('measures small differences of large values against `scale`', () => {
    expect(valueError([1e-5], [0], 10).maxAbs).toBeCloseTo(1e-6, 12);
  });
});

describe('delta comparison', () => {
  it('accepts the same mask in another order and ignores inactive values', () => {
    const a = buffer([4, 1]);
    const b = buffer([1, 4]);
    b.values.fill(123, 0, 2);
    const report = new CaseReport();
    checkDelta(report, 'out', a, b, DENSE_TOLERANCE);
    expect(report.result().ok).toBe(true);
  });

  it('names missing and extra pixels', () => {
    const report = new CaseReport();
    checkDelta(report, 'out', buffer([1, 5]), buffer([1, 4]), DENSE_TOLERANCE);
    const result = report.result();
    expect(result.ok).toBe(false);
    expect(result.message).toContain('missing (n=0,y=1,x=1); extra (n=0,y=1,x=2)');
  });

  it('catches stale mask bytes, duplicates and bad counts', () => {
    const stale = buffer([2]);
    stale.mask[3] = 1;
    const duplicate = buffer([2, 3]);
    duplicate.active[1] = 2;
    const overCount = buffer([2]);
    overCount.count = 99;
    for (const d of [stale, duplicate, overCount]) {
      const report = new CaseReport();
      expect(checkConsistent(report, 'out', d)).toBe(false);
    }
  });
});
