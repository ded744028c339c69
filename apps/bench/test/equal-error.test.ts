import { describe, expect, it } from 'vitest';
import { equalErrorComparisons } from '../src/motion/equal-error.js';
import type { MotionBenchRow } from '../src/motion/motion-report.js';
import { equalErrorMarkdownTable } from '../src/motion/motion-table.js';

const fig = (meanMs: number) => ({ samplesMs: [meanMs], meanMs, medianMs: meanMs, macsRatio: 1 });
const err = (psnrDb: number | null) => ({ maxAbs: psnrDb === null ? 0 : 1, relL2: 0, psnrDb });

/** One sweep row: delta's time and error against dense, motion's time and thresholding error. */
function row(
  threshold: number,
  deltaMs: number,
  deltaPsnr: number | null,
  motionMs: number,
  motionPsnr: number | null,
  clip = 'rotation',
): MotionBenchRow {
  return {
    model: 'esrgan-x2',
    clip,
    truth: 'exact',
    startFrame: 0,
    size: [48, 64],
    backend: 'cpu-native',
    threads: 2,
    threshold,
    timedFrames: 1,
    dense: fig(100),
    delta: { ...fig(deltaMs), error: err(deltaPsnr) },
    motion: { ...fig(motionMs), error: { ...err(40), comparedFraction: 1 }, thresholdError: err(motionPsnr), keyframes: {}, stateBytes: 1 },
    motionVsDelta: deltaMs / motionMs,
    motionVsDense: 100 / motionMs,
    deltaVsDense: 100 / deltaMs,
    alignFailures: 0,
    alignMs: 0,
  };
}

describe('motion against delta at equal error', () => {
  const sweep = [
    row(0, 300, null, 400, null),
    row(2, 280, 50, 250, 53),
    row(4, 240, 44, 100, 49),
    row(8, 200, 38, 40, 47),
    row(16, 120, 33, 20, 30),
  ];

  it("interpolates delta time linearly in PSNR between the sweep points around motion's error", () => {
    const c = equalErrorComparisons(sweep);
    expect(c.map((e) => e.threshold)).toEqual([2, 4, 8, 16]);
    // 49 dB lies between delta's 50 dB (280 ms) and 44 dB (240 ms): 1/6 of the way.
    expect(c[1]!.deltaMs).toBeCloseTo(280 - 40 / 6, 9);
    expect(c[1]!.motionVsDelta).toBeCloseTo((280 - 40 / 6) / 100, 9);
    expect(c[1]!.deltaFrom).toBe('t=2 (50.0 dB) .. t=4 (44.0 dB)');
    expect(c[2]!.deltaMs).toBeCloseTo(280 - 40 * (3 / 6), 9);
  });

  it("takes the exact point above delta's best finite PSNR, and says when delta is still more accurate at its fastest", () => {
    const c = equalErrorComparisons(sweep);
    // 53 dB is above delta's 50 dB: between exact (300 ms) and 50 dB, the nearest finite point's time.
    expect(c[0]!.deltaMs).toBe(280);
    // 30 dB is below every delta point: the fastest delta time, which flatters delta.
    expect(c[3]!.deltaMs).toBe(120);
    expect(c[3]!.deltaFrom).toMatch(/fastest point; t=16 \(33.0 dB\) is still more accurate/);
  });

  it('compares motion identical to its threshold-0 run with exact delta, and keeps clips apart', () => {
    const c = equalErrorComparisons([...sweep, row(0, 90, null, 60, null, 'pan'), row(4, 80, 45, 10, null, 'pan')]);
    const pan = c.filter((e) => e.clip === 'pan');
    expect(pan).toHaveLength(1);
    expect(pan[0]!.deltaMs).toBe(90);
    expect(pan[0]!.motionVsDelta).toBe(9);
    expect(equalErrorMarkdownTable(sweep).trim().split('\n')).toHaveLength(2 + 4);
  });
});
