import { describe, expect, it } from 'vitest';
import { compareOutputs } from '../src/output-error.js';
import { aggregate, type FrameRecord } from '../src/run-summary.js';
import { summaryToJson } from '../src/summary-json.js';
import type { RunSummary } from '../src/run-summary.js';

const t = (values: number[]) => ({ data: Float32Array.from(values), shape: [values.length] });

describe('compareOutputs', () => {
  it('identical outputs are exact, with infinite PSNR', () => {
    expect(compareOutputs({ y: t([1, 2, 3]) }, { y: t([1, 2, 3]) })).toEqual({
      psnr: Number.POSITIVE_INFINITY,
      maxAbsError: 0,
      exact: true,
    });
  });

  it('PSNR uses peak = max - min of the dense output', () => {
    const dense = [0, 4, 2, 2];
    const ours = [0, 4, 3, 2]; // one error of 1 over 4 values
    const peak = 4 - 0;
    const mse = 1 / 4;
    const d = compareOutputs({ y: t(ours) }, { y: t(dense) });
    expect(d.psnr).toBeCloseTo(10 * Math.log10((peak * peak) / mse), 10);
    expect(d.maxAbsError).toBe(1);
    expect(d.exact).toBe(false);
  });

  it('a frame takes its worst output', () => {
    const good = compareOutputs({ a: t([0, 10.01]) }, { a: t([0, 10]) }).psnr;
    const bad = compareOutputs({ b: t([0, 2]) }, { b: t([0, 1]) }).psnr;
    expect(compareOutputs({ a: t([0, 10.01]), b: t([0, 2]) }, { a: t([0, 10]), b: t([0, 1]) }).psnr).toBeCloseTo(Math.min(good, bad), 10);
  });

  it('NaN is an infinite error, never exact', () => {
    const d = compareOutputs({ y: t([Number.NaN, 1]) }, { y: t([0, 1]) });
    expect(d.exact).toBe(false);
    expect(d.maxAbsError).toBe(Number.POSITIVE_INFINITY);
  });
});

function record(over: Partial<FrameRecord>): FrameRecord {
  return {
    index: 0,
    ms: 10,
    denseMs: 20,
    macs: 50,
    denseMacs: 100,
    activeFraction: 0.5,
    psnr: Number.POSITIVE_INFINITY,
    maxAbsError: 0,
    exact: true,
    ...over,
  };
}

describe('aggregate and JSON', () => {
  it('speedup is dense time over mode time; mean PSNR leaves exact frames out', () => {
    const records = [
      record({}),
      record({ index: 1, ms: 30, denseMs: 20, psnr: 40, maxAbsError: 0.1, exact: false, activeFraction: 0.1 }),
      record({ index: 2, psnr: 50, exact: false, maxAbsError: 0.3 }),
    ];
    const a = aggregate(records);
    expect(a.speedup).toBeCloseTo((20 + 20 + 20) / (10 + 30 + 10), 12);
    expect(a.fps).toBeCloseTo(3000 / 50, 12);
    expect(a.denseFps).toBeCloseTo(3000 / 60, 12);
    expect(a.psnr).toBe(45);
    expect(a.exactFrames).toBe(1);
    expect(a.exact).toBe(false);
    expect(a.maxAbsError).toBe(0.3);
    expect(a.activeFraction).toBeCloseTo((0.5 + 0.1 + 0.5) / 3, 12);
    expect(a.macsRatio).toBe(0.5);
  });

  it('an exact run has psnr null and exact true in JSON (JSON has no Infinity)', () => {
    const records = [record({}), record({ index: 1 })];
    const summary: RunSummary = {
      video: 'v',
      model: { label: 'm', task: 't' },
      mode: 'dense',
      backend: { id: 'reference', skipped: [] },
      inputSize: [8, 8],
      ...aggregate(records),
      perFrame: records,
      samples: [],
    };
    const json = JSON.parse(JSON.stringify(summaryToJson(summary)));
    expect(json.psnr).toBeNull();
    expect(json.exact).toBe(true);
    expect(json.perFrame.psnr).toEqual([null, null]);
    expect(json.perFrame.exact).toEqual([true, true]);
  });
});
