import { readModelFrames } from '@motiondelta/dense-demo';
import { tensorError } from '@motiondelta/graph-runtime';
import { describe, expect, it } from 'vitest';
import { CASES, openModel } from './motion-real-models.js';

/**
 * Issue 5 acceptance (a) on the real models: with a static viewport (identity homography every
 * frame) motion mode equals delta mode equals dense inference at threshold 0, on consecutive
 * frames of the static-camera clip (vtest), every output, relative L2 <= 1e-4.
 */
describe('motion mode with a static viewport equals delta and dense', () => {
  for (const c of CASES) {
    it(`${c.id} on 6 vtest frames`, async () => {
      const model = await openModel(c.id);
      const frames = await readModelFrames(c.id, { clip: 'vtest', start: 0, count: 6, size: c.size as [number, number] });
      const dense = await model.createSession({ mode: 'dense' });
      const delta = await model.createSession({ mode: 'delta', threshold: 0 });
      const motion = await model.createSession({ mode: 'motion', threshold: 0 });
      const name = model.inputs[0]!.name;
      let worstDense = 0;
      let worstDelta = 0;
      for (const frame of frames) {
        const want = await dense.run({ [name]: frame });
        const viaDelta = await delta.run({ [name]: frame });
        const got = await motion.run({ [name]: frame }, { homography: [1, 0, 0, 0, 1, 0, 0, 0, 1] });
        for (const out of model.outputs) {
          worstDense = Math.max(worstDense, tensorError(got[out.name]!.data, want[out.name]!.data).relL2);
          worstDelta = Math.max(worstDelta, tensorError(got[out.name]!.data, viaDelta[out.name]!.data).relL2);
        }
      }
      expect(worstDense).toBeLessThanOrEqual(1e-4);
      expect(worstDelta).toBeLessThanOrEqual(1e-4);
      const stats = motion.stats().frames;
      expect(stats.map((f) => f.keyframe)).toEqual([true, false, false, false, false, false]);
      for (const f of stats) expect(f.offset).toEqual({ y: 0, x: 0 });
    }, 300_000);
  }
});
