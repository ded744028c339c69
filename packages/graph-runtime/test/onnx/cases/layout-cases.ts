import { randomInt, type Rng } from '@motiondelta/core';
import { attr, buildModel, int64Tensor, node } from '../helpers/onnx-builder.js';
import { feed, weight, type BuiltCase, type ConformanceCase } from './case-helpers.js';
import type { NodeProto, TensorProto } from 'onnx-buf';

/**
 * Small chains that cross between NHWC-friendly ops (Conv, pools) and ops that need the NCHW
 * element order (Reshape, Flatten, Transpose, Squeeze...): the importer's inserted transposes.
 */
function chain(
  rng: Rng,
  x: readonly number[],
  nodes: readonly NodeProto[],
  initializers: readonly TensorProto[],
  opset = 13,
  plainOutputs: readonly string[] = [],
): BuiltCase {
  const model = buildModel({ opset, inputs: [{ name: 'x', dims: x }], outputs: ['y'], nodes, initializers });
  return { model, feeds: { x: feed(rng, x) }, plainOutputs };
}

function convHead(rng: Rng, cin: number, cout: number, stride = 1): { nodes: NodeProto[]; inits: TensorProto[] } {
  return {
    nodes: [
      node('Conv', ['x', 'cw', 'cb'], ['c'], [attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [stride, stride])], 'conv'),
      node('Relu', ['c'], ['r']),
    ],
    inits: [weight(rng, 'cw', [cout, cin, 3, 3]), weight(rng, 'cb', [cout])],
  };
}

export const layoutCases: ConformanceCase[] = [
  {
    name: 'Conv -> Flatten -> Gemm (classifier head)',
    build: (r) => {
      const [cin, cout, h, w] = [randomInt(r, 1, 4), randomInt(r, 2, 4), randomInt(r, 3, 6), randomInt(r, 3, 6)];
      const head = convHead(r, cin, cout);
      const classes = randomInt(r, 2, 7);
      return chain(
        r,
        [2, cin, h, w],
        [...head.nodes, node('Flatten', ['r'], ['f']), node('Gemm', ['f', 'gw', 'gb'], ['y'], [attr.int('transB', 1)])],
        [...head.inits, weight(r, 'gw', [classes, cout * h * w]), weight(r, 'gb', [classes])],
      );
    },
  },
  {
    name: 'Conv -> Reshape [N,-1] -> MatMul',
    build: (r) => {
      const [cin, cout, h, w] = [randomInt(r, 1, 4), randomInt(r, 2, 4), randomInt(r, 3, 5), randomInt(r, 3, 5)];
      const head = convHead(r, cin, cout);
      return chain(
        r,
        [1, cin, h, w],
        [...head.nodes, node('Reshape', ['r', 'shape'], ['f']), node('MatMul', ['f', 'm'], ['y'])],
        [...head.inits, int64Tensor('shape', [2], [0, -1]), weight(r, 'm', [cout * h * w, 3])],
      );
    },
  },
  {
    name: 'Conv -> Transpose to NHWC order (plain 4-D output)',
    build: (r) => {
      const [cin, cout] = [randomInt(r, 1, 4), randomInt(r, 2, 4)];
      const head = convHead(r, cin, cout, 2);
      return chain(r, [1, cin, 7, 5], [...head.nodes, node('Transpose', ['r'], ['y'], [attr.ints('perm', [0, 2, 3, 1])])], head.inits, 13, [
        'y',
      ]);
    },
  },
  {
    name: 'GlobalAveragePool -> Squeeze axes input (opset 13)',
    build: (r) => {
      const [cin, cout] = [randomInt(r, 1, 4), randomInt(r, 2, 6)];
      const head = convHead(r, cin, cout);
      return chain(
        r,
        [2, cin, 5, 6],
        [...head.nodes, node('GlobalAveragePool', ['r'], ['g']), node('Squeeze', ['g', 'axes'], ['y'])],
        [...head.inits, int64Tensor('axes', [2], [2, 3])],
      );
    },
  },
  {
    name: 'GlobalAveragePool -> Squeeze axes attribute (opset 11) -> Unsqueeze -> Mul (squeeze-excite)',
    build: (r) => {
      const ch = randomInt(r, 2, 6);
      return chain(
        r,
        [1, ch, 5, 4],
        [
          node('GlobalAveragePool', ['x'], ['g']),
          node('Squeeze', ['g'], ['s'], [attr.ints('axes', [2, 3])]),
          node('Gemm', ['s', 'fc', 'fb'], ['e'], [attr.int('transB', 1)]),
          node('Sigmoid', ['e'], ['a']),
          node('Unsqueeze', ['a'], ['u'], [attr.ints('axes', [2, 3])]),
          node('Mul', ['x', 'u'], ['y']),
        ],
        [weight(r, 'fc', [ch, ch]), weight(r, 'fb', [ch])],
        11,
      );
    },
  },
  {
    name: 'Reshape [N,C*H*W] graph input to 4-D -> Conv',
    build: (r) => {
      const [cin, h, w] = [randomInt(r, 1, 3), randomInt(r, 3, 6), randomInt(r, 3, 6)];
      const cout = randomInt(r, 1, 4);
      const model = buildModel({
        opset: 13,
        inputs: [{ name: 'x', dims: [2, cin * h * w] }],
        outputs: ['y'],
        nodes: [node('Reshape', ['x', 'shape'], ['x4']), node('Conv', ['x4', 'cw'], ['y'], [attr.ints('pads', [1, 0, 1, 0])])],
        initializers: [int64Tensor('shape', [4], [2, cin, h, w]), weight(r, 'cw', [cout, cin, 3, 3])],
      });
      return { model, feeds: { x: feed(r, [2, cin * h * w]) } };
    },
  },
  {
    name: 'Channel shuffle: Conv -> Reshape 5-D -> Transpose -> Reshape 4-D -> Conv',
    build: (r) => {
      const groups = 2;
      const cout = 2 * randomInt(r, 1, 3);
      const [h, w] = [randomInt(r, 3, 6), randomInt(r, 3, 6)];
      const head = convHead(r, 3, cout);
      return chain(
        r,
        [1, 3, h, w],
        [
          ...head.nodes,
          node('Reshape', ['r', 's5'], ['r5']),
          node('Transpose', ['r5'], ['t5'], [attr.ints('perm', [0, 2, 1, 3, 4])]),
          node('Reshape', ['t5', 's4'], ['r4']),
          node('Conv', ['r4', 'w2'], ['y'], [attr.int('group', groups)]),
        ],
        [
          ...head.inits,
          int64Tensor('s5', [5], [1, groups, cout / groups, h, w]),
          int64Tensor('s4', [4], [1, cout, h, w]),
          weight(r, 'w2', [4, cout / groups, 1, 1]),
        ],
      );
    },
  },
  {
    name: 'Conv -> Unsqueeze to 5-D -> Reshape back -> Add (plain then NHWC)',
    build: (r) => {
      const head = convHead(r, 2, 3);
      return chain(
        r,
        [1, 2, 4, 5],
        [...head.nodes, node('Unsqueeze', ['r', 'ax'], ['u']), node('Reshape', ['u', 's4'], ['p']), node('Add', ['p', 'r'], ['y'])],
        [...head.inits, int64Tensor('ax', [1], [1]), int64Tensor('s4', [4], [1, 3, 4, 5])],
      );
    },
  },
  {
    name: 'Reshape of a constant weight is folded (Conv weight from Reshape)',
    build: (r) => {
      const cout = randomInt(r, 1, 4);
      return chain(
        r,
        [1, 2, 5, 5],
        [node('Reshape', ['flatw', 'wshape'], ['w']), node('Conv', ['x', 'w'], ['y'], [attr.ints('pads', [1, 1, 1, 1])])],
        [weight(r, 'flatw', [cout * 2 * 9]), int64Tensor('wshape', [4], [cout, 2, 3, 3])],
      );
    },
  },
];
