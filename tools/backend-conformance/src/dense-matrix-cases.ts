import type { GemmAttrs, Shape } from '@motiondelta/core';
import { denseCase } from './dense-case.js';
import { randomTensor } from './random-data.js';
import type { ConformanceCase } from './types.js';

/** MatMul: plain, batched, broadcast batch axes, vector operands, fused activation. */
const MATMULS: readonly { readonly a: Shape; readonly b: Shape; readonly out: Shape; readonly relu?: boolean }[] = [
  { a: [7, 9], b: [9, 5], out: [7, 5] },
  { a: [33, 64], b: [64, 17], out: [33, 17] },
  { a: [2, 3, 7, 9], b: [9, 5], out: [2, 3, 7, 5] },
  { a: [2, 1, 4, 6], b: [3, 6, 5], out: [2, 3, 4, 5] },
  { a: [9], b: [9, 5], out: [5] },
  { a: [7, 9], b: [9], out: [7] },
  { a: [1, 13, 17], b: [2, 17, 3], out: [2, 13, 3], relu: true },
];

const GEMMS: readonly { readonly m: number; readonly k: number; readonly n: number; readonly attrs: GemmAttrs; readonly c?: Shape }[] = [
  { m: 7, k: 9, n: 5, attrs: { alpha: 1, beta: 1, transA: false, transB: false }, c: [5] },
  { m: 7, k: 9, n: 5, attrs: { alpha: 0.5, beta: 2, transA: true, transB: false }, c: [7, 1] },
  { m: 7, k: 9, n: 5, attrs: { alpha: 1, beta: 0.25, transA: false, transB: true }, c: [7, 5] },
  { m: 2, k: 64, n: 33, attrs: { alpha: 1.5, beta: 1, transA: true, transB: true }, c: [] },
  { m: 3, k: 17, n: 10, attrs: { alpha: 1, beta: 1, transA: false, transB: true } },
  { m: 4, k: 9, n: 6, attrs: { alpha: 1, beta: 1, transA: false, transB: false, activation: { kind: 'relu' } }, c: [1, 6] },
  { m: 4, k: 9, n: 6, attrs: { alpha: 1, beta: 0, transA: false, transB: false, activation: { kind: 'sigmoid' } }, c: [6] },
];

export function matrixDenseCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const { a, b, out, relu } of MATMULS) {
    cases.push(
      denseCase('MatMul', `[${a.join(',')}] x [${b.join(',')}]${relu ? ' relu' : ''}`, (rng) => ({
        op: 'MatMul',
        attrs: relu ? { activation: { kind: 'relu' } } : {},
        inputs: [randomTensor(rng, a), randomTensor(rng, b)],
        outputShape: out,
      })),
    );
  }
  for (const { m, k, n, attrs, c } of GEMMS) {
    const label =
      `${m}x${k}x${n} alpha${attrs.alpha} beta${attrs.beta}${attrs.transA ? ' transA' : ''}${attrs.transB ? ' transB' : ''}` +
      `${c ? ` C[${c.join(',')}]` : ' noC'}${attrs.activation ? ` ${attrs.activation.kind}` : ''}`;
    cases.push(
      denseCase('Gemm', label, (rng) => ({
        op: 'Gemm',
        attrs,
        inputs: [
          randomTensor(rng, attrs.transA ? [k, m] : [m, k]),
          randomTensor(rng, attrs.transB ? [n, k] : [k, n]),
          c ? randomTensor(rng, c) : undefined,
        ],
        outputShape: [m, n],
      })),
    );
  }
  for (const { shape, axis } of [
    { shape: [2, 13, 5], axis: -1 },
    { shape: [2, 7, 3], axis: 1 },
    { shape: [1, 13, 17, 33], axis: 3 },
    { shape: [4, 1000], axis: 1 },
  ]) {
    cases.push(
      denseCase('Softmax', `axis${axis} [${shape.join(',')}]`, (rng) => ({
        op: 'Softmax',
        attrs: { axis },
        inputs: [randomTensor(rng, shape, -6, 6)],
        outputShape: shape,
      })),
    );
  }
  return cases;
}
