import { randomFloat32, randomInt, uniform, type Rng } from '@motiondelta/core';
import { attr, constantNode, floatTensor, type Attr } from '../helpers/onnx-builder.js';
import { singleNode, weight, type BuiltCase, type ConformanceCase, type SingleNodeSpec } from './case-helpers.js';

function nchw(rng: Rng): number[] {
  return [randomInt(rng, 1, 2), randomInt(rng, 1, 6), randomInt(rng, 2, 7), randomInt(rng, 2, 7)];
}

function unary(rng: Rng, opType: string, attrs: readonly Attr[] = [], extra: Partial<SingleNodeSpec> = {}): BuiltCase {
  return singleNode(rng, { opType, runtime: { x: nchw(rng) }, nodeInputs: ['x'], attrs, inputRange: [-4, 4], ...extra });
}

/** Pow(x, c) with `c` a scalar initializer. */
function powCase(rng: Rng, exponent: number, inputRange: readonly [number, number]): BuiltCase {
  return unary(rng, 'Pow', [], { nodeInputs: ['x', 'e'], initializers: [floatTensor('e', [], Float32Array.of(exponent))], inputRange });
}

/** Functions defined (and finite) on positive inputs only are fed (0.05, 4]; NaN is tested in the backends' conformance. */
const POSITIVE: readonly [number, number] = [0.05, 4];

export const activationCases: ConformanceCase[] = [
  { name: 'Elu alpha', build: (r) => unary(r, 'Elu', [attr.float('alpha', uniform(r, 0.5, 2))]) },
  { name: 'Elu defaults', build: (r) => unary(r, 'Elu') },
  { name: 'Selu defaults', build: (r) => unary(r, 'Selu') },
  { name: 'Selu alpha and gamma', build: (r) => unary(r, 'Selu', [attr.float('alpha', 1.5), attr.float('gamma', 1.2)]) },
  { name: 'Celu (opset 12) alpha', build: (r) => unary(r, 'Celu', [attr.float('alpha', uniform(r, 0.3, 2))], { opset: 12 }) },
  { name: 'Softplus', build: (r) => unary(r, 'Softplus') },
  { name: 'Softsign', build: (r) => unary(r, 'Softsign') },
  { name: 'Gelu (opset 20)', build: (r) => unary(r, 'Gelu', [], { opset: 20 }) },
  { name: 'Gelu (opset 20) tanh approximation', build: (r) => unary(r, 'Gelu', [attr.string('approximate', 'tanh')], { opset: 20 }) },
  { name: 'Abs', build: (r) => unary(r, 'Abs') },
  { name: 'Neg', build: (r) => unary(r, 'Neg') },
  { name: 'Exp', build: (r) => unary(r, 'Exp') },
  { name: 'Log', build: (r) => unary(r, 'Log', [], { inputRange: POSITIVE }) },
  { name: 'Sqrt', build: (r) => unary(r, 'Sqrt', [], { inputRange: POSITIVE }) },
  { name: 'Reciprocal', build: (r) => unary(r, 'Reciprocal', [], { inputRange: POSITIVE }) },
  { name: 'Erf', build: (r) => unary(r, 'Erf') },
  { name: 'Floor', build: (r) => unary(r, 'Floor') },
  { name: 'Ceil', build: (r) => unary(r, 'Ceil') },
  { name: 'Round', build: (r) => unary(r, 'Round') },
  { name: 'Pow by a scalar 2', build: (r) => powCase(r, 2, [-4, 4]) },
  { name: 'Pow by a scalar 3', build: (r) => powCase(r, 3, [-4, 4]) },
  { name: 'Pow by a scalar 0.5', build: (r) => powCase(r, 0.5, POSITIVE) },
  { name: 'Pow by a scalar -1.5', build: (r) => powCase(r, -1.5, POSITIVE) },
  { name: 'Relu', build: (r) => unary(r, 'Relu') },
  { name: 'Sigmoid', build: (r) => unary(r, 'Sigmoid') },
  { name: 'Tanh', build: (r) => unary(r, 'Tanh') },
  { name: 'HardSwish (opset 14)', build: (r) => unary(r, 'HardSwish', [], { opset: 14 }) },
  {
    name: 'HardSigmoid with alpha and beta',
    build: (r) => unary(r, 'HardSigmoid', [attr.float('alpha', uniform(r, 0.1, 0.3)), attr.float('beta', uniform(r, 0.3, 0.6))]),
  },
  { name: 'HardSigmoid defaults', build: (r) => unary(r, 'HardSigmoid') },
  { name: 'LeakyRelu alpha', build: (r) => unary(r, 'LeakyRelu', [attr.float('alpha', uniform(r, 0.01, 0.3))]) },
  {
    name: 'Clip (opset 13) min and max from Constant nodes',
    build: (r) =>
      unary(r, 'Clip', [], {
        nodeInputs: ['x', 'lo', 'hi'],
        constants: [
          constantNode('lo', floatTensor('lo', [], Float32Array.of(uniform(r, -2, 0)))),
          constantNode('hi', floatTensor('hi', [], Float32Array.of(uniform(r, 0.5, 3)))),
        ],
      }),
  },
  {
    name: 'Clip (opset 11) min only, max absent',
    build: (r) =>
      unary(r, 'Clip', [], {
        opset: 11,
        nodeInputs: ['x', 'lo'],
        initializers: [floatTensor('lo', [], Float32Array.of(uniform(r, -1, 1)))],
      }),
  },
  {
    name: 'Clip (opset 11) max only (ReLU6 style)',
    build: (r) =>
      unary(r, 'Clip', [], { opset: 11, nodeInputs: ['x', '', 'six'], initializers: [floatTensor('six', [], Float32Array.of(2.5))] }),
  },
  {
    name: 'Clip (opset 6) min/max attributes',
    build: (r) => unary(r, 'Clip', [attr.float('min', 0), attr.float('max', uniform(r, 1, 3))], { opset: 6 }),
  },
  {
    name: 'PRelu per-channel slope [C,1,1]',
    build: (r) => {
      const x = nchw(r);
      return singleNode(r, {
        opType: 'PRelu',
        runtime: { x },
        nodeInputs: ['x', 'slope'],
        initializers: [weight(r, 'slope', [x[1]!, 1, 1])],
      });
    },
  },
  {
    name: 'PRelu shared slope [1]',
    build: (r) =>
      unary(r, 'PRelu', [], { nodeInputs: ['x', 'slope'], initializers: [floatTensor('slope', [1], randomFloat32(r, 1, 0, 0.5))] }),
  },
  {
    name: 'PRelu on [N,C] with slope [C]',
    build: (r) => {
      const ch = randomInt(r, 2, 8);
      return singleNode(r, {
        opType: 'PRelu',
        runtime: { x: [3, ch] },
        nodeInputs: ['x', 'slope'],
        initializers: [weight(r, 'slope', [ch])],
      });
    },
  },
];
