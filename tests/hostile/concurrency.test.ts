import { ensureData } from '@motiondelta/data';
import { createRng } from '@motiondelta/core';
import { DEFAULT_BACKENDS, loadModel, type Model, type Session, type Tensor, type TensorMap } from 'motiondelta';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Hostile use of the public API from one process: many sessions at once, frames issued without
 * awaiting, sessions of two models interleaved. Nothing may crash, and every frame must come out
 * exactly as it would have in a calm, sequential run (sessions share no state; a session's queue
 * keeps frame order). Runs on the shipped default backends (cpu-native where built), which run
 * their kernels on worker threads, so frames really overlap.
 */
const SIZE: readonly number[] = [1, 12, 16, 3];

function frames(count: number, seed: number): Tensor[] {
  const rng = createRng(seed);
  const base = Float32Array.from({ length: SIZE.reduce((a, b) => a * b, 1) }, () => rng.next());
  return Array.from({ length: count }, (_, f) => {
    const data = new Float32Array(base);
    // A moving blob, so delta frames have work to do but are not all-active.
    for (let i = 0; i < 12; i++) data[((f * 7 + i * 13) % (data.length / 3)) * 3] = rng.next();
    return { data, shape: [...SIZE] };
  });
}

async function sequential(model: Model, mode: 'dense' | 'delta', input: string, clip: readonly Tensor[]): Promise<TensorMap[]> {
  const session = await model.createSession({ mode, backend: DEFAULT_BACKENDS });
  const out: TensorMap[] = [];
  for (const frame of clip) out.push(await session.run({ [input]: frame }));
  session.dispose();
  return out;
}

function expectSame(actual: readonly TensorMap[], expected: readonly TensorMap[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((frame, f) => {
    for (const [name, tensor] of Object.entries(expected[f]!)) {
      expect(frame[name]!.shape).toEqual(tensor.shape);
      // Same backend, same inputs, same order: bit-identical, not merely close.
      expect(Buffer.from(frame[name]!.data.buffer).equals(Buffer.from(tensor.data.buffer)), `frame ${f}, output ${name}`).toBe(true);
    }
  });
}

describe('concurrent use of sessions', () => {
  let model: Model;
  let input: string;
  beforeAll(async () => {
    model = await loadModel((await ensureData('esrgan-x2')).main);
    input = model.inputs[0]!.name;
    // Under CI the native backend must be built, so these frames really overlap on worker threads.
    const probe = await model.createSession({ backend: DEFAULT_BACKENDS });
    if (process.env['CI']) expect(probe.backendInfo.id).toBe('cpu-native');
    probe.dispose();
  });

  it('frames issued without awaiting come out in order, equal to a sequential run (dense and delta)', async () => {
    const clip = frames(8, 11);
    for (const mode of ['dense', 'delta'] as const) {
      const expected = await sequential(model, mode, input, clip);
      const session = await model.createSession({ mode, backend: DEFAULT_BACKENDS });
      const actual = await Promise.all(clip.map((frame) => session.run({ [input]: frame })));
      expectSame(actual, expected);
      session.dispose();
    }
  });

  it('eight sessions created and run at the same time do not share state', async () => {
    const clips = Array.from({ length: 8 }, (_, s) => frames(4, 100 + s));
    const expected = await Promise.all(clips.map((clip, s) => sequential(model, s % 2 === 0 ? 'dense' : 'delta', input, clip)));
    const sessions: Session[] = await Promise.all(
      clips.map((_, s) => model.createSession({ mode: s % 2 === 0 ? 'dense' : 'delta', backend: DEFAULT_BACKENDS })),
    );
    const actual = await Promise.all(sessions.map((session, s) => Promise.all(clips[s]!.map((frame) => session.run({ [input]: frame })))));
    actual.forEach((frames, s) => expectSame(frames, expected[s]!));
    for (const s of sessions) s.dispose();
  });

  it('a failing frame in the middle of a queue rejects alone; the frames around it are unaffected', async () => {
    const clip = frames(5, 7);
    const expected = await sequential(model, 'delta', input, clip);
    const session = await model.createSession({ mode: 'delta', backend: DEFAULT_BACKENDS });
    const bad = { data: new Float32Array(5), shape: [1, 12, 16, 3] };
    const pending = [
      session.run({ [input]: clip[0]! }),
      session.run({ [input]: clip[1]! }),
      session.run({ [input]: bad }),
      session.run({ [input]: clip[2]! }),
      session.run({ [input]: clip[3]! }),
      session.run({ [input]: clip[4]! }),
    ];
    const settled = await Promise.allSettled(pending);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    const good = settled.filter((s): s is PromiseFulfilledResult<TensorMap> => s.status === 'fulfilled').map((s) => s.value);
    expectSame(good, expected);
    session.dispose();
  });

  it('two models interleaved frame by frame give what each gives alone', async () => {
    const other = await loadModel((await ensureData('selfie')).main);
    const otherInput = other.inputs[0]!.name;
    const rng = createRng(5);
    const selfieFrames = Array.from({ length: 3 }, () => ({
      data: Float32Array.from({ length: 256 * 256 * 3 }, () => rng.next()),
      shape: [1, 256, 256, 3],
    }));
    const clip = frames(3, 3);
    const expectedA = await sequential(model, 'delta', input, clip);
    const expectedB = await sequential(other, 'delta', otherInput, selfieFrames);
    const a = await model.createSession({ mode: 'delta', backend: DEFAULT_BACKENDS });
    const b = await other.createSession({ mode: 'delta', backend: DEFAULT_BACKENDS });
    const outA: Promise<TensorMap>[] = [];
    const outB: Promise<TensorMap>[] = [];
    for (let f = 0; f < 3; f++) {
      outA.push(a.run({ [input]: clip[f]! }));
      outB.push(b.run({ [otherInput]: selfieFrames[f]! }));
    }
    expectSame(await Promise.all(outA), expectedA);
    expectSame(await Promise.all(outB), expectedB);
    a.dispose();
    b.dispose();
  }, 300_000);
});
