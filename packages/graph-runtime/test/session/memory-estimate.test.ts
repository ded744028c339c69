import { ResourceLimitError, createRng, randomFloat32, type Backend, type DenseKernelCall, type Tensor } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { deltaMemory, firstFrameMemory } from '../../src/delta/delta-memory.js';
import { planDelta } from '../../src/delta/delta-plan.js';
import { makeNode, type Graph } from '../../src/ir/graph.js';
import { Model } from '../../src/model.js';
import { motionMemory } from '../../src/motion/motion-memory.js';
import { planMotion } from '../../src/motion/motion-plan.js';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { DELTA_BUFFER_PIXEL_BYTES, MemoryTally, denseMemory, enforceMemoryLimit } from '../../src/session/memory-budget.js';
import { planGraph } from '../../src/shape/plan-graph.js';
import { smallConvNet } from '../helpers/build-graph.js';
import { oddShapesNet } from '../helpers/odd-shapes-net.js';
import { randomNet } from '../motion/random-net.js';

/**
 * The estimates `memoryLimit` is checked against follow the sessions' own buffers: state to the
 * byte (against `stateBytes` and motion's `memory`), a keyframe's dense values to the byte
 * (against what the backend returned), dense peaks as worked out by hand.
 */

const THRESHOLDS = { node: 0, input: 0, perNode: {} };
const frame = (h: number, w: number, seed = 1): Tensor => ({ data: randomFloat32(createRng(seed), h * w * 3, -1, 1), shape: [1, h, w, 3] });

/** The reference backend, adding up the bytes of every tensor its dense kernels return. */
function countingBackend(): Backend & { returned: number } {
  const inner = new ReferenceBackend();
  const backend = {
    id: 'counting',
    returned: 0,
    supports: (call: Parameters<Backend['supports']>[0]) => inner.supports(call),
    runDense: async (call: DenseKernelCall) => {
      const out = inner.runDense(call);
      backend.returned += out.data.byteLength;
      return out;
    },
    delta: inner.delta,
  };
  return backend;
}

describe('memory estimates against what sessions allocate', () => {
  for (const [label, graph, h, w] of [
    ['smallConvNet', smallConvNet(3), 12, 10],
    ['oddShapesNet (islands, binary products, max pooling)', oddShapesNet(2, { head: true }), 16, 12],
  ] as const) {
    it(`delta, ${label}: state to the byte, keyframe values to the byte`, async () => {
      const model = new Model(graph);
      const backend = countingBackend();
      const session = await model.createSession({ mode: 'delta', backend });
      const plan = planDelta(model.graph, planGraph(model.graph, { x: [1, h, w, 3] }), THRESHOLDS);
      const estimate = deltaMemory(plan);
      await session.run({ x: frame(h, w) });
      expect(estimate.stateBytes).toBe(session.stateBytes);
      expect(firstFrameMemory(plan).bytes).toBe(backend.returned);
      expect(estimate.bytes).toBe(backend.returned + session.stateBytes);
    });
  }

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`motion, random graph ${seed}: stores, frame buffers and state to the byte`, async () => {
      const { graph, sizeMultiple } = randomNet(createRng(900 + seed));
      const model = new Model(graph);
      const h = sizeMultiple * Math.ceil(14 / sizeMultiple);
      const w = sizeMultiple * Math.ceil(18 / sizeMultiple);
      const session = await model.createSession({ mode: 'motion' });
      const estimate = motionMemory(
        planMotion(model.graph, planDelta(model.graph, planGraph(model.graph, { x: [1, h, w, 3] }), THRESHOLDS)),
      );
      await session.run({ x: frame(h, w) });
      expect(estimate.persistentBytes).toBe(session.memory.persistentBytes);
      expect(estimate.frameBufferBytes).toBe(session.memory.frameBufferBytes);
      expect(estimate.stateBytes).toBe(session.stateBytes);
      // The peak adds the keyframe's dense values (or a moving frame's warped frame) to the state.
      expect(estimate.bytes).toBeGreaterThan(estimate.stateBytes);
      expect(estimate.bytes).toBeLessThan(3 * estimate.stateBytes);
    });
  }

  it('dense: the peak is the widest set of live intermediates, as the executor frees them', () => {
    // x -> a (8 ch) -> b (8 ch) -> c (2 ch) = y, plus a side branch d (4 ch) from a, added to c.
    const conv = { kernel: [1, 1], strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], autoPad: 'explicit', groups: 1 } as const;
    const w = (cin: number, cout: number): Tensor => ({ data: new Float32Array(cin * cout), shape: [1, 1, cin, cout] });
    const graph: Graph = {
      source: { format: 'onnx', location: '<chain>' },
      inputs: [{ name: 'x', shape: [1, null, null, 3], dtype: 'float32' }],
      outputs: [{ name: 'y', shape: [1, null, null, 2], dtype: 'float32' }],
      nodes: [
        makeNode('a', 'Conv2D', conv, ['x', 'wa'], ['a']),
        makeNode('b', 'Activation', { activation: { kind: 'relu' } }, ['a'], ['b']),
        makeNode('d', 'Conv2D', conv, ['a', 'wd'], ['d']),
        makeNode('c', 'Conv2D', conv, ['b', 'wc'], ['c']),
        makeNode('y', 'Add', {}, ['c', 'wy'], ['y']),
      ],
      constants: new Map([
        ['wa', w(3, 8)],
        ['wd', w(8, 4)],
        ['wc', w(8, 2)],
        ['wy', { data: new Float32Array(2), shape: [2] }],
      ]),
      intConstants: new Map(),
    };
    const pixels = 10 * 10;
    const estimate = denseMemory(planGraph(graph, { x: [1, 10, 10, 3] }));
    // Channels live as each step's output is made: a 8; a+b 16; a+b+d 20 (a is freed after d, its
    // last reader); b+d+c 14 (b freed, d is never read, so it stays); d+c+y 8. The widest is 20.
    expect(estimate.bytes).toBe(20 * pixels * 4);
    expect(estimate.largest).toMatchObject({ name: 'a', shape: [1, 10, 10, 8], bytes: 8 * pixels * 4 });
  });

  it('the typed-array cap looks at the buffer of most values, not the one of most bytes; empty buffers weigh nothing', () => {
    const tally = new MemoryTally();
    // A one-channel delta buffer (9 bytes per value with its mask and list) under 2^32 values...
    tally.add('mask-heavy', [1, 65536, 65535, 1], DELTA_BUFFER_PIXEL_BYTES);
    // ...outweighs a plain tensor just over 2^32 values, which no typed array can hold.
    tally.add('too-long', [1, 65536, 65537, 1]);
    // Overflowing dimensions around a zero are an empty tensor, not NaN bytes.
    tally.add('empty', [2 ** 52, 2 ** 52, 2 ** 52, 2 ** 52, 2 ** 52, 0, 3]);
    expect(tally.largest.name).toBe('mask-heavy');
    expect(tally.longest.name).toBe('too-long');
    expect(Number.isFinite(tally.bytes)).toBe(true);
    const estimate = { bytes: tally.bytes, stateBytes: 0, largest: tally.largest, longest: tally.longest };
    expect(() => enforceMemoryLimit(estimate, Number.POSITIVE_INFINITY, 'test')).toThrow(ResourceLimitError);
    expect(() => enforceMemoryLimit(estimate, Number.POSITIVE_INFINITY, 'test')).toThrow(/'too-long' \[1,65536,65537,1\]/);
  });
});
