import { describe, expect, it } from 'vitest';
import { UnsupportedOpError } from '@motiondelta/core';
import { importOnnx } from '../../src/import/onnx/index.js';
import { attr, buildModel, floatTensor, int64Tensor, node } from './helpers/onnx-builder.js';

/** The unary math converters' refusals and their import-time folding of constants. */

const X = { name: 'x', dims: [1, 3, 4, 4] };

function expectUnsupported(model: Uint8Array, ...mentions: string[]): void {
  let error: unknown;
  try {
    importOnnx(model, 'unary.onnx');
  } catch (e) {
    error = e;
  }
  expect(UnsupportedOpError.isInstance(error), String(error)).toBe(true);
  for (const m of mentions) expect((error as Error).message).toContain(m);
}

describe('ONNX Pow', () => {
  it('refuses an exponent computed at run time', () => {
    const model = buildModel({
      opset: 13,
      inputs: [X, { name: 'e', dims: [] }],
      outputs: ['y'],
      nodes: [node('Pow', ['x', 'e'], ['y'], [], 'pow')],
    });
    expectUnsupported(model, "'Pow'", 'computed at runtime');
  });

  it('refuses an exponent of more than one value', () => {
    const model = buildModel({
      opset: 13,
      inputs: [X],
      outputs: ['y'],
      nodes: [node('Pow', ['x', 'e'], ['y'], [], 'pow')],
      initializers: [floatTensor('e', [4], Float32Array.of(1, 2, 3, 4))],
    });
    expectUnsupported(model, 'shape [4]');
  });

  it('becomes the pow activation for a scalar initializer', () => {
    const model = buildModel({
      opset: 13,
      inputs: [X],
      outputs: ['y'],
      nodes: [node('Pow', ['x', 'e'], ['y'], [], 'pow')],
      initializers: [floatTensor('e', [1], Float32Array.of(3))],
    });
    const graph = importOnnx(model, 'unary.onnx');
    expect(graph.nodes.map((n) => [n.op, n.attrs])).toContainEqual(['Activation', { activation: { kind: 'pow', exponent: 3 } }]);
  });
});

describe('ONNX Gelu and Celu attributes', () => {
  it('refuses an unknown Gelu approximation', () => {
    const model = buildModel({
      opset: 20,
      inputs: [X],
      outputs: ['y'],
      nodes: [node('Gelu', ['x'], ['y'], [attr.string('approximate', 'fast')], 'gelu')],
    });
    expectUnsupported(model, "approximate 'fast'");
  });

  it('refuses Celu with alpha 0', () => {
    const model = buildModel({
      opset: 12,
      inputs: [X],
      outputs: ['y'],
      nodes: [node('Celu', ['x'], ['y'], [attr.float('alpha', 0)], 'celu')],
    });
    expectUnsupported(model, 'alpha 0');
  });
});

describe('unary math on constants', () => {
  it('is folded at import: Sqrt of a float initializer is a constant operand of the Mul', () => {
    const model = buildModel({
      opset: 13,
      inputs: [X],
      outputs: ['y'],
      nodes: [node('Sqrt', ['c'], ['s'], [], 'sqrt'), node('Mul', ['x', 's'], ['y'], [], 'mul')],
      initializers: [floatTensor('c', [1], Float32Array.of(2.25))],
    });
    const graph = importOnnx(model, 'unary.onnx');
    expect(graph.nodes.map((n) => n.op)).toEqual(['Mul']);
    const operand = graph.constants.get(graph.nodes[0]!.inputs[1]!);
    expect(operand?.data).toEqual(Float32Array.of(1.5));
  });

  it('keeps integer constants integers through Neg and Abs, so shape inputs still read as integers', () => {
    // Reshape to Abs(Neg([1, 48])) = [1, 48]: the shape must still be an integer constant.
    const model = buildModel({
      opset: 13,
      inputs: [X],
      outputs: ['y'],
      nodes: [
        node('Neg', ['shape'], ['negated'], [], 'neg'),
        node('Abs', ['negated'], ['abs'], [], 'abs'),
        node('Reshape', ['x', 'abs'], ['y'], [], 'reshape'),
      ],
      initializers: [int64Tensor('shape', [2], [1, 48])],
    });
    const graph = importOnnx(model, 'unary.onnx');
    const reshape = graph.nodes.find((n) => n.op === 'Reshape');
    expect(reshape?.attrs).toEqual({ shape: [1, 48] });
  });
});
