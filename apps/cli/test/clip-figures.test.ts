import { describe, expect, it } from 'vitest';
import { lastWindow, percentile, steadySpeedup, windowPsnr, worstWindow } from '../src/clip-figures.js';

describe('clip figures: PSNR windows, percentile, steady-state speedup', () => {
  it('averages a window in squared error, so nearly exact frames do not hide bad ones', () => {
    expect(windowPsnr([30, 30])).toBeCloseTo(30, 12);
    // Half the error of a 30 dB frame: 30 + 10·log10(2).
    expect(windowPsnr([30, Number.POSITIVE_INFINITY])).toBeCloseTo(30 + 10 * Math.log10(2), 12);
    expect(windowPsnr([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY])).toBe(Number.POSITIVE_INFINITY);
    // 13 frames at 136 dB and 17 at 28 dB: a mean of dB values says 74; the window is 30.5 dB.
    const mixed = [...Array<number>(13).fill(136), ...Array<number>(17).fill(28)];
    expect(windowPsnr(mixed)).toBeCloseTo(28 - 10 * Math.log10(17 / 30), 6);
  });

  it('finds the worst window and where it starts, and the last window', () => {
    const psnr = [50, 40, 30, 45];
    expect(worstWindow(psnr, 2)).toEqual({ start: 1, psnr: windowPsnr([40, 30]), frames: 2 });
    expect(lastWindow(psnr, 2)).toBeCloseTo(windowPsnr([30, 45]), 12);
    // A clip shorter than the window is one window.
    expect(worstWindow(psnr, 30)).toEqual({ start: 0, psnr: windowPsnr(psnr), frames: 4 });
    expect(lastWindow(psnr, 30)).toBe(windowPsnr(psnr));
    expect(worstWindow([], 30)).toBeUndefined();
    expect(lastWindow([], 30)).toBeUndefined();
  });

  it('takes the nearest-rank percentile with exact frames counted as the best', () => {
    const psnr = [31, 45, 40, 38, 50, 42, 39, 41, 44, 43];
    expect(percentile(psnr, 10)).toBe(31);
    expect(percentile(psnr, 20)).toBe(38);
    expect(percentile(psnr, 100)).toBe(50);
    expect(percentile([Number.POSITIVE_INFINITY, 35, Number.POSITIVE_INFINITY], 10)).toBe(35);
    expect(percentile([], 10)).toBeUndefined();
    expect(() => percentile(psnr, 0)).toThrow(/p must be in \(0, 100\]/);
  });

  it('leaves the keyframe and the warm-up out of the steady-state speedup', () => {
    const frames = [
      { ms: 100, denseMs: 10 }, // keyframe
      { ms: 20, denseMs: 10 }, // warm-up
      { ms: 5, denseMs: 10 },
      { ms: 5, denseMs: 20 },
    ];
    expect(steadySpeedup(frames, 1)).toBe(3);
    expect(steadySpeedup(frames, 0)).toBeCloseTo(40 / 30, 12);
    expect(steadySpeedup(frames, 3)).toBeUndefined();
  });
});
