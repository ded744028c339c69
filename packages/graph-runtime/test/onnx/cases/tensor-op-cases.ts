import { randomInt, uniform, type Rng } from '@motiondelta/core';
import { attr, buildModel, int64Tensor, node } from '../helpers/onnx-builder.js';
import { feed, singleNode, weight, type BuiltCase, type ConformanceCase } from './case-helpers.js';

function nchw(rng: Rng): number[] {
  return [randomInt(rng, 1, 2), randomInt(rng, 2, 5), randomInt(rng, 2, 6), randomInt(rng, 2, 6)];
}

function concat(rng: Rng, axis: number, count: number, withConstant: boolean): BuiltCase {
  const base = nchw(rng);
  const norm = axis < 0 ? axis + 4 : axis;
  const shapes = Array.from({ length: count }, () => base.map((d, i) => (i === norm ? randomInt(rng, 1, 4) : d)));
  const runtime: Record<string, number[]> = {};
  shapes.forEach((s, i) => (runtime[`x${i}`] = s));
  const constDims = base.map((d, i) => (i === norm ? 2 : d));
  return singleNode(rng, {
    opType: 'Concat',
    runtime,
    nodeInputs: [...Object.keys(runtime), ...(withConstant ? ['k'] : [])],
    initializers: withConstant ? [weight(rng, 'k', constDims)] : [],
    attrs: [attr.int('axis', axis)],
  });
}

function softmax(rng: Rng, opset: number, dims: readonly number[], axis?: number): BuiltCase {
  return singleNode(rng, {
    opset,
    opType: 'Softmax',
    runtime: { x: dims },
    nodeInputs: ['x'],
    attrs: axis === undefined ? [] : [attr.int('axis', axis)],
    inputRange: [-3, 3],
  });
}

function pad(rng: Rng, mode: string, opset = 13): BuiltCase {
  const x = [randomInt(rng, 1, 2), randomInt(rng, 1, 4), randomInt(rng, 3, 6), randomInt(rng, 3, 6)];
  // reflect needs pads smaller than the axis; keep them at most 2 (inputs are at least 3).
  const pads =
    mode === 'constant'
      ? [
          0,
          randomInt(rng, 0, 2),
          randomInt(rng, 0, 3),
          randomInt(rng, 0, 3),
          0,
          randomInt(rng, 0, 2),
          randomInt(rng, 0, 3),
          randomInt(rng, 0, 3),
        ]
      : [0, 0, randomInt(rng, 0, 2), randomInt(rng, 1, 2), 0, 0, randomInt(rng, 1, 2), randomInt(rng, 0, 2)];
  const value = mode === 'constant' ? uniform(rng, -1, 1) : 0;
  if (opset < 11) {
    return singleNode(rng, {
      opset,
      opType: 'Pad',
      runtime: { x },
      nodeInputs: ['x'],
      attrs: [attr.string('mode', mode), attr.ints('pads', pads), attr.float('value', value)],
    });
  }
  return singleNode(rng, {
    opset,
    opType: 'Pad',
    runtime: { x },
    nodeInputs: mode === 'constant' ? ['x', 'pads', 'value'] : ['x', 'pads'],
    initializers: [int64Tensor('pads', [8], pads), ...(mode === 'constant' ? [weight(rng, 'value', [], value, value + 1e-3)] : [])],
    attrs: [attr.string('mode', mode)],
  });
}

function gemm(rng: Rng, transA: boolean, transB: boolean, c: 'none' | 'matrix' | 'row', alphaBeta: boolean): BuiltCase {
  const m = randomInt(rng, 1, 5);
  const k = randomInt(rng, 2, 7);
  const n = randomInt(rng, 1, 6);
  const initializers = [weight(rng, 'B', transB ? [n, k] : [k, n])];
  if (c !== 'none') initializers.push(weight(rng, 'C', c === 'matrix' ? [m, n] : [n]));
  const attrs = [attr.int('transA', transA ? 1 : 0), attr.int('transB', transB ? 1 : 0)];
  if (alphaBeta) attrs.push(attr.float('alpha', uniform(rng, 0.5, 2)), attr.float('beta', uniform(rng, -1, 1)));
  return singleNode(rng, {
    opType: 'Gemm',
    runtime: { A: transA ? [k, m] : [m, k] },
    nodeInputs: c === 'none' ? ['A', 'B'] : ['A', 'B', 'C'],
    initializers,
    attrs,
  });
}

function matmul(rng: Rng, a: readonly number[], b: readonly number[], bRuntime: boolean): BuiltCase {
  return singleNode(rng, {
    opType: 'MatMul',
    runtime: bRuntime ? { a, b } : { a },
    nodeInputs: ['a', 'b'],
    initializers: bRuntime ? [] : [weight(rng, 'b', b)],
  });
}

export const tensorOpCases: ConformanceCase[] = [
  { name: 'Concat two NCHW inputs on channels (axis 1)', build: (r) => concat(r, 1, 2, false) },
  { name: 'Concat three inputs on height (axis 2)', build: (r) => concat(r, 2, 3, false) },
  { name: 'Concat on width (axis 3) with a constant input', build: (r) => concat(r, 3, 2, true) },
  { name: 'Concat on axis -3 (channels)', build: (r) => concat(r, -3, 2, true) },
  { name: 'Concat on batch (axis 0)', build: (r) => concat(r, 0, 2, false) },
  {
    name: 'Concat of plain [N,C] inputs',
    build: (r) =>
      singleNode(r, {
        opType: 'Concat',
        runtime: { a: [2, randomInt(r, 1, 5)], b: [2, randomInt(r, 1, 5)] },
        nodeInputs: ['a', 'b'],
        attrs: [attr.int('axis', 1)],
      }),
  },

  { name: 'Softmax (opset 13) on channels of NCHW', build: (r) => softmax(r, 13, nchw(r), 1) },
  { name: 'Softmax (opset 13) default axis -1', build: (r) => softmax(r, 13, nchw(r)) },
  { name: 'Softmax (opset 13) on height (axis 2)', build: (r) => softmax(r, 13, nchw(r), 2) },
  { name: 'Softmax (opset 13) on [N,C]', build: (r) => softmax(r, 13, [randomInt(r, 1, 4), randomInt(r, 2, 9)], 1) },
  // Joint softmax over several axes goes through Flatten/Reshape, so its output is plain NCHW.
  { name: 'Softmax (opset 11) default axis 1 on NCHW flattens C,H,W', build: (r) => ({ ...softmax(r, 11, nchw(r)), plainOutputs: ['y'] }) },
  { name: 'Softmax (opset 11) axis 3 (last)', build: (r) => softmax(r, 11, nchw(r), 3) },
  { name: 'Softmax (opset 11) axis 1 on [N,C,1,1]', build: (r) => softmax(r, 11, [2, randomInt(r, 2, 8), 1, 1], 1) },
  { name: 'Softmax (opset 11) axis 2 on NCHW', build: (r) => ({ ...softmax(r, 11, nchw(r), 2), plainOutputs: ['y'] }) },

  { name: 'Pad constant mode with value (opset 13)', build: (r) => pad(r, 'constant') },
  { name: 'Pad reflect mode (opset 13)', build: (r) => pad(r, 'reflect') },
  { name: 'Pad edge mode (opset 13)', build: (r) => pad(r, 'edge') },
  { name: 'Pad constant mode (opset 11)', build: (r) => pad(r, 'constant', 11) },
  { name: 'Pad reflect with pads attribute (opset 2)', build: (r) => pad(r, 'reflect', 2) },
  { name: 'Pad constant with pads attribute (opset 2)', build: (r) => pad(r, 'constant', 2) },

  { name: 'Gemm plain', build: (r) => gemm(r, false, false, 'matrix', false) },
  { name: 'Gemm transA', build: (r) => gemm(r, true, false, 'row', false) },
  { name: 'Gemm transB with alpha and beta', build: (r) => gemm(r, false, true, 'row', true) },
  { name: 'Gemm transA transB with alpha and beta', build: (r) => gemm(r, true, true, 'matrix', true) },
  { name: 'Gemm without C', build: (r) => gemm(r, false, true, 'none', false) },
  { name: 'MatMul 2-D with constant', build: (r) => matmul(r, [randomInt(r, 1, 5), 4], [4, randomInt(r, 1, 5)], false) },
  {
    name: 'MatMul batched 3-D by 2-D',
    build: (r) => matmul(r, [randomInt(r, 1, 3), randomInt(r, 1, 4), 5], [5, randomInt(r, 1, 4)], false),
  },
  {
    name: 'MatMul runtime by runtime with batch broadcast',
    build: (r) => ({ ...matmul(r, [2, 1, 3, 4], [3, 4, 2], true), plainOutputs: ['y'] }),
  },
  {
    name: 'MatMul on a 4-D graph input (NCHW semantics, plain output)',
    build: (r) => {
      const x = nchw(r);
      const built = matmul(r, x, [x[3]!, randomInt(r, 1, 4)], false);
      return { ...built, plainOutputs: ['y'] };
    },
  },
  {
    name: 'Flatten of a 4-D graph input at axis 2',
    build: (r) => singleNode(r, { opType: 'Flatten', runtime: { x: nchw(r) }, nodeInputs: ['x'], attrs: [attr.int('axis', 2)] }),
  },
  {
    name: 'Identity and Dropout keep the layout',
    build: (r) => {
      const x = nchw(r);
      const feeds = { x: feed(r, x) };
      const model = buildModel({
        opset: 13,
        inputs: [{ name: 'x', dims: x }],
        outputs: ['y'],
        nodes: [node('Identity', ['x'], ['i']), node('Dropout', ['i'], ['d']), node('Relu', ['d'], ['y'])],
      });
      return { model, feeds };
    },
  },
];
