import type { DenseKernelCall, Rng, Shape, Tensor } from '@motiondelta/core';
import { namedActivations } from './activation-specs.js';
import { denseCase } from './dense-case.js';
import { awayFromZero, randomTensor } from './random-data.js';
import { broadcastShape } from './shapes.js';
import type { ConformanceCase } from './types.js';

type BinaryOp = 'Add' | 'Sub' | 'Mul' | 'Div';

/** Operand shape pairs: equal, per channel, rank-mismatched, both sides broadcasting, scalar, matrices. */
const BROADCASTS: readonly (readonly [Shape, Shape])[] = [
  [
    [2, 13, 17, 5],
    [2, 13, 17, 5],
  ],
  [[2, 13, 17, 5], [5]],
  [
    [2, 13, 17, 5],
    [1, 1, 1, 5],
  ],
  [
    [2, 13, 17, 33],
    [2, 1, 1, 33],
  ],
  [
    [1, 1, 1, 5],
    [2, 13, 17, 5],
  ],
  [
    [2, 13, 17, 1],
    [1, 1, 1, 5],
  ],
  [[2, 13, 17, 3], []],
  [
    [1, 13, 1, 3],
    [1, 1, 17, 1],
  ],
  [
    [7, 1],
    [1, 9],
  ],
];

function operand(rng: Rng, shape: Shape, divisor: boolean): Tensor {
  if (!divisor) return randomTensor(rng, shape);
  const n = shape.reduce((a, b) => a * b, 1);
  return { data: awayFromZero(rng, n, 0.5, 2), shape };
}

function binaryCase(op: BinaryOp, a: Shape, b: Shape, activation?: ReturnType<typeof namedActivations>[number]): ConformanceCase {
  const label = `[${a.join(',')}] ${op} [${b.join(',')}]${activation ? ` ${activation.label}` : ''}`;
  return denseCase(op, label, (rng): DenseKernelCall => {
    const attrs = activation ? { activation: activation.spec } : {};
    return { op, attrs, inputs: [operand(rng, a, false), operand(rng, b, op === 'Div')], outputShape: broadcastShape(a, b) };
  });
}

export function elementwiseDenseCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const { label, spec } of namedActivations(5)) {
    cases.push(
      denseCase('Activation', `${label} [2,13,17,5]`, (rng) => ({
        op: 'Activation',
        attrs: { activation: spec },
        inputs: [randomTensor(rng, [2, 13, 17, 5], -8, 8)],
        outputShape: [2, 13, 17, 5],
      })),
    );
  }
  for (const { label, spec } of namedActivations(33).filter((a) => a.label === 'prelu-per-channel' || a.label === 'hardSwish')) {
    cases.push(
      denseCase('Activation', `${label} [7,33]`, (rng) => ({
        op: 'Activation',
        attrs: { activation: spec },
        inputs: [randomTensor(rng, [7, 33], -8, 8)],
        outputShape: [7, 33],
      })),
    );
  }
  for (const shape of [
    [2, 13, 17, 17],
    [1, 13, 17, 1],
  ] as const) {
    const c = shape[3];
    cases.push(
      denseCase('BatchNorm', `eps1e-3 [${shape.join(',')}]`, (rng) => ({
        op: 'BatchNorm',
        attrs: { epsilon: 1e-3 },
        inputs: [
          randomTensor(rng, shape),
          randomTensor(rng, [c], 0.5, 1.5),
          randomTensor(rng, [c]),
          randomTensor(rng, [c]),
          randomTensor(rng, [c], 0.1, 2),
        ],
        outputShape: [...shape],
      })),
    );
  }
  for (const op of ['Add', 'Sub', 'Mul', 'Div'] as const) {
    for (const [a, b] of BROADCASTS) cases.push(binaryCase(op, a, b));
  }
  // Fused activations on binary ops (a residual Add + ReLU, a Mul + clip).
  const acts = namedActivations(5);
  cases.push(
    binaryCase(
      'Add',
      [2, 13, 17, 5],
      [2, 13, 17, 5],
      acts.find((a) => a.label === 'relu'),
    ),
  );
  cases.push(
    binaryCase(
      'Mul',
      [2, 13, 17, 5],
      [5],
      acts.find((a) => a.label === 'clip[0,6]'),
    ),
  );
  cases.push(
    binaryCase(
      'Sub',
      [2, 13, 17, 5],
      [1, 1, 1, 5],
      acts.find((a) => a.label === 'prelu-per-channel'),
    ),
  );
  return cases;
}
