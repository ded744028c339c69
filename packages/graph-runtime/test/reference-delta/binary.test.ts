import { describe, expect, it } from 'vitest';
import { DeltaBuffer, createRng } from '@motiondelta/core';
import type { Rng, Shape, Tensor } from '@motiondelta/core';
import { dense, expectConsistent, kernels, maxAbsDiff, nextFrame, randomTensor } from './delta-harness.js';
import { broadcastShapes } from '../../src/shape/broadcast.js';

type Op = 'Add' | 'Sub' | 'Mul' | 'Div';

interface BinaryCase {
  readonly label: string;
  readonly op: Op;
  /** A shape is a varying operand; `const` marks a constant operand of that shape. */
  readonly a: Shape | { readonly const: Shape };
  readonly b: Shape | { readonly const: Shape };
  /** Operand value range; Div keeps its divisor away from 0. */
  readonly range?: readonly [number, number];
}

const CASES: readonly BinaryCase[] = [
  { label: 'squeeze-excite: [2,6,7,4] * [2,1,1,4]', op: 'Mul', a: [2, 6, 7, 4], b: [2, 1, 1, 4] },
  { label: 'product of two full tensors', op: 'Mul', a: [1, 5, 6, 3], b: [1, 5, 6, 3] },
  { label: 'quotient of two full tensors', op: 'Div', a: [1, 5, 6, 3], b: [1, 5, 6, 3], range: [0.5, 2] },
  { label: 'sum with a channel-broadcast operand [1,5,6,1]', op: 'Add', a: [1, 5, 6, 3], b: [1, 5, 6, 1] },
  { label: 'rows times columns: [1,1,6,3] * [1,5,1,3]', op: 'Mul', a: [1, 1, 6, 3], b: [1, 5, 1, 3] },
  { label: 'constant minus varying: [1,5,1,3] - [1,5,6,3]', op: 'Sub', a: { const: [1, 5, 1, 3] }, b: [1, 5, 6, 3] },
  { label: 'constant divided by varying', op: 'Div', a: { const: [3] }, b: [2, 4, 5, 3], range: [0.5, 2] },
  { label: 'varying over a batch-broadcast varying: [2,4,5,2] / [1,4,5,2]', op: 'Div', a: [2, 4, 5, 2], b: [1, 4, 5, 2], range: [0.5, 2] },
];

interface Operand {
  value: Tensor;
  readonly varying: boolean;
  readonly reference: Float32Array;
  readonly delta: DeltaBuffer | undefined;
}

function operand(rng: Rng, spec: BinaryCase['a'], range: readonly [number, number]): Operand {
  const varying = !('const' in spec);
  const shape = 'const' in spec ? spec.const : spec;
  const value = randomTensor(rng, shape, range[0], range[1]);
  return { value, varying, reference: Float32Array.from(value.data), delta: varying ? new DeltaBuffer(shape) : undefined };
}

/** Per frame, max |accumulated output - dense(current operands)| over 10 random sparse frames. */
function runSequence(c: BinaryCase, threshold: number, seed: number): number[] {
  const rng = createRng(seed);
  const range = c.range ?? [-1, 1];
  const a = operand(rng, c.a, range);
  const b = operand(rng, c.b, range);
  const outShape = broadcastShapes(c.op, a.value.shape, b.value.shape);
  const compute = (): Tensor => dense(c.op, {}, [a.value, b.value], outShape);
  const first = compute();
  const state = {
    accumulated: [Float32Array.from(a.value.data), Float32Array.from(b.value.data)] as const,
    emitted: Float32Array.from(first.data),
  };
  const output = Float32Array.from(first.data);
  const out = new DeltaBuffer(outShape);
  const errors: number[] = [];
  for (let frame = 0; frame < 10; frame++) {
    for (const o of [a, b]) {
      if (o.delta === undefined) continue;
      // A single-pixel operand (a gate) changes on some frames only; when it does, every output may.
      const pixels = o.delta.pixels;
      if (pixels > 2 || rng.next() < 0.4) o.value = clampTo(nextFrame(rng, o.value, frame, range[0], range[1]), range);
      kernels.sparsify(o.value, o.reference, 0, o.delta);
    }
    kernels.binary(c.op, a.delta ?? a.value, b.delta ?? b.value, state, threshold, out);
    expectConsistent(out);
    kernels.accumulate(out, output);
    errors.push(maxAbsDiff(output, compute().data));
  }
  return errors;
}

/** Keeps nudged values inside the operand's range (a divisor must stay away from 0). */
function clampTo(x: Tensor, range: readonly [number, number]): Tensor {
  for (let i = 0; i < x.data.length; i++) x.data[i] = Math.min(Math.max(x.data[i]!, range[0]), range[1]);
  return x;
}

describe('delta binary (non-linear elementwise)', () => {
  CASES.forEach((c, i) => {
    it(`at threshold 0 equals dense on every frame: ${c.label}`, () => {
      for (const error of runSequence(c, 0, 8000 + i)) expect(error).toBeLessThanOrEqual(1e-5);
    });

    it(`above threshold 0 stays within the threshold of dense on every frame: ${c.label}`, () => {
      const errors = runSequence(c, 0.05, 8100 + i);
      for (const error of errors) expect(error).toBeLessThanOrEqual(0.05 + 1e-5);
    });
  });

  it('recomputes only output pixels an active operand pixel reaches', () => {
    const a = new DeltaBuffer([1, 4, 5, 2]);
    const b = new DeltaBuffer([1, 4, 1, 2]);
    const state = {
      accumulated: [new Float32Array(40).fill(1), new Float32Array(8).fill(1)] as const,
      emitted: new Float32Array(40).fill(1),
    };
    const out = new DeltaBuffer([1, 4, 5, 2]);
    a.activate(7); // (1, 2)
    a.values[14] = 1;
    b.activate(3); // row 3, broadcast over its 5 columns
    b.values[7] = 2;
    kernels.binary('Mul', a, b, state, 0, out);
    expect(Array.from(out.active.subarray(0, out.count)).sort((x, y) => x - y)).toEqual([7, 15, 16, 17, 18, 19]);
    expect(Array.from(out.values.subarray(14, 16))).toEqual([1, 0]);
    expect(Array.from(out.values.subarray(30, 32))).toEqual([0, 2]);
  });

  it('delays a product change below the threshold and emits it once it accumulates past it', () => {
    const a = new DeltaBuffer([1, 2, 2, 1]);
    const gate = new DeltaBuffer([1, 1, 1, 1]);
    const state = {
      accumulated: [new Float32Array([1, 2, 3, 4]), new Float32Array([1])] as const,
      emitted: new Float32Array([1, 2, 3, 4]),
    };
    const out = new DeltaBuffer([1, 2, 2, 1]);
    const counts: number[] = [];
    for (let frame = 1; frame <= 3; frame++) {
      gate.clear();
      gate.activate(0);
      gate.values[0] = 0.125;
      kernels.binary('Mul', a, gate, state, 0.6, out);
      counts.push(out.count);
    }
    // Gate 1.125, 1.25, 1.375: x * gate moves by 0.125 * k * x after k frames. At 1.25, x = 3 and
    // x = 4 cross 0.6 (+0.75, +1); x = 2 (+0.5) waits and crosses at 1.375 (+0.75); x = 1 never does.
    expect(counts).toEqual([0, 2, 1]);
    expect(Array.from(state.emitted)).toEqual([1, 2.75, 3.75, 5]);
  });
});
