import { describe, expect, it } from 'vitest';
import { CASES, loadWorld, openModel, runPath } from './motion-real-models.js';

/**
 * Issue 5 acceptance (b): a static scene seen through integer pans by multiples of the network's
 * total stride, at threshold 0, equals dense inference on the current aligned frame on every
 * frame (relative L2 <= 1e-4), for back-and-forth and diagonal paths, on the real models.
 */
describe('motion mode at threshold 0 equals dense on pans of a static scene', () => {
  for (const c of CASES) {
    it(`${c.id}: back-and-forth and diagonal paths`, async () => {
      const model = await openModel(c.id);
      const world = await loadWorld(c);
      const dense = await model.createSession({ mode: 'dense' });
      const motion = await model.createSession({ mode: 'motion', threshold: 0 });
      // Steps in units of the total stride: back and forth along x, then diagonals, a corner clip, back home.
      const units: readonly (readonly [number, number])[] = [
        [1, 1],
        [1, 2],
        [1, 1],
        [1, 2],
        [1, 1],
        [1, 0],
        [1, 1],
        [2, 2],
        [3, 3],
        [2, 2],
        [1, 1],
        [0, 2],
        [1, 1],
        [2, 0],
        [1, 1],
      ];
      const probe = await model.createSession({ mode: 'motion' });
      await probe.run({
        [model.inputs[0]!.name]: { data: new Float32Array(c.size[0] * c.size[1] * 3), shape: [1, c.size[0], c.size[1], 3] },
      });
      const S = probe.totalStride!;
      expect(S).toBe(c.id === 'posenet' ? 16 : 1);
      // esrgan (stride 1) also takes steps of 2 and 3 pixels.
      const scale = c.id === 'posenet' ? S : 2;
      const path = units.map(([y, x]) => [y * scale, x * scale] as const);
      const { worst, perFrame } = await runPath(model, world, c.size, path, motion, dense);
      expect(perFrame).toHaveLength(path.length);
      expect(worst).toBeLessThanOrEqual(1e-4);
      const frames = motion.stats().frames;
      // One keyframe (the first); every later frame moved incrementally, with the expected offset.
      expect(frames.filter((f) => f.keyframe).map((f) => f.reason)).toEqual(['first']);
      frames.forEach((f, i) => expect(f.offset).toEqual({ y: path[i]![0] - path[0]![0], x: path[i]![1] - path[0]![1] }));
      console.log(c.id, perFrame.map((e) => e.toExponential(1)).join(' '), frames.map((f) => (f.macs / f.denseMacs).toFixed(2)).join(' '));
    }, 600_000);
  }
});
