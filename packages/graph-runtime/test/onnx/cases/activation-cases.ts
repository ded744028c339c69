import { randomFloat32, randomInt, uniform, type Rng } from '@motiondelta/core';
import { attr, constantNode, floatTensor, type Attr } from '../helpers/onnx-builder.js';
import { singleNode, weight, type BuiltCase, type ConformanceCase, type SingleNodeSpec } from './case-helpers.js';

function nchw(rng: Rng): number[] {
  return [randomInt(rng, 1, 2), randomInt(rng, 1, 6), randomInt(rng, 2, 7), randomInt(rng, 2, 7)];
}

function unary(rng: Rng, opType: string, attrs: readonly Attr[] = [], extra: Partial<SingleNodeSpec> = {}): BuiltCase {
  return singleNode(rng, { opType, runtime: { x: nchw(rng) }, nodeInputs: ['x'], attrs, inputRange: [-4, 4], ...extra });
}

export const activationCases: ConformanceCase[] = [
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
