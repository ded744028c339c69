import { BackendUnavailableError, type TensorMap } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { Model } from '../../src/model.js';
import { smallConvNet } from '../helpers/build-graph.js';
import { relativeL2 } from '../helpers/relative-l2.js';
import { MODES, gatedBackend, openSession, runFresh, sameOutputs, sparseFrames } from './session-fixtures.js';

/**
 * reset() and dispose() take effect at once, even while a frame is in flight (held inside a kernel
 * by a gated backend): the frame still answers its caller, but leaves no state and no statistics,
 * and the frames after reset() run exactly as in a fresh session.
 */
const model = new Model(smallConvNet(3));
const frames = sparseFrames(11, 8, 10, 5);
const summary = (s: { stats(): { frames: readonly { keyframe: boolean; reason?: string | undefined }[] } }) =>
  s.stats().frames.map((f) => `${f.keyframe ? 'key' : 'delta'}:${f.reason ?? '-'}`);

describe.each(MODES)('%s session', (mode) => {
  it('reset() while the first keyframe is in flight: the keyframe answers, installs nothing, and the next frame starts fresh', async () => {
    const gate = gatedBackend();
    const session = await openSession(model, mode, gate.backend);
    const held = gate.arm();
    const first = session.run({ x: frames[0]! });
    await held;
    session.reset();
    expect(session.stats().frames).toEqual([]);
    gate.open();
    expect(sameOutputs(await first, (await runFresh(model, mode, [frames[0]!]))[0]!)).toBe(true);
    // It left no statistics: the stream it belonged to is gone.
    expect(session.stats().frames).toEqual([]);

    const later = frames.slice(1, 4);
    const outs: TensorMap[] = [];
    for (const f of later) outs.push(await session.run({ x: f }));
    const fresh = await openSession(model, mode);
    for (const [i, f] of later.entries()) expect(sameOutputs(outs[i]!, await fresh.run({ x: f })), `frame ${i + 1}`).toBe(true);
    expect(summary(session)).toEqual(summary(fresh));
    expect(session.stats().frames[0]).toMatchObject({ index: 0, keyframe: true, reason: mode === 'dense' ? 'dense' : 'first' });
  });

  it('reset() while a later frame is in flight: that frame answers as if undisturbed, the next is a keyframe', async () => {
    const gate = gatedBackend();
    const session = await openSession(model, mode, gate.backend);
    await session.run({ x: frames[0]! });
    const held = gate.arm();
    const second = session.run({ x: frames[1]! });
    await held;
    session.reset();
    gate.open();
    const undisturbed = await runFresh(model, mode, frames.slice(0, 2));
    expect(sameOutputs(await second, undisturbed[1]!)).toBe(true);
    expect(session.stats().frames).toEqual([]);
    expect(sameOutputs(await session.run({ x: frames[2]! }), (await runFresh(model, mode, [frames[2]!]))[0]!)).toBe(true);
    expect(summary(session)).toEqual([mode === 'dense' ? 'key:dense' : 'key:first']);
  });

  it('frames queued before reset() still answer (computed on their own); frames queued after it start the new stream', async () => {
    const gate = gatedBackend();
    const session = await openSession(model, mode, gate.backend);
    const dense = await openSession(model, 'dense');
    const held = gate.arm();
    const before = [session.run({ x: frames[0]! }), session.run({ x: frames[1]! })];
    await held;
    session.reset();
    const after = [session.run({ x: frames[2]! }), session.run({ x: frames[3]! })];
    gate.open();
    const outs = await Promise.all([...before, ...after]);
    // Before reset(): each is what dense inference gives for its frame (threshold 0).
    for (const [i, out] of outs.slice(0, 2).entries()) {
      const want = await dense.run({ x: frames[i]! });
      expect(relativeL2(out.y!.data, want.y!.data)).toBeLessThan(1e-6);
    }
    // After reset(): exactly a fresh stream of frames 2 and 3, with its statistics alone.
    const fresh = await runFresh(model, mode, frames.slice(2, 4));
    expect(sameOutputs(outs[2]!, fresh[0]!)).toBe(true);
    expect(sameOutputs(outs[3]!, fresh[1]!)).toBe(true);
    expect(session.stats().frames.map((f) => f.index)).toEqual([0, 1]);
    expect(session.stats().frames[0]!.keyframe).toBe(true);
  });

  it('dispose() while a frame is in flight: it answers, queued and later frames are refused, the backend is released after it', async () => {
    const gate = gatedBackend();
    const session = await openSession(model, mode, gate.backend);
    const held = gate.arm();
    const inFlight = session.run({ x: frames[0]! });
    const queued = session.run({ x: frames[1]! });
    await held;
    session.dispose();
    // The kernel in flight still has its backend.
    expect(gate.disposed()).toBe(0);
    const later = session.run({ x: frames[2]! });
    gate.open();
    expect(sameOutputs(await inFlight, (await runFresh(model, mode, [frames[0]!]))[0]!)).toBe(true);
    for (const refused of [queued, later]) {
      const error = await refused.catch((e: unknown) => e);
      expect(BackendUnavailableError.isInstance(error), String(error)).toBe(true);
      expect((error as Error).message).toMatch(/this session was disposed; create a new one/);
    }
    expect(gate.disposed()).toBe(1);
    session.dispose();
    expect(gate.disposed()).toBe(1);
  });

  it('dispose() of an idle session releases the backend at once; run() after it is a typed error', async () => {
    const gate = gatedBackend();
    const session = await openSession(model, mode, gate.backend);
    await session.run({ x: frames[0]! });
    session.dispose();
    expect(gate.disposed()).toBe(1);
    const error = await session.run({ x: frames[1]! }).catch((e: unknown) => e);
    expect(BackendUnavailableError.isInstance(error)).toBe(true);
  });
});
