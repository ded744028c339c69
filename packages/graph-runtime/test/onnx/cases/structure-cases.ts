import { randomInt, type Rng } from '@motiondelta/core';
import { attr, buildModel, int64Tensor, node } from '../helpers/onnx-builder.js';
import { feed, singleNode, weight, type BuiltCase, type ConformanceCase } from './case-helpers.js';

/**
 * Structural ops: reductions (attribute and input axes, keepdims, noop_with_empty_axes),
 * GlobalMaxPool, variadic Max/Min/Sum/Mean, Slice (attributes and inputs, steps, negative
 * indices), Split (attribute, input, equal parts), DepthToSpace (DCR, CRD) and SpaceToDepth.
 * Most read the output of a Relu of the input so that their input is NHWC in the IR, as inside
 * a real network.
 */

function nchw(rng: Rng): number[] {
  return [randomInt(rng, 1, 2), randomInt(rng, 2, 5), randomInt(rng, 2, 6), randomInt(rng, 2, 6)];
}

/** x -> Relu -> op -> outputs; `extra` initializers (axes, starts...) are int64 constants. */
function afterRelu(
  rng: Rng,
  opType: string,
  x: readonly number[],
  opInputs: readonly string[],
  attrs: Parameters<typeof node>[3],
  options: { opset?: number; outputs?: readonly string[]; ints?: Record<string, readonly number[]>; plainOutputs?: readonly string[] } = {},
): BuiltCase {
  const outputs = options.outputs ?? ['y'];
  const model = buildModel({
    opset: options.opset ?? 13,
    inputs: [{ name: 'x', dims: x }],
    outputs,
    nodes: [node('Relu', ['x'], ['r']), node(opType, ['r', ...opInputs], outputs, attrs, `${opType.toLowerCase()}_under_test`)],
    initializers: Object.entries(options.ints ?? {}).map(([name, v]) => int64Tensor(name, [v.length], v)),
  });
  return { model, feeds: { x: feed(rng, x, -1, 2) }, ...(options.plainOutputs ? { plainOutputs: options.plainOutputs } : {}) };
}

function reduce(rng: Rng, opType: string, axes: readonly number[] | undefined, keepdims: number, opset = 13): BuiltCase {
  const x = nchw(rng);
  const fromInput = opType === 'ReduceSum' ? opset >= 13 : opset >= 18;
  const attrs = [attr.int('keepdims', keepdims), ...(axes && !fromInput ? [attr.ints('axes', axes)] : [])];
  return afterRelu(rng, opType, x, axes && fromInput ? ['axes'] : [], attrs, { opset, ...(axes && fromInput ? { ints: { axes } } : {}) });
}

function slice(rng: Rng, x: readonly number[], starts: number[], ends: number[], axes?: number[], steps?: number[]): BuiltCase {
  const ints: Record<string, number[]> = { starts, ends };
  if (axes) ints['axes'] = axes;
  if (steps) ints['steps'] = steps;
  const inputs = ['starts', 'ends', axes ? 'axes' : '', steps ? 'steps' : ''];
  while (inputs[inputs.length - 1] === '') inputs.pop();
  return afterRelu(rng, 'Slice', x, inputs, [], { ints });
}

function variadic(rng: Rng, opType: string, count: number): BuiltCase {
  const x = nchw(rng);
  const shapes = [x, [x[1]!, 1, 1], x, [x[3]!]].slice(0, count);
  const runtime: Record<string, readonly number[]> = {};
  const initializers: ReturnType<typeof weight>[] = [];
  const names: string[] = [];
  shapes.forEach((s, i) => {
    // Every other operand is a constant, so broadcasting constants are re-laid-out too.
    if (i % 2 === 1) initializers.push(weight(rng, `k${i}`, s));
    else runtime[`x${i}`] = s;
    names.push(i % 2 === 1 ? `k${i}` : `x${i}`);
  });
  return singleNode(rng, { opType, runtime, nodeInputs: names, initializers });
}

export const structureCases: ConformanceCase[] = [
  { name: 'ReduceMean over H,W keepdims (opset 13)', build: (r) => reduce(r, 'ReduceMean', [2, 3], 1) },
  { name: 'ReduceMean over C without keepdims', build: (r) => reduce(r, 'ReduceMean', [1], 0) },
  { name: 'ReduceMax over H,W without keepdims ([N,C] output)', build: (r) => reduce(r, 'ReduceMax', [-1, -2], 0) },
  { name: 'ReduceMin over H only without keepdims (read in NCHW order)', build: (r) => reduce(r, 'ReduceMin', [2], 0) },
  { name: 'ReduceSum with axes input (opset 13)', build: (r) => reduce(r, 'ReduceSum', [1, 3], 1) },
  { name: 'ReduceSum with axes attribute (opset 11)', build: (r) => reduce(r, 'ReduceSum', [0, 2], 1, 11) },
  { name: 'ReduceProd over W', build: (r) => reduce(r, 'ReduceProd', [3], 1) },
  { name: 'ReduceL1 over C,H', build: (r) => reduce(r, 'ReduceL1', [1, 2], 1) },
  { name: 'ReduceL2 over every axis (no axes)', build: (r) => reduce(r, 'ReduceL2', undefined, 0) },
  { name: 'ReduceSumSquare over C keepdims', build: (r) => reduce(r, 'ReduceSumSquare', [1], 1) },
  { name: 'ReduceLogSumExp over H,W', build: (r) => reduce(r, 'ReduceLogSumExp', [2, 3], 1) },
  { name: 'ReduceLogSum over C', build: (r) => reduce(r, 'ReduceLogSum', [1], 1) },
  { name: 'ReduceMean with axes input (opset 18)', build: (r) => reduce(r, 'ReduceMean', [1, 2], 0, 18) },
  {
    name: 'ReduceSum with empty axes and noop_with_empty_axes (opset 13)',
    build: (r) => afterRelu(r, 'ReduceSum', nchw(r), [], [attr.int('noop_with_empty_axes', 1)]),
  },
  { name: 'GlobalMaxPool', build: (r) => afterRelu(r, 'GlobalMaxPool', nchw(r), [], []) },

  { name: 'Max of two broadcasting inputs', build: (r) => variadic(r, 'Max', 2) },
  { name: 'Min of three inputs', build: (r) => variadic(r, 'Min', 3) },
  { name: 'Sum of four inputs', build: (r) => variadic(r, 'Sum', 4) },
  { name: 'Mean of three inputs', build: (r) => variadic(r, 'Mean', 3) },
  { name: 'Max of one input (identity)', build: (r) => variadic(r, 'Max', 1) },

  { name: 'Slice H,W crop with inputs (opset 13)', build: (r) => slice(r, [1, 3, 7, 8], [1, 2], [6, 7], [2, 3]) },
  { name: 'Slice channels with a step', build: (r) => slice(r, [2, 7, 4, 5], [1], [1000000], [1], [2]) },
  { name: 'Slice with negative indices and steps', build: (r) => slice(r, [1, 4, 6, 7], [-1, -2], [-1000000, 0], [3, -2], [-2, -1]) },
  { name: 'Slice without axes (leading axes)', build: (r) => slice(r, [2, 4, 5, 3], [1, 1], [2, 3]) },
  {
    name: 'Slice with attributes (opset 1)',
    build: (r) =>
      afterRelu(r, 'Slice', [1, 4, 6, 5], [], [attr.ints('starts', [1, 0]), attr.ints('ends', [5, -1]), attr.ints('axes', [3, 1])], {
        opset: 9,
      }),
  },
  {
    name: 'Slice of a plain 2-D input',
    build: (r) =>
      singleNode(r, {
        opType: 'Slice',
        runtime: { x: [5, 9] },
        nodeInputs: ['x', 'starts', 'ends', 'axes', 'steps'],
        initializers: [
          int64Tensor('starts', [1], [2]),
          int64Tensor('ends', [1], [9]),
          int64Tensor('axes', [1], [-1]),
          int64Tensor('steps', [1], [3]),
        ],
      }),
  },

  {
    name: 'Split channels with split input (opset 13)',
    build: (r) =>
      afterRelu(r, 'Split', [1, 6, 4, 5], ['split'], [attr.int('axis', 1)], { outputs: ['a', 'b', 'c'], ints: { split: [1, 3, 2] } }),
  },
  {
    name: 'Split width with split attribute (opset 11)',
    build: (r) =>
      afterRelu(r, 'Split', [2, 3, 4, 7], [], [attr.int('axis', 3), attr.ints('split', [3, 4])], { opset: 11, outputs: ['a', 'b'] }),
  },
  {
    name: 'Split height into equal parts',
    build: (r) => afterRelu(r, 'Split', [1, 3, 6, 5], [], [attr.int('axis', -2)], { outputs: ['a', 'b', 'c'] }),
  },
  {
    name: 'Split into num_outputs parts, the last smaller (opset 18)',
    build: (r) =>
      afterRelu(r, 'Split', [1, 7, 3, 4], [], [attr.int('axis', 1), attr.int('num_outputs', 3)], { opset: 18, outputs: ['a', 'b', 'c'] }),
  },

  { name: 'DepthToSpace DCR (default mode)', build: (r) => afterRelu(r, 'DepthToSpace', [2, 8, 3, 4], [], [attr.int('blocksize', 2)]) },
  {
    name: 'DepthToSpace CRD blocksize 3',
    build: (r) => afterRelu(r, 'DepthToSpace', [1, 18, 2, 3], [], [attr.int('blocksize', 3), attr.string('mode', 'CRD')]),
  },
  { name: 'SpaceToDepth blocksize 2', build: (r) => afterRelu(r, 'SpaceToDepth', [2, 3, 6, 4], [], [attr.int('blocksize', 2)]) },
];
