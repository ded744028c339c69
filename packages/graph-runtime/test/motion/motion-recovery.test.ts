import { createRng, uniform, type Backend, type DeltaKernels } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { Model } from '../../src/model.js';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { smallConvNet } from '../helpers/build-graph.js';
import { relativeL2 } from '../helpers/relative-l2.js';

/** The reference backend, except that its activation kernel throws while `failing` is set. */
function flakyBackend(): { backend: Backend; fail: (on: boolean) => void } {
  const ref = new ReferenceBackend();
  let failing = false;
  const delta = new Proxy(ref.delta, {
    get(target, prop, receiver) {
      if (prop === 'activation' && failing) return () => Promise.reject(new Error('kernel failed'));
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as DeltaKernels;
  const backend: Backend = { id: 'flaky', supports: (op) => ref.supports(op), runDense: (call) => ref.runDense(call), delta };
  return { backend, fail: (on) => (failing = on) };
}

const pan = (x: number): number[] => [1, 0, x, 0, 1, 0, 0, 0, 1];

describe('motion mode after a kernel fails mid-frame', () => {
  it('drops the half-updated state, re-anchors with reason recovery, and is exact again after it', async () => {
    const model = new Model(smallConvNet(5));
    const { backend, fail } = flakyBackend();
    const motion = await model.createSession({ mode: 'motion', backend, threshold: 0 });
    const dense = await model.createSession({ mode: 'dense' });
    const rng = createRng(41);
    const frames = Array.from({ length: 5 }, () => ({
      data: new Float32Array(10 * 12 * 3).map(() => uniform(rng, -1, 1)),
      shape: [1, 10, 12, 3],
    }));
    await motion.run({ x: frames[0]! }, { homography: pan(0) });
    await motion.run({ x: frames[1]! }, { homography: pan(1) });
    fail(true);
    await expect(motion.run({ x: frames[2]! }, { homography: pan(2) })).rejects.toThrow(/kernel failed/);
    fail(false);
    await motion.run({ x: frames[3]! }, { homography: pan(3) });
    expect(motion.stats().frames.at(-1)).toMatchObject({ keyframe: true, reason: 'recovery' });
    // The next moving frame runs on the state the recovery keyframe rebuilt, shared scratch included.
    const out = await motion.run({ x: frames[4]! }, { homography: pan(5) });
    expect(motion.stats().frames.at(-1)).toMatchObject({ keyframe: false, offset: { y: 0, x: 2 } });
    const want = await dense.run({ x: frames[4]! });
    for (const name of model.outputs.map((o) => o.name)) expect(relativeL2(out[name]!.data, want[name]!.data)).toBeLessThan(1e-5);
  });
});
