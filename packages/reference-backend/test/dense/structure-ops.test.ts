import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError, createRng, randomInt, reduceGeometry, sliceGeometry } from '@motiondelta/core';
import type { ReduceKind, Tensor } from '@motiondelta/core';
import { expectClose, fromTf, randomTensor, run, tf, toTf, useTfCpu } from './tf-oracle.js';

/** TF's reduction for each kind (l1/l2/sumSquare/logSumExp composed from elementwise ops). */
function tfReduce(x: tf.Tensor, kind: ReduceKind, axes: number[], keepDims: boolean): tf.Tensor {
  switch (kind) {
    case 'mean':
      return tf.mean(x, axes, keepDims);
    case 'max':
      return tf.max(x, axes, keepDims);
    case 'min':
      return tf.min(x, axes, keepDims);
    case 'sum':
      return tf.sum(x, axes, keepDims);
    case 'prod':
      return tf.prod(x, axes, keepDims);
    case 'l1':
      return tf.sum(tf.abs(x), axes, keepDims);
    case 'l2':
      return tf.sqrt(tf.sum(tf.square(x), axes, keepDims));
    case 'sumSquare':
      return tf.sum(tf.square(x), axes, keepDims);
    case 'logSum':
      return tf.log(tf.sum(x, axes, keepDims));
    case 'logSumExp':
      return tf.logSumExp(x, axes, keepDims);
  }
}

const KINDS: readonly ReduceKind[] = ['mean', 'max', 'min', 'sum', 'prod', 'l1', 'l2', 'sumSquare', 'logSum', 'logSumExp'];

describe('Reduce (reference) against tfjs', () => {
  beforeAll(useTfCpu);

  it('matches every kind on random axis sets of ranks 1 to 4, with and without keepDims', () => {
    const rng = createRng(2101);
    for (let i = 0; i < 60; i++) {
      const rank = randomInt(rng, 1, 4);
      const shape = Array.from({ length: rank }, () => randomInt(rng, 1, 5));
      const axes = Array.from({ length: rank }, (_, a) => a).filter(() => rng.next() < 0.5);
      if (axes.length === 0) axes.push(rank - 1);
      const signed = axes.map((a) => (rng.next() < 0.3 ? a - rank : a));
      const kind = KINDS[i % KINDS.length]!;
      const keepDims = rng.next() < 0.5;
      const positive = kind === 'prod' || kind === 'logSum';
      const x = randomTensor(rng, shape, positive ? 0.5 : -3, positive ? 1.5 : 3);
      const expected = fromTf(tf.tidy(() => tfReduce(toTf(x), kind, axes, keepDims)));
      const attrs = { kind, axes: signed, keepDims };
      const actual = run({ op: 'Reduce', attrs, inputs: [x], outputShape: reduceGeometry('Reduce', shape, attrs).outShape });
      expect(actual.shape).toEqual(keepDims ? shape.map((d, a) => (axes.includes(a) ? 1 : d)) : expected.shape);
      expectClose({ data: actual.data, shape: expected.shape }, expected, `${kind} over [${signed.join(',')}] of [${shape.join(',')}]`);
    }
  });

  it('gives the identity of the reduction over an empty axis, and each element alone over no axes', () => {
    const empty: Tensor = { data: new Float32Array(0), shape: [2, 0] };
    const over = (kind: ReduceKind): number[] => [
      ...run({ op: 'Reduce', attrs: { kind, axes: [1], keepDims: false }, inputs: [empty], outputShape: [2] }).data,
    ];
    expect(over('sum')).toEqual([0, 0]);
    expect(over('prod')).toEqual([1, 1]);
    expect(over('max')).toEqual([-Infinity, -Infinity]);
    expect(over('min')).toEqual([Infinity, Infinity]);
    expect(over('logSumExp')).toEqual([-Infinity, -Infinity]);
    expect(over('logSum')).toEqual([-Infinity, -Infinity]);
    expect(over('mean').every(Number.isNaN)).toBe(true);
    const x: Tensor = { data: Float32Array.of(-2, 3), shape: [2] };
    const alone = (kind: ReduceKind): number[] => [
      ...run({ op: 'Reduce', attrs: { kind, axes: [], keepDims: true }, inputs: [x], outputShape: [2] }).data,
    ];
    expect(alone('sumSquare')).toEqual([4, 9]);
    expect(alone('l2')).toEqual([2, 3]);
    expect(alone('max')).toEqual([-2, 3]);
  });

  it('keeps logSumExp finite for large values and propagates NaN through max', () => {
    const x: Tensor = { data: Float32Array.of(1000, 1000, Number.NaN, 1), shape: [2, 2] };
    const lse = run({ op: 'Reduce', attrs: { kind: 'logSumExp', axes: [1], keepDims: false }, inputs: [x], outputShape: [2] });
    expect(lse.data[0]).toBeCloseTo(1000 + Math.log(2), 3);
    const max = run({ op: 'Reduce', attrs: { kind: 'max', axes: [1], keepDims: false }, inputs: [x], outputShape: [2] });
    expect(Number.isNaN(max.data[1])).toBe(true);
  });

  it('rejects axes out of range or repeated, naming them', () => {
    const x = randomTensor(createRng(2102), [2, 3]);
    const call = (axes: number[]) => () =>
      run({ op: 'Reduce', attrs: { kind: 'sum', axes, keepDims: true }, inputs: [x], outputShape: [1, 1] });
    expect(call([2])).toThrow(ShapeError);
    expect(call([2])).toThrow(/axis 2 is out of range .* accepted: -2\.\.1/);
    expect(call([1, -1])).toThrow(/listed twice/);
  });
});

/** The indices `range(dim)[start:end:step]` picks in Python (PySlice_AdjustIndices). */
function pythonRange(dim: number, start: number, end: number, step: number): number[] {
  const adjust = (v: number): number => {
    if (v < 0) {
      v += dim;
      return v < 0 ? (step < 0 ? -1 : 0) : v;
    }
    return v >= dim ? (step < 0 ? dim - 1 : dim) : v;
  };
  const out: number[] = [];
  for (let i = adjust(start), e = adjust(end); step > 0 ? i < e : i > e; i += step) out.push(i);
  return out;
}

/** The elements of `x` at every combination of the per-axis indices `picks`, in order. */
function gather(x: Tensor, picks: readonly number[][]): Tensor {
  const shape = picks.map((p) => p.length);
  const strides = x.shape.map((_, a) => x.shape.slice(a + 1).reduce((p, d) => p * d, 1));
  let offsets = [0];
  picks.forEach((p, a) => (offsets = offsets.flatMap((o) => p.map((i) => o + i * strides[a]!))));
  return { data: Float32Array.from(offsets, (o) => x.data[o]!), shape };
}

describe('Slice (reference)', () => {
  it('matches an element-by-element Python slice for random starts, ends and steps (negative and out of range included)', () => {
    const rng = createRng(2103);
    for (let i = 0; i < 60; i++) {
      const rank = randomInt(rng, 1, 4);
      const shape = Array.from({ length: rank }, () => randomInt(rng, 1, 7));
      const axes = Array.from({ length: rank }, (_, a) => a).filter(() => rng.next() < 0.6);
      const starts = axes.map((a) => randomInt(rng, -shape[a]! - 2, shape[a]! + 2));
      const ends = axes.map((a) => randomInt(rng, -shape[a]! - 2, shape[a]! + 2));
      const steps = axes.map(() => randomInt(rng, 1, 3) * (rng.next() < 0.4 ? -1 : 1));
      const attrs = { starts, ends, axes, steps };
      const out = sliceGeometry('Slice', shape, attrs).outShape;
      const x = randomTensor(rng, shape);
      const actual = run({ op: 'Slice', attrs, inputs: [x], outputShape: out });
      // The same slice element by element, with Python's clamping rules (which ONNX follows).
      const picks = shape.map((d, a) =>
        axes.includes(a) ? pythonRange(d, starts[axes.indexOf(a)]!, ends[axes.indexOf(a)]!, steps[axes.indexOf(a)]!) : [...Array(d).keys()],
      );
      const expected = gather(x, picks);
      expect(actual.shape, `slice ${JSON.stringify(attrs)} of [${shape.join(',')}]`).toEqual(expected.shape);
      expectClose(actual, expected, `slice ${JSON.stringify(attrs)} of [${shape.join(',')}]`);
    }
  });

  it('takes huge ends as "to the end" and rejects a zero step or mismatched lists', () => {
    const x: Tensor = { data: Float32Array.of(0, 1, 2, 3, 4), shape: [5] };
    const whole = (starts: number[], ends: number[], steps: number[]) =>
      run({
        op: 'Slice',
        attrs: { starts, ends, axes: [0], steps },
        inputs: [x],
        outputShape: [...sliceGeometry('Slice', [5], { starts, ends, axes: [0], steps }).outShape],
      });
    expect([...whole([1], [9.2e18], [2]).data]).toEqual([1, 3]);
    expect([...whole([-1], [-9.2e18], [-1]).data]).toEqual([4, 3, 2, 1, 0]);
    expect(() => sliceGeometry('Slice', [5], { starts: [0], ends: [5], axes: [0], steps: [0] })).toThrow(/non-zero/);
    expect(() => sliceGeometry('Slice', [5], { starts: [0, 1], ends: [5], axes: [0], steps: [1] })).toThrow(ShapeError);
  });
});

describe('DepthToSpace and SpaceToDepth (reference)', () => {
  beforeAll(useTfCpu);

  it('DCR matches tf.depthToSpace, SpaceToDepth inverts it, and CRD follows its index formula', () => {
    const rng = createRng(2104);
    for (const [b, shape] of [
      [2, [2, 3, 4, 8]],
      [3, [1, 2, 2, 18]],
    ] as const) {
      const x = randomTensor(rng, shape);
      const outShape = [shape[0], shape[1] * b, shape[2] * b, shape[3] / (b * b)];
      const expected = fromTf(tf.tidy(() => tf.depthToSpace(toTf(x) as tf.Tensor4D, b, 'NHWC')));
      const dcr = run({ op: 'DepthToSpace', attrs: { blockSize: b, mode: 'DCR' }, inputs: [x], outputShape: outShape });
      expectClose(dcr, expected, `DCR b${b}`);
      const back = run({ op: 'SpaceToDepth', attrs: { blockSize: b }, inputs: [dcr], outputShape: [...shape] });
      expect([...back.data]).toEqual([...x.data]);
      const crd = run({ op: 'DepthToSpace', attrs: { blockSize: b, mode: 'CRD' }, inputs: [x], outputShape: outShape });
      const c = shape[3] / (b * b);
      const at = (n: number, h: number, w: number, k: number) => x.data[((n * shape[1] + h) * shape[2] + w) * shape[3] + k]!;
      for (let h = 0; h < outShape[1]!; h++) {
        for (let w = 0; w < outShape[2]!; w++) {
          for (let ch = 0; ch < c; ch++) {
            const want = at(1 % shape[0], Math.floor(h / b), Math.floor(w / b), ch * b * b + (h % b) * b + (w % b));
            expect(crd.data[(((1 % shape[0]) * outShape[1]! + h) * outShape[2]! + w) * c + ch]).toBe(want);
          }
        }
      }
    }
  });

  it('rejects channels or sizes the block does not divide', () => {
    const x = randomTensor(createRng(2105), [1, 3, 4, 6]);
    expect(() => run({ op: 'DepthToSpace', attrs: { blockSize: 2, mode: 'DCR' }, inputs: [x], outputShape: [1, 6, 8, 1] })).toThrow(
      /6 channels .* not divisible by blockSize\^2 = 4/,
    );
    expect(() => run({ op: 'SpaceToDepth', attrs: { blockSize: 2 }, inputs: [x], outputShape: [1, 1, 2, 24] })).toThrow(
      /divisible by the block size 2/,
    );
  });
});

describe('Max and Min (reference) against tfjs', () => {
  beforeAll(useTfCpu);

  it('match tf.maximum and tf.minimum with broadcasting', () => {
    const rng = createRng(2106);
    for (const [a, b] of [
      [[2, 3, 4, 5], [5]],
      [
        [2, 1, 4, 5],
        [3, 1, 1],
      ],
      [[4], []],
    ] as const) {
      const x = randomTensor(rng, a);
      const y = randomTensor(rng, b);
      for (const op of ['Max', 'Min'] as const) {
        const expected = fromTf(tf.tidy(() => (op === 'Max' ? tf.maximum(toTf(x), toTf(y)) : tf.minimum(toTf(x), toTf(y)))));
        const actual = run({ op, attrs: {}, inputs: [x, y], outputShape: expected.shape });
        expectClose(actual, expected, `${op} [${a.join(',')}] [${b.join(',')}]`);
      }
    }
  });
});
