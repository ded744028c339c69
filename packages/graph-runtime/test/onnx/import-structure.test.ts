import { describe, expect, it } from 'vitest';
import { createRng } from '@motiondelta/core';
import { importOnnx } from '../../src/import/onnx/index.js';
import { weight } from './cases/case-helpers.js';
import { attr, buildModel, int64Tensor, node } from './helpers/onnx-builder.js';

/** What the importer builds, beyond what it computes: layouts, names, transposes, weights. */
describe('importOnnx graph structure', () => {
  const rng = createRng(11);

  it('keeps a conv chain NHWC without transposes and lays weights out HWIO', () => {
    const graph = importOnnx(
      buildModel({
        opset: 13,
        inputs: [{ name: 'x', dims: ['batch', 3, 'h', 'w'] }],
        outputs: ['y'],
        nodes: [
          node('Conv', ['x', 'w1'], ['c1'], [], 'first'),
          node('Relu', ['c1'], ['r']),
          node('Conv', ['r', 'w2'], ['y'], [attr.int('group', 2)], 'first'),
        ],
        initializers: [weight(rng, 'w1', [4, 3, 1, 3]), weight(rng, 'w2', [6, 2, 3, 1])],
      }),
      'chain.onnx',
    );
    expect(graph.inputs).toEqual([{ name: 'x', shape: [null, null, null, 3], dtype: 'float32', transposedFrom: 'nchw' }]);
    expect(graph.outputs).toEqual([{ name: 'y', shape: [null, null, null, 6], dtype: 'float32', transposedFrom: 'nchw' }]);
    expect(graph.nodes.map((n) => [n.name, n.op])).toEqual([
      ['first', 'Conv2D'],
      ['Relu_1', 'Activation'],
      ['first_2', 'Conv2D'],
    ]);
    const shapes = graph.nodes.filter((n) => n.op === 'Conv2D').map((n) => graph.constants.get(n.inputs[1]!)!.shape);
    expect(shapes).toEqual([
      [1, 3, 3, 4],
      [3, 1, 2, 6],
    ]);
  });

  it('inserts one transpose to NCHW before Flatten and keeps its output plain', () => {
    const graph = importOnnx(
      buildModel({
        opset: 13,
        inputs: [{ name: 'x', dims: [1, 2, 4, 4] }],
        outputs: ['y', 'f'],
        nodes: [node('Conv', ['x', 'w'], ['c']), node('Flatten', ['c'], ['f']), node('Relu', ['c'], ['y'])],
        initializers: [weight(rng, 'w', [3, 2, 3, 3])],
      }),
      'flatten.onnx',
    );
    const transposes = graph.nodes.filter((n) => n.op === 'Transpose');
    expect(transposes.map((n) => n.attrs)).toEqual([{ perm: [0, 3, 1, 2] }]);
    expect(graph.nodes.find((n) => n.op === 'Flatten')!.inputs).toEqual(transposes[0]!.outputs);
    expect(graph.outputs).toEqual([
      { name: 'y', shape: [1, 2, 2, 3], dtype: 'float32', transposedFrom: 'nchw' },
      { name: 'f', shape: [1, 12], dtype: 'float32' },
    ]);
  });

  it('inserts one transpose to NHWC when a reshaped 4-D tensor feeds a Conv', () => {
    const graph = importOnnx(
      buildModel({
        opset: 13,
        inputs: [{ name: 'x', dims: [1, 32] }],
        outputs: ['y'],
        nodes: [node('Reshape', ['x', 's'], ['x4']), node('Conv', ['x4', 'w'], ['y'])],
        initializers: [int64Tensor('s', [4], [1, 2, 4, 4]), weight(rng, 'w', [3, 2, 1, 1])],
      }),
      'reshape.onnx',
    );
    expect(graph.nodes.map((n) => n.op)).toEqual(['Reshape', 'Transpose', 'Conv2D']);
    expect(graph.nodes[0]!.attrs).toEqual({ shape: [1, 2, 4, 4] });
    expect(graph.nodes[1]!.attrs).toEqual({ perm: [0, 2, 3, 1] });
    expect(graph.intConstants.size).toBe(0);
  });

  it('re-lays a [C,1,1] constant as [1,1,C] and remaps Concat axes', () => {
    const graph = importOnnx(
      buildModel({
        opset: 13,
        inputs: [{ name: 'x', dims: [1, 3, 2, 2] }],
        outputs: ['y'],
        nodes: [node('Mul', ['x', 'k'], ['m']), node('Concat', ['m', 'x'], ['y'], [attr.int('axis', 1)])],
        initializers: [weight(rng, 'k', [3, 1, 1])],
      }),
      'mul.onnx',
    );
    const mul = graph.nodes.find((n) => n.op === 'Mul')!;
    expect(graph.constants.get(mul.inputs[1]!)!.shape).toEqual([1, 1, 3]);
    expect(graph.nodes.find((n) => n.op === 'Concat')!.attrs).toEqual({ axis: 3 });
  });
});
