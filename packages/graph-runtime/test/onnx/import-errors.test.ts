import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, ModelFormatError, UnsupportedOpError } from '@motiondelta/core';
import { ensureData } from '@motiondelta/data';
import { importOnnx } from '../../src/import/onnx/index.js';
import { attr, buildModel, floatTensor, node } from './helpers/onnx-builder.js';

/** Runs `fn`, expecting it to throw; returns the error for closer checks. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, none was thrown');
}

function expectModelFormatError(fn: () => unknown, ...mentions: string[]): void {
  const error = thrown(fn);
  expect(ModelFormatError.isInstance(error), String(error)).toBe(true);
  for (const m of mentions) expect((error as Error).message).toContain(m);
}

describe('importOnnx on unreadable bytes', () => {
  let model: Uint8Array;
  beforeAll(async () => {
    model = new Uint8Array(await readFile((await ensureData('ppocr-det')).main));
  });

  it.each([0.999, 0.9, 0.5, 0.1, 0.001])('rejects the real model truncated to %f of its length, naming the file', (fraction) => {
    const cut = model.subarray(0, Math.floor(model.length * fraction));
    expectModelFormatError(() => importOnnx(cut, 'ppocr-truncated.onnx'), 'ppocr-truncated.onnx');
  });

  it.each([1, 2, 3, 4, 5])('rejects random bytes (seed %i), naming the file', (seed) => {
    const rng = createRng(seed);
    const bytes = Uint8Array.from({ length: 64 + Math.floor(rng.next() * 4096) }, () => Math.floor(rng.next() * 256));
    expectModelFormatError(() => importOnnx(bytes, `random-${seed}.onnx`), `random-${seed}.onnx`);
  });

  it('rejects an empty buffer', () => {
    expectModelFormatError(() => importOnnx(new Uint8Array(0), 'empty.onnx'), 'empty.onnx', 'empty');
  });

  it('rejects a model without graph nodes', () => {
    const bytes = buildModel({ opset: 13, inputs: [{ name: 'x', dims: [1, 3, 4, 4] }], outputs: [], nodes: [] });
    expectModelFormatError(() => importOnnx(bytes, 'hollow.onnx'), 'hollow.onnx', '0 nodes');
  });
});

describe('importOnnx on well-formed models it cannot take', () => {
  it('names the op and node of an unsupported op', () => {
    const bytes = buildModel({
      opset: 13,
      inputs: [{ name: 'x', dims: [1, 2, 4, 4] }],
      outputs: ['y'],
      nodes: [node('Relu', ['x'], ['r']), node('Hardmax', ['r'], ['y'], [], 'mystery_hardmax')],
    });
    const error = thrown(() => importOnnx(bytes, 'hardmax.onnx'));
    expect(UnsupportedOpError.isInstance(error)).toBe(true);
    expect((error as UnsupportedOpError).op).toBe('Hardmax');
    expect((error as UnsupportedOpError).node).toBe('mystery_hardmax');
    expect((error as Error).message).toContain("'Hardmax'");
    expect((error as Error).message).toContain("'mystery_hardmax'");
  });

  it('names an unnamed node by op type and index', () => {
    const bytes = buildModel({
      opset: 13,
      inputs: [{ name: 'x', dims: [1, 2] }],
      outputs: ['y'],
      nodes: [node('Relu', ['x'], ['r']), node('Cos', ['r'], ['y'])],
    });
    const error = thrown(() => importOnnx(bytes, 'cos.onnx'));
    expect(UnsupportedOpError.isInstance(error)).toBe(true);
    expect((error as UnsupportedOpError).node).toBe('Cos_1');
  });

  it('names the op of a non-default domain', () => {
    const custom = node('FusedConv', ['x'], ['y'], [], 'fused');
    custom.domain = 'com.microsoft';
    const bytes = buildModel({ opset: 13, inputs: [{ name: 'x', dims: [1, 2, 4, 4] }], outputs: ['y'], nodes: [custom] });
    const error = thrown(() => importOnnx(bytes, 'ms.onnx'));
    expect(UnsupportedOpError.isInstance(error)).toBe(true);
    expect((error as UnsupportedOpError).op).toBe('com.microsoft.FusedConv');
  });

  it('names the node and value of a missing initializer reference', () => {
    const bytes = buildModel({
      opset: 13,
      inputs: [{ name: 'x', dims: [1, 2, 5, 5] }],
      outputs: ['y'],
      nodes: [node('Conv', ['x', 'missing_weight'], ['y'], [attr.ints('pads', [1, 1, 1, 1])], 'conv_without_weight')],
    });
    expectModelFormatError(() => importOnnx(bytes, 'noweight.onnx'), 'noweight.onnx', 'conv_without_weight', 'missing_weight');
  });

  it('rejects an initializer whose data does not match its dims, naming it', () => {
    const bad = floatTensor('w', [2, 2, 3, 3], new Float32Array(5));
    const bytes = buildModel({
      opset: 13,
      inputs: [{ name: 'x', dims: [1, 2, 5, 5] }],
      outputs: ['y'],
      nodes: [node('Conv', ['x', 'w'], ['y'])],
      initializers: [bad],
    });
    expectModelFormatError(() => importOnnx(bytes, 'short.onnx'), 'short.onnx', "initializer 'w'", '36');
  });

  it('rejects a Resize with cubic mode, naming the node', () => {
    const bytes = buildModel({
      opset: 13,
      inputs: [{ name: 'x', dims: [1, 2, 4, 4] }],
      outputs: ['y'],
      nodes: [node('Resize', ['x', '', 'scales'], ['y'], [attr.string('mode', 'cubic')], 'bicubic_up')],
      initializers: [floatTensor('scales', [4], Float32Array.of(1, 1, 2, 2))],
    });
    const error = thrown(() => importOnnx(bytes, 'cubic.onnx'));
    expect(UnsupportedOpError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('bicubic_up');
    expect((error as Error).message).toContain('cubic');
  });

  it('rejects a Conv whose weight is computed at runtime', () => {
    const bytes = buildModel({
      opset: 13,
      inputs: [
        { name: 'x', dims: [1, 2, 4, 4] },
        { name: 'w', dims: [3, 2, 3, 3] },
      ],
      outputs: ['y'],
      nodes: [node('Conv', ['x', 'w'], ['y'], [], 'dynamic_conv')],
    });
    const error = thrown(() => importOnnx(bytes, 'dyn.onnx'));
    expect(UnsupportedOpError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("'w'");
  });

  it('rejects an old-opset Softmax over several axes of unknown size', () => {
    const bytes = buildModel({
      opset: 11,
      inputs: [{ name: 'x', dims: ['n', 3, 'h', 'w'] }],
      outputs: ['y'],
      nodes: [node('Softmax', ['x'], ['y'], [], 'joint_softmax')],
    });
    const error = thrown(() => importOnnx(bytes, 'softmax11.onnx'));
    expect(UnsupportedOpError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('joint_softmax');
  });
});
