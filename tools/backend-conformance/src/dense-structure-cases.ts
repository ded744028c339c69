import { depthSpaceShape, reduceGeometry, sliceGeometry } from '@motiondelta/core';
import type { ReduceAttrs, ReduceKind, Shape, SliceAttrs } from '@motiondelta/core';
import { denseCase } from './dense-case.js';
import { randomTensor } from './random-data.js';
import type { ConformanceCase } from './types.js';

const X: Shape = [2, 13, 17, 5];
const KINDS: readonly ReduceKind[] = ['mean', 'max', 'min', 'sum', 'prod', 'l1', 'l2', 'sumSquare', 'logSum', 'logSumExp'];

/** Reductions: every kind over H,W (global pooling) and over channels; other axis sets and ranks on a few kinds. */
const REDUCES: readonly { readonly input: Shape; readonly attrs: ReduceAttrs }[] = [
  ...KINDS.flatMap((kind) => [
    { input: X, attrs: { kind, axes: [1, 2], keepDims: true } },
    { input: X, attrs: { kind, axes: [-1], keepDims: false } },
  ]),
  { input: X, attrs: { kind: 'mean', axes: [0, 3], keepDims: true } },
  { input: X, attrs: { kind: 'max', axes: [2], keepDims: false } },
  { input: X, attrs: { kind: 'sum', axes: [0, 1, 2, 3], keepDims: false } },
  { input: [1, 8, 8, 33], attrs: { kind: 'logSumExp', axes: [3, 1], keepDims: true } },
  { input: [7, 9], attrs: { kind: 'l2', axes: [0], keepDims: true } },
  { input: [3, 4, 5], attrs: { kind: 'min', axes: [], keepDims: true } },
  { input: [2, 0, 3], attrs: { kind: 'prod', axes: [1], keepDims: false } },
];

/** Slices: spatial crops, channel ranges, strides, negative steps and indices, clamped ends, other ranks. */
const SLICES: readonly { readonly input: Shape; readonly attrs: SliceAttrs }[] = [
  { input: X, attrs: { starts: [1, 2], ends: [12, 15], axes: [1, 2], steps: [1, 1] } },
  { input: X, attrs: { starts: [1], ends: [4], axes: [3], steps: [1] } },
  { input: X, attrs: { starts: [0, 1], ends: [1e9, 1e9], axes: [1, 2], steps: [2, 3] } },
  { input: X, attrs: { starts: [-1, -2], ends: [-1e9, 0], axes: [1, 3], steps: [-1, -2] } },
  { input: X, attrs: { starts: [-5, 3], ends: [-1, 100], axes: [-3, -2], steps: [1, 4] } },
  { input: X, attrs: { starts: [1], ends: [2], axes: [0], steps: [1] } },
  { input: X, attrs: { starts: [5], ends: [5], axes: [2], steps: [1] } },
  { input: [7, 9], attrs: { starts: [2, -3], ends: [7, 9], axes: [0, 1], steps: [2, 1] } },
  { input: [1, 8, 8, 33], attrs: { starts: [16], ends: [33], axes: [3], steps: [1] } },
];

const DEPTH_SPACE: readonly {
  readonly input: Shape;
  readonly op: 'DepthToSpace' | 'SpaceToDepth';
  readonly b: number;
  readonly mode: 'DCR' | 'CRD';
}[] = [
  { input: [2, 5, 7, 12], op: 'DepthToSpace', b: 2, mode: 'DCR' },
  { input: [2, 5, 7, 12], op: 'DepthToSpace', b: 2, mode: 'CRD' },
  { input: [1, 4, 3, 27], op: 'DepthToSpace', b: 3, mode: 'CRD' },
  { input: [1, 4, 3, 5], op: 'DepthToSpace', b: 1, mode: 'DCR' },
  { input: [2, 12, 16, 5], op: 'SpaceToDepth', b: 2, mode: 'DCR' },
  { input: [1, 9, 6, 3], op: 'SpaceToDepth', b: 3, mode: 'DCR' },
];

/** Dense cases of the structural ops: Reduce, Slice, DepthToSpace, SpaceToDepth, Max and Min. */
export function structureDenseCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const { input, attrs } of REDUCES) {
    const out = reduceGeometry('Reduce', input, attrs).outShape;
    const label = `${attrs.kind} axes[${attrs.axes.join(',')}]${attrs.keepDims ? ' keep' : ''} [${input.join(',')}]`;
    cases.push(
      denseCase('Reduce', label, (rng) => ({
        op: 'Reduce',
        attrs,
        // prod stays near 1 in magnitude and logSum's sums positive; logSumExp sees a wide range.
        inputs: [attrs.kind === 'prod' || attrs.kind === 'logSum' ? randomTensor(rng, input, 0.8, 1.2) : randomTensor(rng, input, -4, 4)],
        outputShape: out,
      })),
    );
  }
  for (const { input, attrs } of SLICES) {
    const out = sliceGeometry('Slice', input, attrs).outShape;
    const label = `s[${attrs.starts.join(',')}] e[${attrs.ends.join(',')}] a[${attrs.axes.join(',')}] st[${attrs.steps.join(',')}] [${input.join(',')}]`;
    cases.push(denseCase('Slice', label, (rng) => ({ op: 'Slice', attrs, inputs: [randomTensor(rng, input)], outputShape: out })));
  }
  for (const { input, op, b, mode } of DEPTH_SPACE) {
    const out = depthSpaceShape(op, input, b, op === 'DepthToSpace');
    const label = `b${b}${op === 'DepthToSpace' ? ` ${mode}` : ''} [${input.join(',')}]`;
    cases.push(
      denseCase(op, label, (rng) =>
        op === 'DepthToSpace'
          ? { op, attrs: { blockSize: b, mode }, inputs: [randomTensor(rng, input)], outputShape: out }
          : { op, attrs: { blockSize: b }, inputs: [randomTensor(rng, input)], outputShape: out },
      ),
    );
  }
  const binaries: readonly { readonly a: Shape; readonly b: Shape; readonly out: Shape }[] = [
    { a: X, b: X, out: X },
    { a: X, b: [5], out: X },
    { a: [2, 1, 17, 5], b: [13, 1, 1], out: X },
    { a: [7, 9], b: [], out: [7, 9] },
  ];
  for (const op of ['Max', 'Min'] as const) {
    for (const { a, b, out } of binaries) {
      cases.push(
        denseCase(op, `[${a.join(',')}] ${op.toLowerCase()} [${b.join(',')}]`, (rng) => ({
          op,
          attrs: {},
          inputs: [randomTensor(rng, a), randomTensor(rng, b)],
          outputShape: out,
        })),
      );
    }
    cases.push(
      denseCase(op, `[${X.join(',')}] ${op.toLowerCase()} [${X.join(',')}] relu`, (rng) => ({
        op,
        attrs: { activation: { kind: 'relu' } },
        inputs: [randomTensor(rng, X), randomTensor(rng, X)],
        outputShape: X,
      })),
    );
  }
  return cases;
}
