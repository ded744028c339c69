import { describe, expect, it } from 'vitest';
import { openModel } from './motion-real-models.js';

/**
 * Issue 5 acceptance (d): motion mode's state stays within 10% of delta mode's for the same model
 * and input size, and the spherical buffers' rings (one ring of p per window op, not whole
 * receptive fields) are a small part of it. Sizes are moderate so that the rings' share is what
 * it would be on real frames; one dense keyframe per session allocates all state.
 */
describe('motion mode memory against delta mode', () => {
  for (const [id, h, w] of [
    ['esrgan-x2', 48, 48],
    ['posenet', 193, 193],
  ] as const) {
    it(`${id} at ${h}x${w}`, async () => {
      const model = await openModel(id);
      const name = model.inputs[0]!.name;
      const frame = { data: new Float32Array(h * w * 3), shape: [1, h, w, 3] };
      const delta = await model.createSession({ mode: 'delta' });
      await delta.run({ [name]: frame });
      const motion = await model.createSession({ mode: 'motion' });
      await motion.run({ [name]: frame });
      const m = motion.memory;
      const ratio = m.stateBytes / delta.stateBytes;
      console.log(
        `${id} ${h}x${w}: delta ${delta.stateBytes} B, motion ${m.stateBytes} B (${(ratio * 100).toFixed(1)}%): persistent ${m.persistentBytes}, of it rings ${m.ringBytes} (${((m.ringBytes / delta.stateBytes) * 100).toFixed(2)}% of delta), per-frame ${m.frameBufferBytes}`,
      );
      expect(ratio).toBeLessThanOrEqual(1.1);
      expect(m.ringBytes / delta.stateBytes).toBeLessThan(0.05);
      // State is allocated once: a later (moving) frame adds nothing.
      const before = motion.stateBytes;
      await motion.run({ [name]: frame }, { homography: [1, 0, motion.totalStride!, 0, 1, 0, 0, 0, 1] });
      expect(motion.stateBytes).toBe(before);
    }, 300_000);
  }
});
