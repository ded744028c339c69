import { expect, it } from 'vitest';
import { createRng, randomFloat32 } from '@motiondelta/core';
import type { Backend, Conv2DAttrs, Tensor } from '@motiondelta/core';
import { Model, ReferenceBackend, loadModel, makeNode, tensorError } from '@motiondelta/graph-runtime';
import type { Graph, GraphNode } from '@motiondelta/graph-runtime';
import { createNativeDeltaKernels } from '../src/delta/native-delta-kernels.js';
import type { NativeDeltaAddon } from '../src/delta/native-delta-addon.js';
import { changeAt, changedPixels, describeNative, perturbAt } from './delta-fixtures.js';

/**
 * Delta sessions on the native delta kernels equal dense inference at threshold 0, frame after
 * frame. The backend pairs the reference dense kernels (keyframes, islands) with the native
 * delta kernels, so this file tests the delta kernels alone, through the real DeltaSession.
 */
function nativeDeltaBackend(addon: NativeDeltaAddon): Backend {
  const ref = new ReferenceBackend();
  return {
    id: 'cpu-native-delta',
    supports: ref.supports.bind(ref),
    runDense: ref.runDense.bind(ref),
    delta: createNativeDeltaKernels(addon, ref.delta),
  };
}

/**
 * A net touching every native delta path: 3x3 convs (16 -> 16 channels, stride 2, dilation 2),
 * depthwise and pointwise convs, BatchNorm, a residual Add, a product of two varying tensors,
 * max and average pooling, a squeeze-excite gate (GlobalAvgPool, 1x1 convs, sigmoid, broadcast
 * Mul), a transposed conv back up, concatenation, bilinear resize and padding (fallback kernels).
 */
function mixedNet(seed: number): Graph {
  const rng = createRng(seed);
  const constants = new Map<string, Tensor>();
  const w = (name: string, shape: number[], scale = 0.3): string => {
    constants.set(name, {
      data: randomFloat32(
        rng,
        shape.reduce((a, b) => a * b, 1),
        -scale,
        scale,
      ),
      shape,
    });
    return name;
  };
  const pos = (name: string, shape: number[]): string => {
    constants.set(name, {
      data: randomFloat32(
        rng,
        shape.reduce((a, b) => a * b, 1),
        0.5,
        1.5,
      ),
      shape,
    });
    return name;
  };
  const conv = (kernel: [number, number], extra: Partial<Conv2DAttrs> = {}): Conv2DAttrs => ({
    kernel,
    strides: [1, 1],
    dilations: [1, 1],
    pads: [0, 0, 0, 0],
    autoPad: 'same-upper',
    groups: 1,
    ...extra,
  });
  const pool = {
    kernel: [3, 3],
    strides: [2, 2],
    pads: [1, 1, 1, 1],
    autoPad: 'explicit',
    ceilMode: false,
    countIncludePad: false,
  } as const;
  const nodes: GraphNode[] = [
    makeNode('stem', 'Conv2D', conv([3, 3], { activation: { kind: 'relu' } }), ['x', w('w0', [3, 3, 3, 16]), w('b0', [16])], ['s0']),
    makeNode('c33', 'Conv2D', conv([3, 3]), ['s0', w('w1', [3, 3, 16, 16], 0.1), w('b1', [16])], ['s1']),
    makeNode('bn', 'BatchNorm', { epsilon: 1e-3 }, ['s1', pos('g', [16]), w('beta', [16]), w('mu', [16]), pos('var', [16])], ['s2']),
    makeNode('act', 'Activation', { activation: { kind: 'hardSwish' } }, ['s2'], ['s3']),
    makeNode(
      'dil',
      'Conv2D',
      conv([3, 3], { dilations: [2, 2], activation: { kind: 'leakyRelu', alpha: 0.1 } }),
      ['s3', w('w2', [3, 3, 16, 16], 0.1), ''],
      ['s4'],
    ),
    makeNode('res', 'Add', {}, ['s4', 's0'], ['s5']),
    makeNode(
      'down',
      'Conv2D',
      conv([3, 3], { strides: [2, 2], activation: { kind: 'clip', min: 0, max: 6 } }),
      ['s5', w('w3', [3, 3, 16, 24], 0.1), w('b3', [24])],
      ['d0'],
    ),
    makeNode('dw', 'Conv2D', conv([3, 3], { groups: 24 }), ['d0', w('w4', [3, 3, 1, 24]), w('b4', [24])], ['d1']),
    makeNode('pw', 'Conv2D', conv([1, 1], { activation: { kind: 'relu' } }), ['d1', w('w5', [1, 1, 24, 24], 0.2), w('b5', [24])], ['d2']),
    makeNode('gap', 'GlobalAvgPool', {}, ['d2'], ['g0']),
    makeNode('se1', 'Conv2D', conv([1, 1], { activation: { kind: 'relu' } }), ['g0', w('w6', [1, 1, 24, 8]), w('b6', [8])], ['g1']),
    makeNode('se2', 'Conv2D', conv([1, 1], { activation: { kind: 'sigmoid' } }), ['g1', w('w7', [1, 1, 8, 24]), w('b7', [24])], ['g2']),
    makeNode('gate', 'Mul', {}, ['d2', 'g2'], ['d3']),
    makeNode('sq', 'Mul', {}, ['d3', 'd0'], ['d4']),
    makeNode('mp', 'MaxPool2D', pool, ['d4'], ['p0']),
    makeNode('ap', 'AvgPool2D', { ...pool, countIncludePad: true }, ['d4'], ['p1']),
    makeNode('pc', 'Concat', { axis: 3 }, ['p0', 'p1'], ['p2']),
    makeNode(
      'up',
      'ConvTranspose2D',
      { kernel: [4, 4], strides: [2, 2], dilations: [1, 1], pads: [1, 1, 1, 1], outputPadding: [0, 0], groups: 1 },
      ['p2', w('w8', [4, 4, 48, 16], 0.1), w('b8', [16])],
      ['u0'],
    ),
    makeNode(
      'up2',
      'Resize',
      { mode: 'linear', coordinateMode: 'half_pixel', nearestMode: 'round_prefer_floor', scales: [2, 2] },
      ['u0', '', ''],
      ['u1'],
    ),
    makeNode('pad', 'Pad', { pads: [0, 0, 0, 0, 0, 0, 0, 0], mode: 'constant', value: 0 }, ['u1'], ['u2']),
    makeNode('cat', 'Concat', { axis: 3 }, ['u2', 's5'], ['k0']),
    makeNode('head', 'Conv2D', conv([3, 3]), ['k0', w('w9', [3, 3, 32, 4], 0.1), w('b9', [4])], ['y']),
  ];
  return {
    source: { format: 'onnx', location: '<test>' },
    inputs: [{ name: 'x', shape: [1, null, null, 3], dtype: 'float32' }],
    outputs: [{ name: 'y', shape: [1, null, null, 4], dtype: 'float32' }],
    nodes,
    constants,
    intConstants: new Map(),
  };
}

/** Runs frames through a dense reference session and a native delta session; returns the worst relative L2. */
async function worstError(model: Model, backend: Backend, frames: readonly Tensor[]): Promise<{ worst: number; islands: number }> {
  const dense = await model.createSession({ mode: 'dense' });
  const delta = await model.createSession({ mode: 'delta', threshold: 0, backend: [backend] });
  expect(delta.backendInfo.id).toBe('cpu-native-delta');
  const input = model.inputs[0]!.name;
  let worst = 0;
  for (const frame of frames) {
    const expected = await dense.run({ [input]: frame });
    const actual = await delta.run({ [input]: frame });
    for (const out of model.outputs) worst = Math.max(worst, tensorError(actual[out.name]!.data, expected[out.name]!.data).relL2);
  }
  const later = delta.stats().frames.filter((f) => !f.keyframe);
  expect(later).toHaveLength(frames.length - 1);
  return { worst, islands: delta.islands.length };
}

describeNative('delta sessions on the native delta kernels equal dense inference at threshold 0', (addon) => {
  it('a random net touching every delta kernel, over 12 frames of sparse and full changes', async () => {
    const model = new Model(mixedNet(7));
    const rng = createRng(70);
    const shape = [1, 20, 28, 3] as const;
    let x: Tensor = { data: randomFloat32(rng, 20 * 28 * 3, 0, 1), shape };
    const frames: Tensor[] = [x];
    const patterns = [
      'single',
      'tile-borders',
      'blob',
      'scattered',
      'corners',
      'none',
      'blob',
      'everything',
      'borders',
      'blob',
      'scattered',
    ] as const;
    for (const [i, pattern] of patterns.entries()) {
      const pixels = changedPixels(rng, shape, pattern);
      x = i % 2 === 0 ? changeAt(rng, x, pixels, 0, 1) : perturbAt(rng, x, pixels, 0.05);
      frames.push(x);
    }
    const { worst, islands } = await worstError(model, nativeDeltaBackend(addon), frames);
    expect(worst).toBeLessThanOrEqual(1e-4);
    // Every node ran as a delta step: no dense island hides a kernel from the comparison.
    expect(islands).toBe(0);
  });

  for (const [id, size] of [
    ['esrgan-x2', [32, 48]],
    ['posenet', [65, 65]],
  ] as const) {
    it(`${id} on a ${size.join('x')} crop of the vtest clip, 8 frames`, async () => {
      // Real models and clips come from the shared data cache (fetched once by `pnpm data`).
      const { MODEL_INPUTS, ensureData, modelInputSize } = await import('@motiondelta/data');
      const { frameToTensor, openVideo } = await import('@motiondelta/video-io');
      let model = await loadModel((await ensureData(id)).main);
      if (id === 'posenet') {
        // posenet's file fixes 385x385, but the network is fully convolutional (as in tests/e2e).
        model = new Model({ ...model.graph, inputs: model.graph.inputs.map((i) => ({ ...i, shape: [1, null, null, 3] })) });
      }
      const frameSize = id === 'posenet' ? size : modelInputSize(id, size);
      // The whole frame scaled to the input size (the aspect ratio does not matter to an equality test).
      const spec = MODEL_INPUTS[id];
      const reader = await openVideo((await ensureData('vtest')).main, {
        start: 0,
        count: 8,
        resize: { width: frameSize[1], height: frameSize[0] },
      });
      const frames: Tensor[] = [];
      for await (const frame of reader) {
        frames.push(
          frameToTensor(frame, {
            scale: spec.scale,
            offset: spec.offset,
            ...(spec.mean ? { mean: spec.mean } : {}),
            ...(spec.std ? { std: spec.std } : {}),
          }),
        );
      }
      const { worst } = await worstError(model, nativeDeltaBackend(addon), frames);
      expect(worst).toBeLessThanOrEqual(1e-4);
    }, 300_000);
  }
});
