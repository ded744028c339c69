import { BackendUnavailableError, InputError, OptionError, ShapeError, createRng, randomFloat32, type Backend } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { runGraphDense } from '../../src/executor/run-graph-dense.js';
import { Model } from '../../src/model.js';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { defaultBackends, registerBackend } from '../../src/session/backend-registry.js';
import { smallConvNet } from '../helpers/build-graph.js';

const rng = createRng(5);
const input = (h: number, w: number) => ({ x: { data: randomFloat32(rng, h * w * 3), shape: [1, h, w, 3] } });

describe('Session (dense)', () => {
  it('runs frames of different sizes and matches the graph executed directly', async () => {
    const model = new Model(smallConvNet(2));
    const session = await model.createSession({ mode: 'dense', backend: 'reference' });
    for (const [h, w] of [
      [6, 6],
      [9, 4],
      [6, 6],
    ] as const) {
      const feeds = input(h, w);
      const out = await session.run(feeds);
      const expected = await runGraphDense(model.graph, feeds, new ReferenceBackend());
      expect(out.y!.shape).toEqual([1, h, w, 4]);
      expect(Array.from(out.y!.data)).toEqual(Array.from(expected.y!.data));
    }
    expect(session.stats().frames).toHaveLength(3);
  });

  it('reports per-node MACs that add up to the frame total', async () => {
    const session = await new Model(smallConvNet(2)).createSession();
    await session.run(input(8, 8));
    const stats = session.stats();
    const total = stats.nodes.reduce((s, n) => s + n.macs, 0);
    expect(stats.frames[0]!.macs).toBe(total);
    // 3x3x3 -> 4 convolution over 8x8 pixels is 8*8*4*27 MACs.
    expect(stats.nodes[0]!.macs).toBe(8 * 8 * 4 * 27);
  });

  it('rejects a wrong shape, a missing input and NaN values with typed errors, and stays usable', async () => {
    const session = await new Model(smallConvNet(2)).createSession();
    await expect(session.run({ x: { data: new Float32Array(8 * 8 * 4), shape: [1, 8, 8, 4] } })).rejects.toThrow(ShapeError);
    await expect(session.run({ x: { data: new Float32Array(10), shape: [1, 8, 8, 3] } })).rejects.toThrow(/needs 192/);
    await expect(session.run({})).rejects.toThrow(/Missing input 'x'/);
    const bad = input(4, 4);
    bad.x.data[7] = Number.NaN;
    await expect(session.run(bad)).rejects.toThrow(InputError);
    const ok = await session.run(input(4, 4));
    expect(ok.y!.shape).toEqual([1, 4, 4, 4]);
    expect(session.stats().frames).toHaveLength(1);
  });

  it('falls back past unknown and failing backends and says why', async () => {
    registerBackend('always-fails', () => {
      throw new BackendUnavailableError('always-fails', 'not built: test backend');
    });
    const session = await new Model(smallConvNet(2)).createSession({ backend: ['no-such-backend', 'always-fails', 'reference'] });
    expect(session.backendInfo.id).toBe('reference');
    expect(session.backendInfo.skipped.map((s) => s.id)).toEqual(['no-such-backend', 'always-fails']);
    expect(session.backendInfo.skipped[1]!.reason).toMatch(/not built: test backend/);
  });

  it("skips a backend that cannot run the mode's step kinds, naming the step, and falls back", async () => {
    let disposed = 0;
    registerBackend('dense-only', () => {
      const reference = new ReferenceBackend();
      return {
        id: 'dense-only',
        supports: (c) => reference.supports(c),
        runDense: (c) => reference.runDense(c),
        dispose: () => void disposed++,
      };
    });
    const model = new Model(smallConvNet(2));
    const delta = await model.createSession({ mode: 'delta', backend: ['dense-only', 'reference'] });
    expect(delta.backendInfo.id).toBe('reference');
    expect(delta.backendInfo.skipped).toEqual([
      { id: 'dense-only', reason: expect.stringMatching(/cannot run 'sparsify' steps, which delta mode needs/) },
    ]);
    expect(disposed).toBe(1);
    const dense = await model.createSession({ mode: 'dense', backend: ['dense-only', 'reference'] });
    expect(dense.backendInfo.id).toBe('dense-only');
  });

  it('without a backend option, tries the backends registered with a default priority, highest first', async () => {
    const model = new Model(smallConvNet(2));
    expect(defaultBackends()).toEqual(['reference']);
    expect((await model.createSession()).backendInfo.id).toBe('reference');
    // Named only, not a default: registering it changes nothing for sessions that name none.
    registerBackend('named-only', () => new ReferenceBackend());
    registerBackend(
      'preferred',
      () => {
        throw new BackendUnavailableError('preferred', 'not built: test backend');
      },
      { defaultPriority: 10 },
    );
    expect(defaultBackends()).toEqual(['preferred', 'reference']);
    const session = await model.createSession();
    expect(session.backendInfo).toEqual({ id: 'reference', skipped: [{ id: 'preferred', reason: 'not built: test backend' }] });
    expect(() => registerBackend('bad', () => new ReferenceBackend(), { defaultPriority: Number.NaN })).toThrow(OptionError);
    // Back to named-only, so later tests of this file see the default list they expect.
    registerBackend('preferred', () => new ReferenceBackend());
    expect(defaultBackends()).toEqual(['reference']);
  });

  it('throws BackendUnavailableError listing every reason when no backend is usable', async () => {
    await expect(new Model(smallConvNet(2)).createSession({ backend: ['nope'] })).rejects.toThrow(BackendUnavailableError);
  });

  it('refuses a backend that lacks a kernel the graph needs, naming the node', async () => {
    const partial: Backend = {
      id: 'partial',
      supports: (call) => call.op !== 'Add',
      runDense: (call) => new ReferenceBackend().runDense(call),
    };
    await expect(new Model(smallConvNet(2)).createSession({ backend: partial })).rejects.toThrow(/node 'res' \(Add\)/);
  });

  it('rejects unknown modes with the list of modes', async () => {
    await expect(new Model(smallConvNet(2)).createSession({ mode: 'warp' as unknown as 'dense' })).rejects.toThrow(OptionError);
  });

  it('reset() clears statistics and later frames match a fresh session', async () => {
    const model = new Model(smallConvNet(2));
    const a = await model.createSession();
    const feeds = input(5, 5);
    await a.run(input(5, 5));
    a.reset();
    expect(a.stats().frames).toHaveLength(0);
    const fresh = await model.createSession();
    expect(Array.from((await a.run(feeds)).y!.data)).toEqual(Array.from((await fresh.run(feeds)).y!.data));
  });
});

describe('Session.updateMasks (dense)', () => {
  it('reports every pixel of every node as updated, on each node output grid', async () => {
    const session = await new Model(smallConvNet(2)).createSession();
    expect(session.updateMasks()).toEqual([]);
    await session.run(input(5, 7));
    const masks = session.updateMasks();
    expect(masks.map((m) => m.node)).toEqual(['conv1', 'dw', 'res']);
    for (const m of masks) {
      expect(m.shape).toEqual([1, 5, 7]);
      expect(m.mask.every((v) => v === 1)).toBe(true);
    }
  });
});
