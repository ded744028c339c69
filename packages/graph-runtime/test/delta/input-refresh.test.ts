import { OptionError, createRng, uniform, type Tensor } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { InputRefresh } from '../../src/delta/input-refresh.js';
import { Model } from '../../src/model.js';
import { tensorError } from '../../src/stats/tensor-error.js';
import { smallConvNet } from '../helpers/build-graph.js';

const H = 8;
const W = 12;

function picture(seed: number): Tensor {
  const rng = createRng(seed);
  return { data: new Float32Array(H * W * 3).map(() => uniform(rng, 0.2, 1)), shape: [1, H, W, 3] };
}

function shifted(t: Tensor, amount: number): Tensor {
  return { data: t.data.map((v) => v + amount), shape: t.shape };
}

/** PSNR of delta against dense on each frame (Infinity when exact). */
async function psnrPerFrame(options: Parameters<Model['createSession']>[0], frames: readonly Tensor[]) {
  const model = new Model(smallConvNet(3));
  const dense = await model.createSession({ mode: 'dense' });
  const delta = await model.createSession({ mode: 'delta', ...options });
  const psnr: number[] = [];
  for (const x of frames) {
    const want = await dense.run({ x });
    const got = await delta.run({ x });
    psnr.push(Math.min(...Object.keys(want).map((k) => tensorError(got[k]!.data, want[k]!.data).psnr)));
  }
  return { psnr, stats: delta.stats().frames };
}

describe('delta mode refresh (bounded staleness of the input)', () => {
  // A change of 0.05 everywhere, below the input threshold 0.2: without refresh it is never sent.
  const base = picture(1);
  const frames = [base, ...Array.from({ length: 8 }, () => shifted(base, 0.05))];
  const exactNodes = { threshold: 0, inputThreshold: 0.2 };

  it('without refresh, residue below the input threshold stays unsent', async () => {
    const { psnr } = await psnrPerFrame(exactNodes, frames);
    expect(psnr.at(-1)).toBeLessThan(60);
  });

  it('with maxAge 4, sends every pixel holding residue within 4 frames, a quarter of the rows each frame', async () => {
    const { psnr, stats } = await psnrPerFrame({ ...exactNodes, refresh: { maxAge: 4 } }, frames);
    // Frames 1-3 have refreshed 3 of the 4 bands; frame 4 the last one: from then on delta equals dense
    // (nodes at threshold 0), float rounding aside.
    expect(psnr[3]).toBeLessThan(60);
    for (const p of psnr.slice(4)) expect(p).toBeGreaterThan(100);
    expect(stats.map((f) => f.refreshedPixels)).toEqual([0, 2 * W, 2 * W, 2 * W, 2 * W, 0, 0, 0, 0]);
  });

  it('leaves alone residue under minResidue of the threshold', async () => {
    // 0.05 is a quarter of the 0.2 threshold: under a minResidue of 0.5, over one of 0.2.
    const small = await psnrPerFrame({ ...exactNodes, refresh: { maxAge: 2, minResidue: 0.5 } }, frames);
    expect(small.stats.every((f) => f.refreshedPixels === 0)).toBe(true);
    const large = await psnrPerFrame({ ...exactNodes, refresh: { maxAge: 2, minResidue: 0.2 } }, frames);
    expect(large.stats.reduce((s, f) => s + (f.refreshedPixels ?? 0), 0)).toBe(H * W);
  });

  it('sends what crosses the threshold as the plain sparsify does, whatever the refresh', async () => {
    const moving = [base, shifted(base, 0.3), shifted(base, 0.6), shifted(base, 0.61)];
    const plain = await psnrPerFrame(exactNodes, moving);
    // maxAge 1000: no band comes round in 4 frames except the first rows, which hold no residue here.
    const refreshed = await psnrPerFrame({ ...exactNodes, refresh: { maxAge: 1000 } }, moving);
    expect(refreshed.psnr).toEqual(plain.psnr);
    expect(refreshed.stats.map((f) => f.macs)).toEqual(plain.stats.map((f) => f.macs));
  });

  it('keyframeInterval runs a keyframe (reason interval) every that many frames', async () => {
    const { stats } = await psnrPerFrame({ threshold: 0.01, keyframeInterval: 3 }, frames.slice(0, 7));
    expect(stats.map((f) => f.reason)).toEqual(['first', undefined, undefined, 'interval', undefined, undefined, 'interval']);
  });

  it('refuses a bad maxAge, minResidue or keyframeInterval with OptionError', async () => {
    const model = new Model(smallConvNet(3));
    for (const options of [
      { refresh: { maxAge: 0 } },
      { refresh: { maxAge: 2.5 } },
      { refresh: { maxAge: 4, minResidue: 1 } },
      { keyframeInterval: 0 },
    ]) {
      const error = await model.createSession({ mode: 'delta', ...options }).catch((e: unknown) => e);
      expect(OptionError.isInstance(error)).toBe(true);
    }
    await expect(model.createSession({ mode: 'delta', refresh: { maxAge: 0 } })).rejects.toThrow(/refresh.maxAge must be an integer >= 1/);
  });

  it('InputRefresh keeps its reference equal to what it sent', () => {
    const refresh = new InputRefresh({ maxAge: 2 }, { x: 0.2 });
    refresh.keyframe({ x: base });
    const first = refresh.frame({ x: shifted(base, 0.05) });
    // Band 0 (rows 0-3) refreshed to the new values, band 1 still the keyframe's.
    const rowValues = W * 3;
    expect(Array.from(first.tensors['x']!.data.subarray(0, 4 * rowValues))).toEqual(
      Array.from(shifted(base, 0.05).data.subarray(0, 4 * rowValues)),
    );
    expect(Array.from(first.tensors['x']!.data.subarray(4 * rowValues))).toEqual(Array.from(base.data.subarray(4 * rowValues)));
    const second = refresh.frame({ x: shifted(base, 0.05) });
    expect(Array.from(second.tensors['x']!.data)).toEqual(Array.from(shifted(base, 0.05).data));
    expect(first.refreshed + second.refreshed).toBe(H * W);
  });
});
