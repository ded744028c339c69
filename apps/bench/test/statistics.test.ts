import { describe, expect, it } from 'vitest';
import { framesPerSecond, median, ratio, summarizeTimings } from '../src/models/statistics.js';

describe('median', () => {
  it('takes the middle value of an odd sample, whatever the order', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([5])).toBe(5);
  });

  it('averages the two middle values of an even sample', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('ignores one outlier, which a mean would not', () => {
    expect(median([100, 101, 99, 5000])).toBe(100.5);
  });

  it('does not reorder its input', () => {
    const sample = [3, 1, 2];
    median(sample);
    expect(sample).toEqual([3, 1, 2]);
  });

  it('refuses an empty sample', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('framesPerSecond and ratio', () => {
  it('turns milliseconds per frame into frames per second', () => {
    expect(framesPerSecond(250)).toBe(4);
    expect(() => framesPerSecond(0)).toThrow(RangeError);
  });

  it('gives null instead of Infinity or NaN', () => {
    expect(ratio(3, 4)).toBe(0.75);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(Number.NaN, 1)).toBeNull();
  });
});

describe('summarizeTimings', () => {
  it('reports the median frame time, its fps, and every sample in order', () => {
    const summary = summarizeTimings([200, 100, 400]);
    expect(summary).toEqual({ samplesMs: [200, 100, 400], medianMs: 200, fps: 5 });
  });

  it('gives a speedup as the ratio of two fps in the same run', () => {
    const ours = summarizeTimings([50, 50, 60]);
    const engine = summarizeTimings([200, 100, 100]);
    expect(ours.fps / engine.fps).toBe(2);
  });
});
