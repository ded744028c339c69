import { createRng, randomFloat32, type Backend, type Tensor, type TensorMap } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { describe, expect, it } from 'vitest';
import type { BlockSession } from '../../src/block/block-session.js';
import type { Graph } from '../../src/ir/graph.js';
import { Model } from '../../src/model.js';
import { oddShapesNet } from '../helpers/odd-shapes-net.js';
import { randomNet } from '../motion/random-net.js';
import { BlockSimulator } from './block-simulator.js';
import { SeededRandomPolicy, executeAll, executeNone } from './test-policies.js';

/** Independent frames in [0, 1): every block's content changes, so copying shows. */
function frames(seed: number, h: number, w: number, count: number): Tensor[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => ({ data: randomFloat32(rng, h * w * 3, 0, 1), shape: [1, h, w, 3] }));
}

/** Largest |a - b| over every output. */
function maxDiff(a: TensorMap, b: TensorMap): number {
  let worst = 0;
  for (const [name, t] of Object.entries(b)) {
    const got = a[name]!.data;
    for (let i = 0; i < t.data.length; i++) worst = Math.max(worst, Math.abs(got[i]! - t.data[i]!));
  }
  return worst;
}

/** The graphs under test: random nets of the sparse modes' op families, and the odd-shapes net with its squeeze-excite branch and dense head. */
function graphs(): { readonly name: string; readonly graph: Graph; readonly h: number; readonly w: number }[] {
  const list = [1, 2, 3, 4, 5, 6].map((seed) => {
    const { graph, sizeMultiple } = randomNet(createRng(700 + seed));
    return {
      name: `random net ${seed}`,
      graph,
      h: sizeMultiple * Math.ceil(22 / sizeMultiple),
      w: sizeMultiple * Math.ceil(30 / sizeMultiple),
    };
  });
  list.push({ name: 'odd-shapes net with head', graph: oddShapesNet(9, { head: true }), h: 20, w: 28 });
  return list;
}

const BACKEND: Backend = new ReferenceBackend();

describe('block mode on the reference backend', () => {
  for (const { name, graph, h, w } of graphs()) {
    it(`${name}: every block executed equals dense exactly, frame after frame`, async () => {
      const model = new Model(graph);
      const dense = await model.createSession({ mode: 'dense', backend: [BACKEND] });
      const block = await model.createSession({
        mode: 'block',
        backend: [BACKEND],
        policy: executeAll(),
        blockSize: 8,
        sceneCut: Infinity,
      });
      for (const frame of frames(11, h, w, 3)) {
        const want = await dense.run({ x: frame });
        const got = await block.run({ x: frame });
        expect(maxDiff(got, want)).toBe(0);
      }
      // Frames after the first ran as tiles, not as keyframes.
      expect(block.stats().frames.map((f) => f.keyframe)).toEqual([true, false, false]);
    });

    it(`${name}: seeded random blocks equal the simulator exactly`, async () => {
      const model = new Model(graph);
      const policy = new SeededRandomPolicy(31, 0.45);
      const block = await model.createSession({ mode: 'block', backend: [BACKEND], policy, blockSize: 6, sceneCut: Infinity });
      const sim = new BlockSimulator(model.graph, 6);
      for (const [f, frame] of frames(12, h, w, 5).entries()) {
        const got = await block.run({ x: frame });
        const want = await sim.step({ x: frame }, f === 0 ? undefined : policy.decided[f]);
        expect(maxDiff(got, want), `frame ${f}`).toBe(0);
      }
    });
  }

  it('copied blocks keep last frame bit for bit; executing none after the first frame changes nothing', async () => {
    // No dense head: every output is a spatial map, so copied pixels are those no executed block reaches.
    const model = new Model(oddShapesNet(4));
    const [h, w] = [24, 32];
    const mask = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]; // 3x4 blocks of 8 pixels: only the top-left one
    const policy = { name: 'fixed', decide: () => ({ execute: Uint8Array.from(mask) }) };
    const block = await model.createSession({ mode: 'block', backend: [BACKEND], policy, blockSize: 8, sceneCut: Infinity });
    const [f0, f1] = frames(5, h, w, 2);
    const first = await block.run({ x: f0! });
    const second = await block.run({ x: f1! });
    for (const out of model.outputs) {
      const [, ho, wo, c] = second[out.name]!.shape as [number, number, number, number];
      let changed = 0;
      for (let y = 0; y < ho; y++) {
        for (let x = 0; x < wo; x++) {
          // The executed block covers input rows and columns [0, 8): a map pixel overlapping it may change.
          const reached = (y * h) / ho < 8 && (x * w) / wo < 8;
          for (let k = 0; k < c; k++) {
            const i = (y * wo + x) * c + k;
            if (reached) changed += second[out.name]!.data[i] !== first[out.name]!.data[i] ? 1 : 0;
            else expect(second[out.name]!.data[i]).toBe(first[out.name]!.data[i]);
          }
        }
      }
      // The executed block did recompute with the new frame.
      expect(changed).toBeGreaterThan(0);
    }

    const frozen = await model.createSession({
      mode: 'block',
      backend: [BACKEND],
      policy: executeNone(),
      blockSize: 8,
      sceneCut: Infinity,
    });
    const start = await frozen.run({ x: f0! });
    for (const frame of frames(6, h, w, 3)) expect(maxDiff(await frozen.run({ x: frame }), start)).toBe(0);
    const macs = frozen.stats().frames.map((f) => f.macs);
    expect(macs[0]).toBeGreaterThan(0);
    // Only the global branch (squeeze-excite pooling over unchanged maps) may run; the maps are untouched.
    for (const m of macs.slice(1)) expect(m).toBeLessThan(macs[0]! * 0.05);
  });

  it('reports blocks, MACs and policy time per frame, and feeds the policy what it ran', async () => {
    const model = new Model(oddShapesNet(2));
    const policy = new SeededRandomPolicy(3, 0.5);
    const block = (await model.createSession({
      mode: 'block',
      backend: [BACKEND],
      policy,
      blockSize: 8,
      targetRate: 0.5,
      sceneCut: Infinity,
    })) as BlockSession;
    const input = frames(8, 20, 28, 4);
    const outputs: TensorMap[] = [];
    for (const frame of input) outputs.push(await block.run({ x: frame }));
    const stats = block.stats();
    expect(stats.mode).toBe('block');
    expect(stats.frames).toHaveLength(4);
    stats.frames.forEach((f, i) => {
      expect(f.index).toBe(i);
      expect(f.totalBlocks).toBe(3 * 4);
      const executed = i === 0 ? 12 : policy.decided[i]!.reduce((a, b) => a + b, 0);
      expect(f.executedBlocks).toBe(executed);
      expect(f.executedFraction).toBeCloseTo(executed / 12, 12);
      expect(f.targetRate).toBe(0.5);
      expect(f.policyMs).toBeGreaterThanOrEqual(0);
      expect(f.keyframe).toBe(i === 0);
      expect(f.reason).toBe(i === 0 ? 'first' : undefined);
      if (i === 0) expect(f.macs).toBe(f.denseMacs);
      else expect(f.macs).toBeLessThan(f.denseMacs);
    });
    // A frame with fewer executed blocks does fewer MACs (same grid, same graph).
    const byRate = [...stats.frames.slice(1)].sort((a, b) => a.executedBlocks - b.executedBlocks);
    expect(byRate[0]!.macs).toBeLessThanOrEqual(byRate.at(-1)!.macs);
    expect(stats.nodes.map((n) => n.name)).toEqual(model.graph.nodes.map((n) => n.name));

    // The policy saw each frame's input and, after the first, the previous output and decisions.
    expect(policy.frames.map((f) => f.index)).toEqual([0, 1, 2, 3]);
    expect(policy.frames[0]!.previousOutput).toBeUndefined();
    expect(policy.frames[2]!.previousDecisions).toEqual(policy.feedback[1]!.executed);
    expect(policy.frames[1]!.input.data).toEqual(input[1]!.data);
    const first = model.outputs[0]!.name;
    expect(policy.frames[3]!.previousOutput!.data).toEqual(outputs[2]![first]!.data);
    // observe() got what the frame actually ran: all blocks on the first frame.
    expect(policy.feedback[0]!.executed).toEqual(new Uint8Array(12).fill(1));
    expect(policy.feedback[2]!.executed).toEqual(policy.decided[2]);
    expect(policy.feedback[2]!.output.data).toEqual(outputs[2]![first]!.data);
    expect(policy.feedback[2]!.previousOutput!.data).toEqual(outputs[1]![first]!.data);

    // Update masks: the last frame's executed blocks on each map.
    const masks = block.updateMasks();
    expect(masks).toHaveLength(model.graph.nodes.length);
    // The first node keeps the input's size: its mask is the executed blocks, pixel for pixel.
    expect(masks[0]!.shape).toEqual([1, 20, 28]);
    const expected = Uint8Array.from(
      { length: 20 * 28 },
      (_, i) => policy.decided[3]![Math.floor(i / 28 / 8) * 4 + Math.floor((i % 28) / 8)]!,
    );
    expect(masks[0]!.mask).toEqual(expected);

    block.reset();
    expect(policy.resets).toBe(1);
    await block.run({ x: input[0]! });
    expect(block.stats().frames[0]!.reason).toBe('first');
    expect(policy.frames.at(-1)!.index).toBe(0);
  });

  it('runs a keyframe on request, on a scene cut and on a new input size', async () => {
    const model = new Model(oddShapesNet(3));
    const policy = executeNone();
    const block = (await model.createSession({ mode: 'block', backend: [BACKEND], policy, blockSize: 8, sceneCut: 0.4 })) as BlockSession;
    const base = frames(4, 16, 24, 1)[0]!;
    const nudged = { data: base.data.map((v, i) => (i % 7 === 0 ? v * 1.05 : v)), shape: base.shape };
    const other = frames(5, 16, 24, 1)[0]!;
    await block.run({ x: base });
    await block.run({ x: nudged }); // a small change: the policy decides
    block.requestKeyframe();
    await block.run({ x: nudged });
    await block.run({ x: other }); // an unrelated frame: a scene cut
    await block.run({ x: frames(6, 24, 24, 1)[0]! });
    expect(block.stats().frames.map((f) => f.reason)).toEqual(['first', undefined, 'requested', 'scene-cut', 'shape']);
    expect(block.stats().frames.map((f) => f.executedBlocks)).toEqual([6, 0, 6, 6, 9]);
  });

  it('rejects a decision that does not fit the grid, and keeps going', async () => {
    const model = new Model(oddShapesNet(3));
    let size = 5;
    const policy = { name: 'wrong', decide: () => ({ execute: new Uint8Array(size).fill(1) }) };
    const block = await model.createSession({ mode: 'block', backend: [BACKEND], policy, blockSize: 8, sceneCut: Infinity });
    const [a, b] = frames(7, 16, 24, 2);
    await block.run({ x: a! }); // the first frame executes everything whatever the policy says
    await expect(block.run({ x: b! })).rejects.toThrow(/decided 5 blocks; the frame's grid is 2x3 = 6 blocks of 8 pixels/);
    size = 6;
    await expect(block.run({ x: b! })).resolves.toBeDefined();
  });
  it('a policy whose observe() throws fails that call only; the stream goes on from the frame that ran', async () => {
    const model = new Model(oddShapesNet(3));
    let fail = false;
    const policy = {
      name: 'flaky',
      decide: () => ({ execute: Uint8Array.from([1, 0, 0, 1, 0, 1]) }),
      observe: () => {
        if (fail) throw new Error('observe failed');
      },
    };
    const block = await model.createSession({ mode: 'block', backend: [BACKEND], policy, blockSize: 8, sceneCut: Infinity });
    const sim = new BlockSimulator(model.graph, 8);
    const [a, b, c] = frames(9, 16, 24, 3);
    await block.run({ x: a! });
    await sim.step({ x: a! }, undefined);
    fail = true;
    await expect(block.run({ x: b! })).rejects.toThrow('observe failed');
    await sim.step({ x: b! }, Uint8Array.from([1, 0, 0, 1, 0, 1]));
    fail = false;
    const got = await block.run({ x: c! });
    const want = await sim.step({ x: c! }, Uint8Array.from([1, 0, 0, 1, 0, 1]));
    expect(maxDiff(got, want)).toBe(0);
    expect(block.stats().frames.map((f) => [f.index, f.reason])).toEqual([
      [0, 'first'],
      [1, undefined],
    ]);
  });
});

describe('block mode options', () => {
  const model = new Model(oddShapesNet(1));
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['no policy', {}, /mode 'block' needs a policy: an object with a decide\(frame\) method/],
    ['a policy name', { policy: 'rl' }, /policy 'rl' is a name; .* motiondelta package's createSession resolves policy names/],
    ['a policy without decide', { policy: { name: 'x' } }, /needs a policy: .* got an object without decide\(\)/],
    [
      'a fractional block size',
      { policy: executeAll(), blockSize: 12.5 },
      /blockSize must be a whole number of input pixels >= 1 \(default 128\), got 12.5/,
    ],
    ['a zero block size', { policy: executeAll(), blockSize: 0 }, /blockSize must be a whole number/],
    ['a target rate over 1', { policy: executeAll(), targetRate: 1.5 }, /targetRate must be a fraction of blocks in \[0, 1\], got 1.5/],
    ['a negative scene cut', { policy: executeAll(), sceneCut: -1 }, /sceneCut must be a number >= 0/],
  ];
  for (const [what, options, message] of cases) {
    it(`refuses ${what} with an OptionError`, async () => {
      const error: unknown = await model.createSession({ mode: 'block', backend: [BACKEND], ...options }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'OptionError', message: expect.stringMatching(message) as unknown });
    });
  }

  it('refuses a model without an image input', async () => {
    const flat: Graph = { ...oddShapesNet(1), inputs: [{ name: 'x', shape: [1, 12], dtype: 'float32' }] };
    const error: unknown = await new Model(flat)
      .createSession({ mode: 'block', backend: [BACKEND], policy: executeAll() })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'OptionError',
      message: expect.stringMatching(/no rank-4 input \(inputs: 'x' \[1,12\]\)/) as unknown,
    });
  });

  it('estimates its memory: every map kept between frames', () => {
    const estimate = model.checkMemory({ x: [1, 32, 32, 3] }, { mode: 'block', policy: executeAll() });
    const dense = model.checkMemory({ x: [1, 32, 32, 3] }, { mode: 'dense' });
    expect(estimate.stateBytes).toBeGreaterThan(0);
    expect(estimate.bytes).toBeGreaterThan(dense.bytes);
    expect(() => model.checkMemory({ x: [1, 32, 32, 3] }, { mode: 'block', policy: executeAll(), memoryLimit: 1000 })).toThrow(
      /A block session on input 'x'/,
    );
  });
});
