import { OptionError } from '@motiondelta/core';
import { compareMappedOutputs } from '@motiondelta/graph-runtime';
import { describe, expect, it } from 'vitest';
import { chainHomographies } from '../src/motion/homography-chain.js';
import { STREET_PAN, boxPanFrame } from '../src/motion/motion-clips.js';
import { mappedError, runOrder, worseMapped } from '../src/motion/measure-motion-rows.js';
import { parseMotionBenchOptions } from '../src/motion/motion-options.js';
import type { MotionBenchRow } from '../src/motion/motion-report.js';
import { motionMarkdownTable } from '../src/motion/motion-table.js';

const I = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const shift = (tx: number, ty = 0) => [1, 0, tx, 0, 1, ty, 0, 0, 1];

describe('bench motion: pure pieces', () => {
  it('parses options with defaults and names what is accepted', () => {
    const o = parseMotionBenchOptions({}, 2);
    expect(o).toMatchObject({
      models: ['esrgan-x2'],
      clips: ['cube', 'street', 'pan', 'rotation'],
      frames: 16,
      cubeStart: 20,
      size: [144, 192],
      backends: ['cpu-native'],
      threads: 2,
      thresholds: [0, 2, 4, 8, 16],
    });
    // 0 (the reference) is always added; the sweep is sorted and deduplicated.
    expect(parseMotionBenchOptions({ clips: 'pan', frames: '3', size: '48x64', thresholds: '8,0.01,8' }, 2)).toMatchObject({
      clips: ['pan'],
      frames: 3,
      size: [48, 64],
      thresholds: [0, 0.01, 8],
    });
    expect(() => parseMotionBenchOptions({ clips: 'moon' }, 2)).toThrow(OptionError);
    expect(() => parseMotionBenchOptions({ clips: 'moon' }, 2)).toThrow(/accepted: cube, street, pan, rotation/);
    expect(() => parseMotionBenchOptions({ thresholds: '4,-1' }, 2)).toThrow(/--thresholds: '-1' is not a number >= 0/);
    expect(() => parseMotionBenchOptions({ thresholds: 'x' }, 2)).toThrow(OptionError);
  });

  it('chains pair homographies frame -> world and keeps the pose where a pair failed', () => {
    const { homographies, failures } = chainHomographies([null, shift(2), null, shift(3, 1)]);
    expect(homographies).toEqual([I, shift(2), shift(2), shift(5, 1)]);
    expect(failures).toBe(1);
  });

  it('street frames: frame i pixel (x, y) sees frame 0 pixel (x + dx i, y + dy i), as the homography of the clip says', () => {
    // A source whose value is linear in position: a 2x2 mean is the value at the block's centre,
    // so positions can be read back from the frames.
    const sw = 64;
    const sh = 40;
    const source = { width: sw, height: sh, data: new Uint8Array(sw * sh * 3) };
    for (let y = 0; y < sh; y++) for (let x = 0; x < sw; x++) source.data.set([2 * x, 4 * y, 100], (y * sw + x) * 3);
    const worldX = (v: number) => (v / 2 - 0.5) / 2; // frame-0 pixel whose block centre has this red value
    const worldY = (v: number) => (v / 4 - 0.5) / 2;
    for (const i of [0, 1, 3]) {
      const f = boxPanFrame(source, i, 12, 8);
      for (const [x, y] of [
        [0, 0],
        [11, 7],
        [5, 2],
      ] as const) {
        const o = (y * 12 + x) * 3;
        expect(worldX(f.data[o]!)).toBeCloseTo(x + STREET_PAN.dx * i, 1);
        expect(worldY(f.data[o + 1]!)).toBeCloseTo(y + STREET_PAN.dy * i, 1);
        expect(f.data[o + 2]).toBe(100);
      }
    }
    expect(() => boxPanFrame(source, 10, 12, 8)).toThrow(OptionError);
  });

  it('rotates the run order so that every session goes first in turn', () => {
    expect([0, 1, 2, 3, 4].map((k) => runOrder(k, 5)[0])).toEqual([0, 1, 2, 3, 4]);
    for (let k = 0; k < 5; k++) expect([...runOrder(k, 5)].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('compareMappedOutputs compares the overlap of a shifted viewport value for value, and flags a difference', () => {
    const t = (f: (y: number, x: number) => number) => {
      const data = new Float32Array(4 * 6);
      for (let y = 0; y < 4; y++) for (let x = 0; x < 6; x++) data[y * 6 + x] = f(y, x);
      return { data, shape: [1, 4, 6, 1] };
    };
    const dense = { y: t((y, x) => y * 10 + x) };
    const shifted = { y: t((y, x) => (x < 5 ? y * 10 + x + 1 : 1e6)) };
    const exact = mappedError(compareMappedOutputs(shifted, dense, shift(2), () => ({ y: 2, x: 2 }), [8, 12]));
    expect(exact).toEqual({ maxAbs: 0, relL2: 0, psnrDb: null, comparedFraction: 5 / 6 });
    const off = mappedError(compareMappedOutputs({ y: t((y, x) => y * 10 + x + 0.5) }, dense, I, () => ({ y: 2, x: 2 }), [8, 12]));
    expect(off.maxAbs).toBeCloseTo(0.5, 6);
    expect(off.comparedFraction).toBe(1);
    expect(off.psnrDb).toBeCloseTo(10 * Math.log10(35 ** 2 / 0.25), 6);
    expect(worseMapped(exact, off)).toMatchObject({ maxAbs: off.maxAbs, comparedFraction: 5 / 6 });
  });

  it('writes one Markdown line per row with the ratios of mean times', () => {
    const fig = (meanMs: number, macsRatio: number) => ({ samplesMs: [meanMs], meanMs, medianMs: meanMs, macsRatio });
    const row: MotionBenchRow = {
      model: 'esrgan-x2',
      clip: 'pan',
      truth: 'exact',
      startFrame: 0,
      size: [48, 64],
      backend: 'cpu-native',
      threads: 2,
      threshold: 0,
      timedFrames: 1,
      dense: fig(100, 1),
      delta: { ...fig(50, 0.5), error: { maxAbs: 0, relL2: 0, psnrDb: null } },
      motion: {
        ...fig(20, 0.1),
        error: { maxAbs: 0.25, relL2: 1e-3, psnrDb: 60, comparedFraction: 0.9 },
        thresholdError: { maxAbs: 0, relL2: 0, psnrDb: null },
        keyframes: {},
        stateBytes: 1,
      },
      motionVsDelta: 2.5,
      motionVsDense: 5,
      deltaVsDense: 2,
      alignFailures: 0,
      alignMs: 0,
    };
    const lines = motionMarkdownTable([row]).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('| 0 | 100 | 50.0 | 20.0 | 2.50x | 5.00x |');
    expect(lines[2]).toContain('60.0 / 2.5e-1 (90%)');
  });
});
