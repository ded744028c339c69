import type { Tensor, TensorMap } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/ir/graph.js';
import { Model } from '../../src/model.js';
import { smallConvNet } from '../helpers/build-graph.js';
import { MODES, openSession, runFresh, sameOutputs, sparseFrames } from './session-fixtures.js';

/**
 * run() copies its inputs into session-owned storage before it returns: what the caller does with
 * its buffers afterwards (reuse, overwrite, transfer) cannot change a frame, and outputs are the
 * caller's own arrays, which it may change without touching the session.
 */
const model = new Model(smallConvNet(5));
const frames = sparseFrames(3, 8, 10, 4);

/** Detaches `data`'s ArrayBuffer the way postMessage with a transfer list does. */
function detach(data: Float32Array): void {
  structuredClone(data.buffer, { transfer: [data.buffer as ArrayBuffer] });
}

describe.each(MODES)('%s session', (mode) => {
  it('a caller that refills one buffer for every frame, without awaiting, gets every frame right', async () => {
    const session = await openSession(model, mode);
    const buffer = new Float32Array(frames[0]!.data.length);
    const pending: Promise<TensorMap>[] = [];
    for (const f of frames) {
      buffer.set(f.data);
      pending.push(session.run({ x: { data: buffer, shape: f.shape } }));
    }
    buffer.fill(Number.NaN);
    const outs = await Promise.all(pending);
    const fresh = await runFresh(model, mode, frames);
    for (const [i, out] of outs.entries()) expect(sameOutputs(out, fresh[i]!), `frame ${i}`).toBe(true);
  });

  it('a shape array changed right after run() does not change the frame', async () => {
    const session = await openSession(model, mode);
    const outs: TensorMap[] = [];
    for (const f of frames) {
      const shape = [...f.shape];
      const pending = session.run({ x: { data: f.data, shape } });
      shape[1] = 99;
      shape.push(1);
      outs.push(await pending);
    }
    const fresh = await runFresh(model, mode, frames);
    for (const [i, out] of outs.entries()) expect(sameOutputs(out, fresh[i]!), `frame ${i}`).toBe(true);
  });

  it('a buffer transferred (detached) right after run() does not disturb the frame', async () => {
    const session = await openSession(model, mode);
    const outs: TensorMap[] = [];
    for (const f of frames) {
      const data = new Float32Array(f.data);
      const pending = session.run({ x: { data, shape: f.shape } });
      detach(data);
      expect(data.length).toBe(0);
      outs.push(await pending);
    }
    const fresh = await runFresh(model, mode, frames);
    for (const [i, out] of outs.entries()) expect(sameOutputs(out, fresh[i]!), `frame ${i}`).toBe(true);
  });

  it('takes Float32Arrays on a SharedArrayBuffer, and subarrays of a larger buffer', async () => {
    const session = await openSession(model, mode);
    const outs: TensorMap[] = [];
    for (const [i, f] of frames.entries()) {
      const n = f.data.length;
      const data = i % 2 === 0 ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n + 7).subarray(3, 3 + n);
      data.set(f.data);
      outs.push(await session.run({ x: { data, shape: f.shape } }));
    }
    const fresh = await runFresh(model, mode, frames);
    for (const [i, out] of outs.entries()) expect(sameOutputs(out, fresh[i]!), `frame ${i}`).toBe(true);
  });

  it('outputs are the caller’s: changing their values and shapes changes nothing in the session', async () => {
    const session = await openSession(model, mode);
    const fresh = await runFresh(model, mode, frames);
    for (const [i, f] of frames.entries()) {
      const out = await session.run({ x: f });
      expect(sameOutputs(out, fresh[i]!), `frame ${i}`).toBe(true);
      out.y!.data.fill(1e6);
      (out.y!.shape as number[])[1] = 99;
    }
  });
});

/** A model whose output is its input: the dense executor must not hand out the input's storage. */
function passThrough(): Graph {
  return {
    source: { format: 'onnx', location: '<pass-through>' },
    inputs: [{ name: 'x', shape: [1, null, null, 3], dtype: 'float32' }],
    outputs: [{ name: 'x', shape: [1, null, null, 3], dtype: 'float32' }],
    nodes: [],
    constants: new Map(),
    intConstants: new Map(),
  };
}

describe.each(['dense', 'delta'] as const)('%s session on a pass-through model', (mode) => {
  it('returns outputs that later frames (which reuse the input copies) never overwrite', async () => {
    const session = await openSession(new Model(passThrough()), mode);
    const outs: Tensor[] = [];
    for (const f of frames) outs.push((await session.run({ x: f })).x!);
    for (const [i, out] of outs.entries()) expect(Array.from(out.data), `frame ${i}`).toEqual(Array.from(frames[i]!.data));
  });
});
