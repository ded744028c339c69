import { OptionError, ResourceLimitError, ShapeError, createRng, randomFloat32, type Tensor } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { makeNode, type Graph } from '../../src/ir/graph.js';
import { Model, type SessionMode } from '../../src/model.js';
import { DEFAULT_MEMORY_LIMIT } from '../../src/session/memory-budget.js';
import { smallConvNet } from '../helpers/build-graph.js';

/**
 * `memoryLimit` (issue 14, item 7): a session estimates what a new input shape would make it
 * allocate and refuses it with ResourceLimitError before allocating anything, and the refusal
 * leaves the session as it was.
 */

const MODES: readonly SessionMode[] = ['dense', 'delta', 'motion'];

/**
 * One input channel widened to 64 and back, as a super-resolution model's first and last layers:
 * tiny inputs, large intermediates (64 floats per input pixel).
 */
function wideNet(): Graph {
  const rng = createRng(14);
  const t = (shape: number[]): Tensor => ({
    data: randomFloat32(
      rng,
      shape.reduce((a, b) => a * b, 1),
      -0.2,
      0.2,
    ),
    shape,
  });
  const conv = { kernel: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], autoPad: 'same-upper', groups: 1 } as const;
  return {
    source: { format: 'onnx', location: '<wide-net>' },
    inputs: [{ name: 'x', shape: [1, null, null, 1], dtype: 'float32' }],
    outputs: [{ name: 'y', shape: [1, null, null, 1], dtype: 'float32' }],
    nodes: [
      makeNode('widen', 'Conv2D', { ...conv, activation: { kind: 'relu' } }, ['x', 'w1', 'b1'], ['h']),
      makeNode('narrow', 'Conv2D', conv, ['h', 'w2', 'b2'], ['y']),
    ],
    constants: new Map([
      ['w1', t([3, 3, 1, 64])],
      ['b1', t([64])],
      ['w2', t([3, 3, 64, 1])],
      ['b2', t([1])],
    ]),
    intConstants: new Map(),
  };
}

/** A nearest upsampling by `scale` (scale 1e6 is what a hostile model file would ask for). */
function upsampleNet(scale: number): Graph {
  return {
    source: { format: 'onnx', location: '<upsample-net>' },
    inputs: [{ name: 'x', shape: [1, null, null, 3], dtype: 'float32' }],
    outputs: [{ name: 'y', shape: [1, null, null, 3], dtype: 'float32' }],
    nodes: [
      makeNode(
        'huge_up',
        'Resize',
        { mode: 'nearest', coordinateMode: 'asymmetric', nearestMode: 'floor', scales: [scale, scale] },
        ['x'],
        ['y'],
      ),
    ],
    constants: new Map(),
    intConstants: new Map(),
  };
}

const frame = (h: number, w: number, c: number, seed = 3): Tensor => ({
  data: randomFloat32(createRng(seed), h * w * c, -1, 1),
  shape: [1, h, w, c],
});

/** Bytes held by ArrayBuffers now, after the garbage of earlier steps is gone. */
function arrayBufferBytes(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().arrayBuffers;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, the call succeeded');
}

describe('memoryLimit', () => {
  it('defaults to 8 GiB and accepts any number of bytes > 0, Infinity included', async () => {
    expect(DEFAULT_MEMORY_LIMIT).toBe(8 * 2 ** 30);
    const model = new Model(smallConvNet(1));
    for (const bad of [0, -1, Number.NaN, '4GB', null]) {
      const error = await rejection(model.createSession({ memoryLimit: bad as number }));
      expect(OptionError.isInstance(error), String(error)).toBe(true);
      expect(error.message).toContain('memoryLimit');
    }
    const session = await model.createSession({ mode: 'delta', memoryLimit: Number.POSITIVE_INFINITY });
    await session.run({ x: frame(6, 6, 3) });
  });

  for (const mode of MODES) {
    it(`${mode}: a 6144x6144 frame is refused before anything is allocated, naming the largest tensor`, async () => {
      const model = new Model(wideNet());
      const session = await model.createSession({ mode });
      // The frame itself is the caller's (144 MiB); the session would need 9 GiB more per intermediate.
      const big = frame(6144, 6144, 1);
      const before = arrayBufferBytes();
      const error = await rejection(session.run({ x: big }));
      const grown = arrayBufferBytes() - before;
      expect(ResourceLimitError.isInstance(error), String(error)).toBe(true);
      const limitError = error as ResourceLimitError;
      expect(limitError.limit).toBe(DEFAULT_MEMORY_LIMIT);
      expect(limitError.bytes).toBeGreaterThan(9 * 2 ** 30);
      expect(error.message).toContain(`A ${mode} session on input 'x' [1,6144,6144,1]`);
      expect(error.message).toMatch(/the largest buffer is 'widen[^']*' \[1,6144,6144,64\] \(9\.\d GiB\)/);
      expect(error.message).toContain('memoryLimit');
      // Nothing of the frame's size was allocated: not an intermediate (9 GiB each), not even the
      // session's own copy of the frame (144 MiB; the check runs before the input is copied).
      expect(grown).toBeLessThan(16 * 2 ** 20);
    });

    it(`${mode}: a low limit refuses a frame, and the same session then runs smaller frames as before`, async () => {
      const model = new Model(smallConvNet(4));
      const reference = await model.createSession({ mode: 'dense' });
      const session = await model.createSession({ mode, memoryLimit: 64 * 1024 });
      const small = frame(8, 8, 3, 1);
      const smallToo = frame(8, 8, 3, 2);
      await session.run({ x: small });
      const error = await rejection(session.run({ x: frame(64, 64, 3) }));
      expect(ResourceLimitError.isInstance(error), String(error)).toBe(true);
      expect((error as ResourceLimitError).limit).toBe(64 * 1024);
      expect(error.message).toContain('64.0 KiB');
      // The stream of 8x8 frames goes on where it was: no keyframe, outputs still exact.
      const out = await session.run({ x: smallToo });
      const want = await reference.run({ x: smallToo });
      for (let i = 0; i < want.y!.data.length; i++) expect(out.y!.data[i]).toBeCloseTo(want.y!.data[i]!, 4);
      const frames = session.stats().frames;
      expect(frames.map((f) => f.keyframe)).toEqual(mode === 'dense' ? [true, true] : [true, false]);
    });

    it(`${mode}: a Resize by 1e6 is refused at plan time with the node named, before any allocation`, async () => {
      const model = new Model(upsampleNet(1e6));
      // Even with the limit off: the output would hold more values than any typed array.
      for (const memoryLimit of [undefined, Number.POSITIVE_INFINITY]) {
        const session = await model.createSession(memoryLimit === undefined ? { mode } : { mode, memoryLimit });
        const before = arrayBufferBytes();
        const error = await rejection(session.run({ x: frame(4, 4, 3) }));
        expect(ResourceLimitError.isInstance(error), String(error)).toBe(true);
        expect(error.message).toContain("'huge_up");
        expect(error.message).toContain('[1,4000000,4000000,3]');
        expect(arrayBufferBytes() - before).toBeLessThan(16 * 2 ** 20);
      }
    });

    it(`${mode}: a negative Resize scale is a ShapeError naming the node, and the session stays usable`, async () => {
      const model = new Model(upsampleNet(-2));
      const session = await model.createSession({ mode });
      const error = await rejection(session.run({ x: frame(4, 4, 3) }));
      expect(ShapeError.isInstance(error), String(error)).toBe(true);
      expect(error.message).toContain("Node 'huge_up' (Resize)");
      expect(error.message).toContain('scales [-2,-2]');
    });
  }

  it('model.checkMemory answers for a size before any frame exists, as the session would', async () => {
    const model = new Model(wideNet());
    for (const mode of MODES) {
      expect(() => model.checkMemory({ x: [1, 99999, 99999, 1] }, { mode })).toThrow(
        /over the limit of 8\.0 GiB: the largest buffer is 'widen/,
      );
      expect(() => model.checkMemory({ x: [1, 64, 64, 1] }, { mode, memoryLimit: 1024 })).toThrow(ResourceLimitError);
      expect(() => model.checkMemory({ x: [1, 64, 64, 3] }, { mode })).toThrow(ShapeError);
      const estimate = model.checkMemory({ x: [1, 20, 24, 1] }, { mode });
      const session = await model.createSession({ mode });
      await session.run({ x: frame(20, 24, 1) });
      expect(estimate.stateBytes).toBe((session as { stateBytes?: number }).stateBytes ?? 0);
      // A 64-channel value (in motion mode with its ring: a 3x3 SAME convolution writes one pixel around).
      expect(estimate.largest.shape[3]).toBe(64);
    }
  });

  it('the same frame passes with a limit just over the estimate, and fails just under it', async () => {
    const model = new Model(smallConvNet(4));
    const probe = await model.createSession({ mode: 'delta', memoryLimit: 1 });
    const needed = ((await rejection(probe.run({ x: frame(16, 16, 3) }))) as ResourceLimitError).bytes;
    const under = await model.createSession({ mode: 'delta', memoryLimit: needed - 1 });
    expect(ResourceLimitError.isInstance(await rejection(under.run({ x: frame(16, 16, 3) })))).toBe(true);
    const enough = await model.createSession({ mode: 'delta', memoryLimit: needed });
    await enough.run({ x: frame(16, 16, 3) });
    expect(enough.stateBytes).toBeLessThan(needed);
  });
});
