import { createRng, randomFloat32, type Conv2DAttrs, type Tensor } from '@motiondelta/core';
import { makeNode, type Graph, type GraphNode } from '../../src/ir/graph.js';

/**
 * A small network exercising every delta path: 1x3 and 3x7 kernels, dilation, stride 2 with
 * asymmetric pads, depthwise with a channel multiplier, a residual Add, a product of two varying
 * tensors, bilinear and nearest upsampling, concatenation, reflect padding, max pooling in ceil
 * mode, average pooling, a squeeze-excite branch (global pooling, 1x1 convs on one pixel, a
 * sigmoid, a broadcast product) and optionally a dense head (Flatten, Gemm, Softmax) that runs
 * as an island. Takes even H x W inputs.
 * Weights are seeded random.
 */
export function oddShapesNet(seed: number, options: { head?: boolean } = {}): Graph {
  const rng = createRng(seed);
  const constants = new Map<string, Tensor>();
  const weight = (name: string, shape: number[], scale = 0.5): string => {
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
  const conv = (kernel: [number, number], extra: Partial<Conv2DAttrs> = {}): Conv2DAttrs => ({
    kernel,
    strides: [1, 1],
    dilations: [1, 1],
    pads: [0, 0, 0, 0],
    autoPad: 'same-upper',
    groups: 1,
    ...extra,
  });
  // Shapes for an even H x W input: full resolution a1..a3, half resolution d1..r2, quarter p1..s1.
  const nodes: GraphNode[] = [
    makeNode(
      'c1x3',
      'Conv2D',
      conv([1, 3], { activation: { kind: 'relu' } }),
      ['x', weight('w1', [1, 3, 3, 6]), weight('b1', [6])],
      ['a1'],
    ),
    makeNode('c3x7', 'Conv2D', conv([3, 7], { dilations: [2, 1] }), ['a1', weight('w2', [3, 7, 6, 6], 0.2), weight('b2', [6])], ['a2']),
    makeNode('relu2', 'Activation', { activation: { kind: 'leakyRelu', alpha: 0.1 } }, ['a2'], ['a3']),
    makeNode(
      'down',
      'Conv2D',
      conv([3, 3], { strides: [2, 2], autoPad: 'explicit', pads: [1, 0, 1, 1], activation: { kind: 'clip', min: 0, max: 6 } }),
      ['a3', weight('w3', [3, 3, 6, 8], 0.3), weight('b3', [8])],
      ['d1'],
    ),
    makeNode('dw', 'Conv2D', conv([3, 3], { groups: 8 }), ['d1', weight('w4', [3, 3, 1, 16]), ''], ['d2']),
    makeNode('mix', 'Conv2D', conv([1, 1]), ['d2', weight('w7', [1, 1, 16, 8]), weight('b7', [8])], ['u2']),
    makeNode('res', 'Add', {}, ['u2', 'd1'], ['r1']),
    makeNode('square', 'Mul', {}, ['r1', 'r1'], ['r2']),
    makeNode(
      'up2',
      'Resize',
      { mode: 'linear', coordinateMode: 'half_pixel', nearestMode: 'round_prefer_floor', scales: [2, 2] },
      ['r2'],
      ['u3'],
    ),
    makeNode('cat', 'Concat', { axis: 3 }, ['u3', 'a1'], ['k1']),
    makeNode('pad', 'Pad', { pads: [0, 1, 2, 0, 0, 2, 1, 0], mode: 'reflect', value: 0 }, ['k1'], ['k2']),
    makeNode('out', 'Conv2D', conv([3, 3], { autoPad: 'valid' }), ['k2', weight('w8', [3, 3, 14, 2], 0.2), weight('b8', [2])], ['y']),
    makeNode(
      'pool',
      'MaxPool2D',
      { kernel: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], autoPad: 'explicit', ceilMode: true, countIncludePad: false },
      ['d2'],
      ['p1'],
    ),
    makeNode(
      'avg',
      'AvgPool2D',
      { kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], autoPad: 'explicit', ceilMode: false, countIncludePad: false },
      ['p1'],
      ['p2'],
    ),
    makeNode('gap', 'GlobalAvgPool', {}, ['p2'], ['g1']),
    makeNode(
      'se1',
      'Conv2D',
      conv([1, 1], { activation: { kind: 'relu' } }),
      ['g1', weight('w5', [1, 1, 16, 4]), weight('b5', [4])],
      ['g2'],
    ),
    makeNode(
      'se2',
      'Conv2D',
      conv([1, 1], { activation: { kind: 'sigmoid' } }),
      ['g2', weight('w6', [1, 1, 4, 16]), weight('b6', [16])],
      ['g3'],
    ),
    makeNode('scale', 'Mul', {}, ['p2', 'g3'], ['s1']),
    makeNode('up', 'Resize', { mode: 'nearest', coordinateMode: 'asymmetric', nearestMode: 'floor', scales: [2, 2] }, ['s1'], ['s2']),
  ];
  const outputs: Graph['outputs'][number][] = [
    { name: 'y', shape: [1, null, null, 2], dtype: 'float32' },
    { name: 's2', shape: [1, null, null, 16], dtype: 'float32' },
  ];
  if (options.head) {
    nodes.push(
      makeNode('flat', 'Flatten', { axis: 1 }, ['g3'], ['f1']),
      makeNode(
        'fc',
        'Gemm',
        { alpha: 1, beta: 1, transA: false, transB: false },
        ['f1', weight('w9', [16, 5]), weight('b9', [5])],
        ['logits'],
      ),
      makeNode('softmax', 'Softmax', { axis: 1 }, ['logits'], ['probs']),
    );
    outputs.push({ name: 'probs', shape: [1, 5], dtype: 'float32' });
  }
  return {
    source: { format: 'onnx', location: '<odd-shapes-net>' },
    inputs: [{ name: 'x', shape: [1, null, null, 3], dtype: 'float32' }],
    outputs,
    nodes,
    constants,
    intConstants: new Map(),
  };
}
