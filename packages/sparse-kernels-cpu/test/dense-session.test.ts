import { expect, it } from 'vitest';
import { createRng, randomFloat32 } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { Model, ReferenceBackend, makeNode, registerBackend } from '@motiondelta/graph-runtime';
import type { Graph, GraphNode } from '@motiondelta/graph-runtime';
import { createCpuNativeBackend } from '../src/create-cpu-native-backend.js';
import { describeNative, relativeL2 } from './dense-fixtures.js';

/**
 * A whole graph made of the blocks the target models use (conv + BN + activation, depthwise +
 * hard-swish, squeeze-excite with global pooling and Mul, resize, concat, residual Add, a shape op
 * on the fallback) runs in a dense session on cpu-native and matches the reference session.
 */

function mobileBlockNet(): Graph {
  const rng = createRng(11);
  const t = (shape: number[], lo = -0.5, hi = 0.5): Tensor => ({
    data: randomFloat32(
      rng,
      shape.reduce((a, b) => a * b, 1),
      lo,
      hi,
    ),
    shape,
  });
  const conv = { kernel: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1], autoPad: 'explicit', groups: 1 } as const;
  const pw = { ...conv, kernel: [1, 1], pads: [0, 0, 0, 0] } as const;
  const nodes: GraphNode[] = [
    makeNode(
      'stem',
      'Conv2D',
      { ...conv, strides: [2, 2], activation: { kind: 'prelu', slope: t([8], 0, 0.3).data } },
      ['x', 'w0', 'b0'],
      ['s'],
    ),
    makeNode('bn', 'BatchNorm', { epsilon: 1e-3 }, ['s', 'g', 'beta', 'mu', 'var'], ['n']),
    makeNode('dw', 'Conv2D', { ...conv, groups: 8, activation: { kind: 'hardSwish' } }, ['n', 'wd', ''], ['d']),
    makeNode('gap', 'GlobalAvgPool', {}, ['d'], ['p']),
    makeNode('se', 'Conv2D', { ...pw, activation: { kind: 'hardSigmoid', alpha: 0.2, beta: 0.5 } }, ['p', 'ws', 'bs'], ['e']),
    makeNode('scale', 'Mul', {}, ['d', 'e'], ['m']),
    makeNode('res', 'Add', { activation: { kind: 'relu' } }, ['m', 'n'], ['r']),
    makeNode('up', 'Resize', { mode: 'linear', coordinateMode: 'half_pixel', nearestMode: 'floor', scales: [2, 2] }, ['r'], ['u']),
    makeNode('cat', 'Concat', { axis: 3 }, ['u', 'x'], ['c']),
    makeNode(
      'pool',
      'MaxPool2D',
      { kernel: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], autoPad: 'explicit', ceilMode: false, countIncludePad: false },
      ['c'],
      ['q'],
    ),
    makeNode('head', 'Conv2D', { ...pw, activation: { kind: 'sigmoid' } }, ['q', 'wh', ''], ['y0']),
    makeNode('flat', 'Reshape', { shape: [1, -1] }, ['y0'], ['y']),
  ];
  return {
    source: { format: 'onnx', location: '<test>' },
    inputs: [{ name: 'x', shape: [1, 16, 12, 3], dtype: 'float32' }],
    outputs: [{ name: 'y', shape: [1, null], dtype: 'float32' }],
    nodes,
    constants: new Map([
      ['w0', t([3, 3, 3, 8])],
      ['b0', t([8])],
      ['g', t([8], 0.5, 1.5)],
      ['beta', t([8])],
      ['mu', t([8])],
      ['var', t([8], 0.2, 2)],
      ['wd', t([3, 3, 1, 8])],
      ['ws', t([1, 1, 8, 8])],
      ['bs', t([8])],
      ['wh', t([1, 1, 11, 5])],
    ]),
    intConstants: new Map(),
  };
}

describeNative('dense sessions on cpu-native', () => {
  it('match the reference session on a MobileNet-like graph, by instance and by registered id', async () => {
    const model = new Model(mobileBlockNet());
    const x = { data: randomFloat32(createRng(5), 16 * 12 * 3), shape: [1, 16, 12, 3] };
    const expected = await (await model.createSession({ backend: 'reference' })).run({ x });

    const byInstance = await model.createSession({
      backend: [await createCpuNativeBackend({ threads: 2, fallback: new ReferenceBackend() })],
    });
    registerBackend('cpu-native', () => createCpuNativeBackend({ threads: 2, fallback: new ReferenceBackend() }));
    const byId = await model.createSession({ backend: ['cpu-native', 'reference'] });
    expect(byId.backendInfo).toEqual({ id: 'cpu-native', skipped: [] });

    for (const session of [byInstance, byId]) {
      expect(session.backendInfo.id).toBe('cpu-native');
      const out = await session.run({ x });
      expect(out.y!.shape).toEqual(expected.y!.shape);
      expect(relativeL2(out.y!.data, expected.y!.data)).toBeLessThan(1e-5);
    }
  });
});
