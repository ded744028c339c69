import { UnsupportedOpError, createRng, randomFloat32 } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../src/import/onnx/index.js';
import { expectMatchesOnnxRuntime } from './helpers/compare.js';
import { attr, buildModel, int64Tensor, node } from './helpers/onnx-builder.js';

/**
 * Shape arithmetic as exporters write it, folded at import for known dimensions (int-folding.ts):
 * the folded models match onnxruntime, the graph holds no node for the arithmetic, and a Shape of
 * an open dimension is refused with a typed error that says what to do.
 */
const feeds = (shape: readonly number[], seed = 1) => ({
  x: {
    data: randomFloat32(
      createRng(seed),
      shape.reduce((a, b) => a * b, 1),
      -1,
      1,
    ),
    shape,
  },
});

describe('ONNX shape arithmetic folded at import', () => {
  it("PyTorch's flatten: Shape -> Gather -> Unsqueeze -> Concat -> Reshape", async () => {
    const model = buildModel({
      opset: 13,
      inputs: [{ name: 'x', dims: [1, 3, 4, 5] }],
      outputs: ['y'],
      nodes: [
        node('Relu', ['x'], ['r']),
        node('Shape', ['r'], ['s']),
        node('Gather', ['s', 'zero'], ['batch'], [attr.int('axis', 0)]),
        node('Unsqueeze', ['batch', 'axes0'], ['batch1']),
        node('Concat', ['batch1', 'minus1'], ['target'], [attr.int('axis', 0)]),
        node('Reshape', ['r', 'target'], ['y']),
      ],
      initializers: [int64Tensor('zero', [], [0]), int64Tensor('axes0', [1], [0]), int64Tensor('minus1', [1], [-1])],
    });
    const graph = importOnnx(model, 'flatten.onnx');
    expect(graph.nodes.map((n) => n.op)).not.toContain('Shape');
    expect(graph.nodes.find((n) => n.op === 'Reshape')?.attrs).toMatchObject({ shape: [1, -1] });
    await expectMatchesOnnxRuntime(model, feeds([1, 3, 4, 5]));
  });

  it('sizes computed from the shape (Slice, Mul, Size, Div) for a Resize and a Reshape', async () => {
    const model = buildModel({
      opset: 13,
      inputs: [{ name: 'x', dims: [1, 2, 6, 4] }],
      outputs: ['y', 'z'],
      nodes: [
        node('Shape', ['x'], ['s']),
        node('Slice', ['s', 'two', 'four'], ['hw']),
        node('Mul', ['hw', 'two1'], ['hw2']),
        node('Concat', ['nc', 'hw2'], ['sizes'], [attr.int('axis', 0)]),
        node('Resize', ['x', '', '', 'sizes'], ['y'], [attr.string('mode', 'nearest')]),
        node('Size', ['x'], ['n']),
        node('Div', ['n', 'twoScalar'], ['half']),
        node('Unsqueeze', ['half', 'axes0'], ['half1']),
        node('Concat', ['two1', 'half1'], ['target'], [attr.int('axis', 0)]),
        node('Reshape', ['x', 'target'], ['z']),
      ],
      initializers: [
        int64Tensor('two', [1], [2]),
        int64Tensor('twoScalar', [], [2]),
        int64Tensor('four', [1], [4]),
        int64Tensor('two1', [1], [2]),
        int64Tensor('nc', [2], [1, 2]),
        int64Tensor('axes0', [1], [0]),
      ],
    });
    await expectMatchesOnnxRuntime(model, feeds([1, 2, 6, 4], 2), { plainOutputs: ['z'] });
  });

  it('refuses Shape of an open dimension, saying to export with a fixed size', () => {
    const model = buildModel({
      opset: 13,
      inputs: [{ name: 'x', dims: ['N', 3, 4, 5] }],
      outputs: ['y'],
      nodes: [node('Shape', ['x'], ['s']), node('Reshape', ['x', 's'], ['y'])],
    });
    let error: unknown;
    try {
      importOnnx(model, 'open.onnx');
    } catch (e) {
      error = e;
    }
    expect(UnsupportedOpError.isInstance(error)).toBe(true);
    expect((error as UnsupportedOpError).op).toBe('Shape');
    expect((error as Error).message).toMatch(/\[\?,3,4,5\], which are not all known at import.*fixed input size/);
  });
});
