import { InputError, OptionError, createRng, randomInt, uniform, type Rng, type Tensor } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { Model } from '../../src/model.js';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import type { Session } from '../../src/session/session.js';
import { oddShapesNet } from '../helpers/odd-shapes-net.js';
import { relativeL2 } from '../helpers/relative-l2.js';

/** A frame sequence: a random first frame, then sparse rectangular changes (and some still frames). */
function* sparseFrames(rng: Rng, h: number, w: number, count: number): Generator<Tensor> {
  const data = new Float32Array(h * w * 3);
  for (let i = 0; i < data.length; i++) data[i] = uniform(rng, 0, 1);
  yield { data: new Float32Array(data), shape: [1, h, w, 3] };
  for (let f = 1; f < count; f++) {
    const kind = f % 7;
    if (kind !== 3) {
      // One to three rectangles, anywhere (borders and corners included).
      for (let r = randomInt(rng, 1, 3); r > 0; r--) {
        const rh = randomInt(rng, 1, 4);
        const rw = randomInt(rng, 1, 5);
        const y0 = randomInt(rng, 0, h - rh);
        const x0 = randomInt(rng, 0, w - rw);
        for (let y = y0; y < y0 + rh; y++) {
          for (let x = x0; x < x0 + rw; x++) {
            for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = uniform(rng, 0, 1);
          }
        }
      }
    }
    yield { data: new Float32Array(data), shape: [1, h, w, 3] };
  }
}

async function sessions(seed: number, deltaOptions: Record<string, unknown> = {}, head = false): Promise<[Session, Session, Model]> {
  const model = new Model(oddShapesNet(seed, { head }));
  const dense = await model.createSession({ mode: 'dense' });
  const delta = await model.createSession({ mode: 'delta', ...deltaOptions });
  return [dense, delta, model];
}

describe('delta mode on a graph of odd shapes', () => {
  it('equals dense on every frame at threshold 0, with sparse work on sparse frames', async () => {
    const [dense, delta, model] = await sessions(1, {}, true);
    let sparseFramesSeen = 0;
    for (const frame of sparseFrames(createRng(2), 24, 30, 25)) {
      const expected = await dense.run({ x: frame });
      const actual = await delta.run({ x: frame });
      for (const out of model.outputs) {
        expect(relativeL2(actual[out.name]!.data, expected[out.name]!.data)).toBeLessThan(1e-5);
      }
      const last = delta.stats().frames.at(-1)!;
      if (!last.keyframe) {
        expect(last.macs).toBeLessThan(last.denseMacs);
        sparseFramesSeen++;
      }
    }
    expect(sparseFramesSeen).toBe(24);
    // The dense head (Flatten, Gemm, Softmax) runs as islands and says why.
    const model2 = new Model(oddShapesNet(1, { head: true }));
    const typed = await model2.createSession({ mode: 'delta' });
    await typed.run({ x: [...sparseFrames(createRng(2), 24, 30, 1)][0]! });
    expect(typed.islands.map((i) => i.node)).toEqual(['flat', 'fc', 'softmax']);
    expect(typed.islands[0]!.reason).toMatch(/Flatten has no delta form|rank/);
    // The sparse part is the dense MACs outside the islands (the keyframe computes them all).
    const keyframe = typed.stats().frames[0]!;
    const islandMacs = typed.islands.reduce((sum, i) => sum + i.macs, 0);
    expect(islandMacs).toBeGreaterThan(0);
    expect(typed.sparseMacFraction).toBeCloseTo(1 - islandMacs / keyframe.denseMacs, 9);
    // Without the head nothing runs densely.
    const plain = await new Model(oddShapesNet(1)).createSession({ mode: 'delta' });
    expect(plain.sparseMacFraction).toBeUndefined(); // before the first frame
    await plain.run({ x: [...sparseFrames(createRng(2), 24, 30, 1)][0]! });
    expect(plain.sparseMacFraction).toBe(1);
    expect(plain.islands).toEqual([]);
  });

  it('does no work on a frame that did not change', async () => {
    const [, delta] = await sessions(3);
    const [first] = sparseFrames(createRng(4), 16, 20, 1);
    await delta.run({ x: first! });
    // The keyframe computes everything.
    expect(delta.updateMasks().every((m) => m.mask.every((v) => v === 1))).toBe(true);
    await delta.run({ x: first! });
    const stats = delta.stats();
    expect(stats.frames[1]!.macs).toBe(0);
    expect(stats.nodes.every((n) => n.activeFraction === 0)).toBe(true);
    expect(delta.updateMasks().every((m) => m.mask.every((v) => v === 0))).toBe(true);
  });

  it('keeps error bounded and drift-free above threshold 0 (300 frames of small noise)', async () => {
    const [dense, delta] = await sessions(5, { threshold: 0.02, inputThreshold: 0.02 });
    const rng = createRng(6);
    const h = 16;
    const w = 20;
    const base = new Float32Array(h * w * 3).map(() => uniform(rng, 0, 1));
    const errors: number[] = [];
    for (let f = 0; f < 300; f++) {
      // Small noise everywhere (mostly below the threshold) plus a moving bright square.
      const data = base.map((v) => v + uniform(rng, -0.01, 0.01));
      const sx = (f * 2) % (w - 4);
      for (let y = 4; y < 8; y++) for (let x = sx; x < sx + 4; x++) for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = 1;
      const frame = { x: { data, shape: [1, h, w, 3] } };
      const expected = (await dense.run(frame)).y!;
      const actual = (await delta.run(frame)).y!;
      errors.push(relativeL2(actual.data, expected.data));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const first = mean(errors.slice(1, 100));
    const last = mean(errors.slice(200));
    expect(Math.max(...errors)).toBeLessThan(0.1);
    expect(last).toBeLessThanOrEqual(first * 1.5 + 1e-6);
    const stats = delta.stats();
    const work = stats.frames.slice(1).reduce((s, f) => s + f.macs, 0) / stats.frames.slice(1).reduce((s, f) => s + f.denseMacs, 0);
    expect(work).toBeLessThan(0.8);
  });

  it('reset() makes the session behave exactly like a fresh one', async () => {
    const [, a, model] = await sessions(7, { threshold: 0.05 });
    const frames = [...sparseFrames(createRng(8), 16, 20, 6)];
    for (const f of frames) await a.run({ x: f });
    a.reset();
    const fresh = await model.createSession({ mode: 'delta', threshold: 0.05 });
    for (const f of frames) {
      const x = (await a.run({ x: f })).y!;
      const y = (await fresh.run({ x: f })).y!;
      expect(Array.from(x.data)).toEqual(Array.from(y.data));
    }
  });

  it('rejects a NaN frame without corrupting its state, and re-keys on a new input size', async () => {
    const [dense, delta] = await sessions(9);
    const frames = [...sparseFrames(createRng(10), 16, 20, 4)];
    await delta.run({ x: frames[0]! });
    const bad = { data: new Float32Array(frames[1]!.data), shape: frames[1]!.shape };
    bad.data[17] = Number.NaN;
    await expect(delta.run({ x: bad })).rejects.toThrow(InputError);
    for (const f of frames.slice(1)) {
      expect(relativeL2((await delta.run({ x: f })).y!.data, (await dense.run({ x: f })).y!.data)).toBeLessThan(1e-5);
    }
    const [bigger] = sparseFrames(createRng(11), 20, 26, 1);
    const out = await delta.run({ x: bigger! });
    expect(out.y!.shape).toEqual((await dense.run({ x: bigger! })).y!.shape);
    expect(delta.stats().frames.at(-1)!.keyframe).toBe(true);
  });

  it('validates thresholds and node names', async () => {
    const model = new Model(oddShapesNet(12));
    await expect(model.createSession({ mode: 'delta', threshold: -1 })).rejects.toThrow(OptionError);
    await expect(model.createSession({ mode: 'delta', nodeThresholds: { nope: 0.1 } })).rejects.toThrow(/'nope', which is no node/);
    const ok = await model.createSession({ mode: 'delta', nodeThresholds: { c1x3: 0.1, x: 0.01 } });
    expect(ok.mode).toBe('delta');
  });
});

describe('delta mode robustness', () => {
  it('after a kernel fails mid-frame, the next frame is a keyframe and results are right again', async () => {
    const model = new Model(oddShapesNet(13));
    const backend = new ReferenceBackend();
    let failNext = false;
    const kernels = backend.delta;
    const flaky = {
      id: 'flaky',
      supports: (call: Parameters<typeof backend.supports>[0]) => backend.supports(call),
      runDense: (call: Parameters<typeof backend.runDense>[0]) => backend.runDense(call),
      delta: {
        ...kernels,
        sparsify: kernels.sparsify.bind(kernels),
        accumulate: kernels.accumulate.bind(kernels),
        activation: kernels.activation.bind(kernels),
        maxPool: kernels.maxPool.bind(kernels),
        binary: kernels.binary.bind(kernels),
        linear: (...args: Parameters<typeof kernels.linear>) => {
          if (failNext) {
            failNext = false;
            throw new Error('injected kernel failure');
          }
          kernels.linear(...args);
        },
      },
    };
    const delta = await model.createSession({ mode: 'delta', backend: flaky });
    const dense = await model.createSession({ mode: 'dense' });
    const frames = [...sparseFrames(createRng(14), 16, 20, 5)];
    await delta.run({ x: frames[0]! });
    failNext = true;
    await expect(delta.run({ x: frames[1]! })).rejects.toThrow('injected kernel failure');
    for (const f of frames.slice(2)) {
      expect(relativeL2((await delta.run({ x: f })).y!.data, (await dense.run({ x: f })).y!.data)).toBeLessThan(1e-5);
    }
    expect(delta.stats().frames.filter((f) => f.keyframe)).toHaveLength(2);
  });
});
