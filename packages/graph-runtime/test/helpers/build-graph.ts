import { createRng, randomFloat32, type Tensor } from '@motiondelta/core';
import { makeNode, type Graph, type GraphNode } from '../../src/ir/graph.js';

/**
 * A small conv net used by the runtime tests: Conv3x3 -> BatchNorm -> Relu -> Identity ->
 * depthwise Conv -> Add (residual) -> output, with seeded random weights.
 */
export function smallConvNet(seed = 1, channels = 4): Graph {
  const rng = createRng(seed);
  const c = channels;
  const t = (shape: number[], lo = -1, hi = 1): Tensor => ({
    data: randomFloat32(
      rng,
      shape.reduce((a, b) => a * b, 1),
      lo,
      hi,
    ),
    shape,
  });
  const constants = new Map<string, Tensor>([
    ['w1', t([3, 3, 3, c])],
    ['b1', t([c])],
    ['bn_scale', t([c], 0.5, 1.5)],
    ['bn_bias', t([c])],
    ['bn_mean', t([c])],
    ['bn_var', t([c], 0.2, 2)],
    ['w2', t([3, 3, 1, c])],
  ]);
  const conv = { kernel: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], autoPad: 'same-upper', groups: 1 } as const;
  const nodes: GraphNode[] = [
    makeNode('conv1', 'Conv2D', conv, ['x', 'w1', 'b1'], ['c1']),
    makeNode('bn1', 'BatchNorm', { epsilon: 1e-3 }, ['c1', 'bn_scale', 'bn_bias', 'bn_mean', 'bn_var'], ['n1']),
    makeNode('relu1', 'Activation', { activation: { kind: 'relu' } }, ['n1'], ['r1']),
    makeNode('id1', 'Identity', {}, ['r1'], ['i1']),
    makeNode('dw', 'Conv2D', { ...conv, groups: c }, ['i1', 'w2', ''], ['d1']),
    makeNode('res', 'Add', {}, ['d1', 'i1'], ['y']),
  ];
  return {
    source: { format: 'onnx', location: '<test>' },
    inputs: [{ name: 'x', shape: [1, null, null, 3], dtype: 'float32' }],
    outputs: [{ name: 'y', shape: [1, null, null, c], dtype: 'float32' }],
    nodes,
    constants,
    intConstants: new Map(),
  };
}
