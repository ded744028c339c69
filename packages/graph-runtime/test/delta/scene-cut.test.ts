import { OptionError, createRng, uniform, type Tensor } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { SceneCutDetector } from '../../src/delta/scene-cut-detector.js';
import { Model } from '../../src/model.js';
import { smallConvNet } from '../helpers/build-graph.js';

function picture(seed: number, h = 16, w = 16): Tensor {
  const rng = createRng(seed);
  return { data: new Float32Array(h * w * 3).map(() => uniform(rng, 0.2, 1)), shape: [1, h, w, 3] };
}

/** `t` with a few pixels changed a little: ordinary motion, not a cut. */
function nudged(t: Tensor, amount: number): Tensor {
  const data = Float32Array.from(t.data);
  for (let i = 0; i < data.length; i += 7) data[i]! += amount;
  return { data, shape: t.shape };
}

describe('delta mode scene cuts', () => {
  it('runs a frame that changed beyond sceneCut as a keyframe (reason scene-cut), and only then', async () => {
    const model = new Model(smallConvNet(4));
    const delta = await model.createSession({ mode: 'delta', threshold: 0.01, sceneCut: 0.4 });
    const a = picture(1);
    const b = picture(2);
    const frames = [a, nudged(a, 0.05), nudged(a, 0.1), b, nudged(b, 0.05)];
    for (const x of frames) await delta.run({ x });
    expect(delta.stats().frames.map((f) => f.reason)).toEqual(['first', undefined, undefined, 'scene-cut', undefined]);
    // After reset() the first frame has nothing to compare with: 'first', not a cut.
    delta.reset();
    await delta.run({ x: a });
    expect(delta.stats().frames.at(-1)!.reason).toBe('first');
  });

  it('is off by default in a bare session, and refuses a negative bound', async () => {
    const model = new Model(smallConvNet(4));
    const delta = await model.createSession({ mode: 'delta' });
    for (const x of [picture(1), picture(2), picture(3)]) await delta.run({ x });
    expect(delta.stats().frames.map((f) => f.reason)).toEqual(['first', undefined, undefined]);
    expect(() => new SceneCutDetector(-1)).toThrow(OptionError);
    const error = await model.createSession({ mode: 'delta', sceneCut: -1 }).catch((e: unknown) => e);
    expect(OptionError.isInstance(error)).toBe(true);
  });
});
