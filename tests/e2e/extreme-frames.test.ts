import { readModelFrames } from '@motiondelta/dense-demo';
import { tensorError, type Model, type Session } from '@motiondelta/graph-runtime';
import type { Tensor, TensorMap } from '@motiondelta/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openModel } from './motion-real-models.js';

/**
 * Issue 14, item 4, on a real model: one finite frame of extreme values (1e8, 1e30, or 3e38, which
 * overflows to infinity inside the network) among ordinary frames of the static-camera clip must
 * not leave a lasting error in delta or motion mode at threshold 0. Before the fix, 1e8 left a
 * relative L2 error of about 17 on every later frame, for good. Every frame after the extreme one
 * must be within the tolerance the other end-to-end tests hold both modes to (relative L2 1e-4
 * of dense), at the cost of one keyframe; a stream of ordinary frames takes no keyframe but its first.
 */
const SIZE: [number, number] = [16, 24];
const TOLERANCE = 1e-4;
const STATEFUL = ['delta', 'motion'] as const;

let model: Model;
let name: string;
let clip: Tensor[];
beforeAll(async () => {
  model = await openModel('esrgan-x2');
  name = model.inputs[0]!.name;
  clip = await readModelFrames('esrgan-x2', { clip: 'vtest', start: 0, count: 30, size: SIZE });
});

const open = (mode: 'delta' | 'motion'): Promise<Session> => model.createSession({ mode, threshold: 0 });
const finite = (out: TensorMap): boolean => Object.values(out).every((t) => t.data.every((v) => Number.isFinite(v)));

describe('esrgan-x2 after one frame of extreme values (threshold 0)', () => {
  it.each([
    ['1e8', 1e8],
    ['1e30', 1e30],
    ['3e38 (overflows inside the network)', 3e38],
  ])(
    'with its largest value at %s: every later frame equals dense, in delta and motion mode',
    async (label, peak) => {
      const normal = clip[5]!;
      const scale = peak / normal.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      const frames = [...clip.slice(0, 5), { data: normal.data.map((v) => v * scale), shape: normal.shape }, ...clip.slice(5, 15)];
      const dense = await model.createSession({ mode: 'dense' });
      const sessions = await Promise.all(STATEFUL.map(open));
      const worst = [0, 0];
      for (const [i, frame] of frames.entries()) {
        const want = await dense.run({ [name]: frame });
        if (i === 5 && peak === 3e38) expect(finite(want), 'the overflow case overflows in dense inference too').toBe(false);
        for (const [m, session] of sessions.entries()) {
          const got = await session.run({ [name]: frame });
          if (i === 5) continue;
          for (const out of model.outputs) worst[m] = Math.max(worst[m]!, tensorError(got[out.name]!.data, want[out.name]!.data).relL2);
        }
      }
      for (const [m, session] of sessions.entries()) {
        const keyframes = session.stats().frames.filter((f) => f.keyframe);
        expect(worst[m], `${STATEFUL[m]}, ${label}`).toBeLessThanOrEqual(TOLERANCE);
        expect(
          keyframes.map((f) => f.index),
          `${STATEFUL[m]}, ${label}`,
        ).toEqual([0, 6]);
        expect(['resync', 'non-finite']).toContain(keyframes[1]!.reason);
      }
    },
    600_000,
  );

  it('30 ordinary frames take no keyframe but the first, in delta and motion mode', async () => {
    for (const mode of STATEFUL) {
      const session = await open(mode);
      for (const frame of clip) await session.run({ [name]: frame });
      expect(
        session
          .stats()
          .frames.filter((f) => f.keyframe)
          .map((f) => f.index),
        mode,
      ).toEqual([0]);
    }
  }, 600_000);
});
