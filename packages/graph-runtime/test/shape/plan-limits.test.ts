import { ModelFormatError, ResourceLimitError, ShapeError, type OpAttrs, type ResizeAttrs, type Tensor } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../src/import/onnx/index.js';
import { makeNode, type Graph, type GraphNode } from '../../src/ir/graph.js';
import { DEFAULT_MEMORY_LIMIT, planDenseWithin } from '../../src/session/memory-budget.js';
import { planGraph } from '../../src/shape/plan-graph.js';
import { attr, buildModel, floatTensor, int64Tensor, node } from '../onnx/helpers/onnx-builder.js';

/**
 * Sizes computed from attributes (Resize scales and sizes, Pad, window strides, ConvTranspose) and
 * from absurd input shapes: planning is arithmetic only, so every bad size must end there as a
 * typed error naming the node, never as a RangeError from an allocation (issue 14, item 7).
 */

function oneNode(n: GraphNode, constants: Record<string, Tensor> = {}): Graph {
  return {
    source: { format: 'onnx', location: '<test>' },
    inputs: [{ name: 'x', shape: [1, null, null, 2], dtype: 'float32' }],
    outputs: [{ name: 'y', shape: [1, null, null, 2], dtype: 'float32' }],
    nodes: [n],
    constants: new Map(Object.entries(constants)),
    intConstants: new Map(),
  };
}

const resize = (over: Partial<ResizeAttrs>): Graph =>
  oneNode(
    makeNode('up', 'Resize', { mode: 'nearest', coordinateMode: 'asymmetric', nearestMode: 'floor', ...over } as ResizeAttrs, ['x'], ['y']),
  );

const conv = (over: Partial<OpAttrs['Conv2D']>): Graph =>
  oneNode(
    makeNode(
      'conv',
      'Conv2D',
      { kernel: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1], autoPad: 'explicit', groups: 1, ...over },
      ['x', 'w'],
      ['y'],
    ),
    { w: { data: new Float32Array(3 * 3 * 2 * 2), shape: [3, 3, 2, 2] } },
  );

const convTranspose = (over: Partial<OpAttrs['ConvTranspose2D']>): Graph =>
  oneNode(
    makeNode(
      'deconv',
      'ConvTranspose2D',
      { kernel: [2, 2], strides: [2, 2], dilations: [1, 1], pads: [0, 0, 0, 0], outputPadding: [0, 0], groups: 1, ...over },
      ['x', 'w'],
      ['y'],
    ),
    { w: { data: new Float32Array(2 * 2 * 2 * 2), shape: [2, 2, 2, 2] } },
  );

const pad = (pads: number[]): Graph => oneNode(makeNode('pad', 'Pad', { pads, mode: 'constant', value: 0 }, ['x'], ['y']));

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, none was thrown');
}

/** Plans a 16x16 two-channel frame with the default limit. */
const plan16 = (g: Graph): unknown => planDenseWithin(g, { x: [1, 16, 16, 2] }, DEFAULT_MEMORY_LIMIT);

describe('sizes from attributes are checked at plan time', () => {
  it.each([
    ['a negative scale', { scales: [-2, 2] }, 'scales [-2,2]'],
    ['a zero scale', { scales: [0, 2] }, 'scales [0,2]'],
    ['a NaN scale', { scales: [Number.NaN, 2] }, 'scales [NaN,2]'],
    ['an infinite scale', { scales: [Number.POSITIVE_INFINITY, 1] }, 'scales [Infinity,1]'],
    ['zero sizes', { sizes: [0, 8] }, 'sizes [0,8]'],
    ['negative sizes', { sizes: [-8, 8] }, 'sizes [-8,8]'],
    ['fractional sizes', { sizes: [7.5, 8] }, 'sizes [7.5,8]'],
    ['neither scales nor sizes', {}, 'neither sizes nor scales'],
    ['a scale that shrinks the input to nothing', { scales: [0.01, 1] }, 'shrink the 16x16 input to 0x16'],
  ] as const)('Resize with %s: ShapeError naming the node', (_, attrs, mention) => {
    const error = thrown(() => plan16(resize(attrs as Partial<ResizeAttrs>)));
    expect(ShapeError.isInstance(error), String(error)).toBe(true);
    expect(error.message).toContain("Node 'up' (Resize)");
    expect(error.message).toContain(mention);
  });

  it('Resize by 1e6: ResourceLimitError naming the node and its shape, whatever the limit', () => {
    for (const limit of [DEFAULT_MEMORY_LIMIT, Number.POSITIVE_INFINITY]) {
      const error = thrown(() => planDenseWithin(resize({ scales: [1e6, 1e6] }), { x: [1, 16, 16, 2] }, limit));
      expect(ResourceLimitError.isInstance(error), String(error)).toBe(true);
      expect(error.message).toContain("'up' [1,16000000,16000000,2]");
    }
  });

  it.each([
    ['a zero stride', { strides: [0, 1] }, 'strides [0,1]'],
    ['a negative stride', { strides: [-1, 1] }, 'strides [-1,1]'],
    ['a fractional dilation', { dilations: [1.5, 1] }, 'dilations [1.5,1]'],
    ['a negative pad', { pads: [-5, 0, 0, 0] }, 'pads [-5,0,0,0]'],
  ] as const)('Conv2D with %s: ShapeError naming the node', (_, attrs, mention) => {
    const error = thrown(() => plan16(conv(attrs as Partial<OpAttrs['Conv2D']>)));
    expect(ShapeError.isInstance(error), String(error)).toBe(true);
    expect(error.message).toContain("Node 'conv' (Conv2D)");
    expect(error.message).toContain(mention);
  });

  it('ConvTranspose2D with a huge stride or output padding: ResourceLimitError; with a bad one: ShapeError', () => {
    for (const attrs of [{ strides: [1e7, 1e7] }, { outputPadding: [1e9, 1e9] }] as const) {
      const error = thrown(() => plan16(convTranspose(attrs)));
      expect(ResourceLimitError.isInstance(error), String(error)).toBe(true);
      expect(error.message).toContain("'deconv'");
    }
    for (const [attrs, mention] of [
      [{ strides: [0, 2] }, 'strides [0,2]'],
      [{ outputPadding: [-1, 0] }, 'outputPadding [-1,0]'],
      [{ pads: [40, 0, 0, 0] }, 'gives shape [1,-8,32,2]'],
    ] as const) {
      const error = thrown(() => plan16(convTranspose(attrs as Partial<OpAttrs['ConvTranspose2D']>)));
      expect(ShapeError.isInstance(error), String(error)).toBe(true);
      expect(error.message).toContain("'deconv' (ConvTranspose2D)");
      expect(error.message).toContain(mention);
    }
  });

  it('Pad by 1e9 on each side: ResourceLimitError (a shape past 2^53 values); padding past the input: ShapeError', () => {
    const huge = thrown(() => plan16(pad([0, 1e9, 1e9, 0, 0, 1e9, 1e9, 0])));
    expect(ResourceLimitError.isInstance(huge), String(huge)).toBe(true);
    expect(huge.message).toContain("'pad' [1,2000000016,2000000016,2]");
    const negative = thrown(() => plan16(pad([0, -20, 0, 0, 0, 0, 0, 0])));
    expect(ShapeError.isInstance(negative), String(negative)).toBe(true);
    expect(negative.message).toContain("Node 'pad' (Pad)");
  });

  it('one tensor over 2^32 values is refused even with no memory limit', () => {
    // [1, 65536, 65537, 1]: 2^32 + 2^16 values, 16 GiB, more than one typed array can hold.
    const error = thrown(() => planDenseWithin(pad([0, 0, 0, 0, 0, 65535, 65536, -1]), { x: [1, 1, 1, 2] }, Number.POSITIVE_INFINITY));
    expect(ResourceLimitError.isInstance(error), String(error)).toBe(true);
    expect(error.message).toContain('at most 2^32');
    expect(error.message).toContain("'pad' [1,65536,65537,1]");
  });

  it('input shapes that are no sizes give ShapeError; sizes past 2^53 values give ResourceLimitError', () => {
    const g = conv({});
    for (const shape of [
      [1, -16, 16, 2],
      [1, 16.5, 16, 2],
      [1, Number.NaN, 16, 2],
      [1, 2 ** 60, 16, 2],
    ]) {
      const error = thrown(() => planGraph(g, { x: shape }));
      expect(ShapeError.isInstance(error), `${shape}: ${String(error)}`).toBe(true);
      expect(error.message).toContain("Graph input 'x'");
    }
    for (const shape of [
      [1, 99999, 99999, 2],
      [1, 2 ** 40, 2 ** 40, 2],
    ]) {
      const error = thrown(() => planDenseWithin(g, { x: shape }, Number.POSITIVE_INFINITY));
      expect(ResourceLimitError.isInstance(error), `${shape}: ${String(error)}`).toBe(true);
      expect(error.message).toContain("'conv'");
    }
  });
});

describe('Resize factors are checked when a model is imported', () => {
  const onnxResize = (scales: number[] | undefined, sizes?: number[]): Uint8Array =>
    buildModel({
      opset: 13,
      inputs: [{ name: 'x', dims: [1, 2, 4, 4] }],
      outputs: ['y'],
      nodes: [node('Resize', ['x', '', scales ? 'scales' : '', sizes ? 'sizes' : ''], ['y'], [attr.string('mode', 'nearest')], 'bad_up')],
      initializers: [
        ...(scales ? [floatTensor('scales', [4], Float32Array.from(scales))] : []),
        ...(sizes ? [int64Tensor('sizes', [4], sizes)] : []),
      ],
    });

  it.each([
    ['a negative scale', [1, 1, -2, 2], undefined, 'scales [-2,2]'],
    ['a zero scale', [1, 1, 0, 2], undefined, 'scales [0,2]'],
    ['a NaN scale', [1, 1, Number.NaN, 2], undefined, 'scales [NaN,2]'],
    ['zero sizes', undefined, [1, 2, 0, 8], 'sizes [0,8]'],
    ['negative sizes', undefined, [1, 2, -8, 8], 'sizes [-8,8]'],
  ])('ONNX Resize with %s: ModelFormatError naming the node', (_, scales, sizes, mention) => {
    const error = thrown(() => importOnnx(onnxResize(scales, sizes), 'bad-resize.onnx'));
    expect(ModelFormatError.isInstance(error), String(error)).toBe(true);
    expect(error.message).toContain('bad_up');
    expect(error.message).toContain(mention);
  });

  it('a valid but huge ONNX scale imports, and is refused when a session plans it', () => {
    const graph = importOnnx(onnxResize([1, 1, 1e6, 1e6]), 'huge-resize.onnx');
    const error = thrown(() => planDenseWithin(graph, { x: [1, 4, 4, 2] }, DEFAULT_MEMORY_LIMIT));
    expect(ResourceLimitError.isInstance(error), String(error)).toBe(true);
    expect(error.message).toContain("'bad_up' [1,4000000,4000000,2]");
  });
});
