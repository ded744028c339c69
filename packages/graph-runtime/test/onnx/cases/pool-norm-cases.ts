import { randomFloat32, randomInt, type Rng } from '@motiondelta/core';
import { attr, floatTensor, type Attr } from '../helpers/onnx-builder.js';
import { oddInt, singleNode, weight, type BuiltCase, type ConformanceCase } from './case-helpers.js';

function pool(rng: Rng, opType: 'MaxPool' | 'AveragePool', h: number, w: number, attrs: readonly Attr[]): BuiltCase {
  return singleNode(rng, { opType, runtime: { x: [randomInt(rng, 1, 2), randomInt(rng, 1, 5), h, w] }, nodeInputs: ['x'], attrs });
}

const k = (kh: number, kw: number): Attr => attr.ints('kernel_shape', [kh, kw]);
const s2 = attr.ints('strides', [2, 2]);
const p1 = attr.ints('pads', [1, 1, 1, 1]);
const ceil = attr.int('ceil_mode', 1);
const countPad = attr.int('count_include_pad', 1);

export const poolCases: ConformanceCase[] = [
  {
    name: 'MaxPool 3x3 stride 2 pad 1 on odd input',
    build: (r) => pool(r, 'MaxPool', oddInt(r, 7, 13), oddInt(r, 7, 13), [k(3, 3), s2, p1]),
  },
  {
    name: 'MaxPool 2x2 stride 2 ceil_mode on odd input',
    build: (r) => pool(r, 'MaxPool', oddInt(r, 5, 11), oddInt(r, 5, 11), [k(2, 2), s2, ceil]),
  },
  {
    name: 'MaxPool 3x3 stride 2 pad 1 ceil_mode',
    build: (r) => pool(r, 'MaxPool', randomInt(r, 6, 12), randomInt(r, 6, 12), [k(3, 3), s2, p1, ceil]),
  },
  {
    name: 'MaxPool auto_pad SAME_UPPER stride 2',
    build: (r) => pool(r, 'MaxPool', oddInt(r, 5, 11), randomInt(r, 5, 10), [k(3, 3), s2, attr.string('auto_pad', 'SAME_UPPER')]),
  },
  {
    name: 'MaxPool 1x3 stride [1,2] asymmetric pads',
    build: (r) =>
      pool(r, 'MaxPool', randomInt(r, 4, 8), oddInt(r, 5, 11), [k(1, 3), attr.ints('strides', [1, 2]), attr.ints('pads', [0, 1, 0, 0])]),
  },
  {
    name: 'AveragePool 3x3 pad 1 excluding pad',
    build: (r) => pool(r, 'AveragePool', randomInt(r, 4, 9), randomInt(r, 4, 9), [k(3, 3), p1]),
  },
  {
    name: 'AveragePool 3x3 pad 1 count_include_pad',
    build: (r) => pool(r, 'AveragePool', randomInt(r, 4, 9), randomInt(r, 4, 9), [k(3, 3), p1, countPad]),
  },
  {
    name: 'AveragePool 3x3 stride 2 ceil_mode on odd input',
    build: (r) => pool(r, 'AveragePool', oddInt(r, 7, 11), randomInt(r, 6, 10), [k(3, 3), s2, ceil]),
  },
  {
    name: 'AveragePool 3x3 stride 2 pad 1 ceil_mode count_include_pad',
    build: (r) => pool(r, 'AveragePool', randomInt(r, 6, 11), randomInt(r, 6, 11), [k(3, 3), s2, p1, ceil, countPad]),
  },
  {
    name: 'AveragePool 2x2 auto_pad SAME_UPPER stride 2',
    build: (r) => pool(r, 'AveragePool', oddInt(r, 5, 9), oddInt(r, 5, 9), [k(2, 2), s2, attr.string('auto_pad', 'SAME_UPPER')]),
  },
  {
    name: 'AveragePool 3x3 auto_pad SAME_LOWER stride 2',
    build: (r) => pool(r, 'AveragePool', randomInt(r, 5, 9), oddInt(r, 5, 9), [k(3, 3), s2, attr.string('auto_pad', 'SAME_LOWER')]),
  },
  {
    name: 'AveragePool 2x3 auto_pad VALID',
    build: (r) => pool(r, 'AveragePool', randomInt(r, 5, 9), randomInt(r, 5, 9), [k(2, 3), attr.string('auto_pad', 'VALID')]),
  },
  {
    name: 'GlobalAveragePool',
    build: (r) =>
      singleNode(r, {
        opType: 'GlobalAveragePool',
        runtime: { x: [randomInt(r, 1, 2), randomInt(r, 2, 7), oddInt(r, 3, 9), randomInt(r, 2, 8)] },
        nodeInputs: ['x'],
      }),
  },
  {
    name: 'BatchNormalization on NCHW',
    build: (r) => {
      const ch = randomInt(r, 2, 7);
      return singleNode(r, {
        opType: 'BatchNormalization',
        runtime: { x: [randomInt(r, 1, 2), ch, randomInt(r, 3, 7), randomInt(r, 3, 7)] },
        nodeInputs: ['x', 'scale', 'bias', 'mean', 'var'],
        initializers: [weight(r, 'scale', [ch], 0.5, 2), weight(r, 'bias', [ch]), weight(r, 'mean', [ch]), weight(r, 'var', [ch], 0.1, 2)],
        attrs: [attr.float('epsilon', 1e-3)],
      });
    },
  },
  {
    name: 'BatchNormalization on [N,C]',
    build: (r) => {
      const ch = randomInt(r, 2, 9);
      return singleNode(r, {
        opType: 'BatchNormalization',
        runtime: { x: [randomInt(r, 1, 4), ch] },
        nodeInputs: ['x', 'scale', 'bias', 'mean', 'var'],
        initializers: [
          weight(r, 'scale', [ch], 0.5, 2),
          weight(r, 'bias', [ch]),
          weight(r, 'mean', [ch]),
          floatTensor('var', [ch], randomFloat32(r, ch, 0.1, 2)),
        ],
      });
    },
  },
];
