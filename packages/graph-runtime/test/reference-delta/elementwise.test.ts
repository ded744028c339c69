import { describe, expect, it } from 'vitest';
import { DeltaBuffer, createRng } from '@motiondelta/core';
import type { Rng, Shape, Tensor } from '@motiondelta/core';
import { PATTERNS, changeAt, changedPixels, checkLinear, kernels, randomTensor } from './delta-harness.js';

function varying(rng: Rng, shape: Shape, pattern: (typeof PATTERNS)[number]): { x0: Tensor; x1: Tensor } {
  const x0 = randomTensor(rng, shape);
  return { x0, x1: changeAt(rng, x0, changedPixels(rng, shape, pattern)) };
}

describe('linear delta: Concat', () => {
  it('takes the union of masks with zeros for inactive inputs (constant inputs never change)', () => {
    const rng = createRng(5000);
    for (const axis of [3, -1]) {
      for (const pattern of PATTERNS) {
        const constant = randomTensor(rng, [2, 5, 6, 2]);
        checkLinear(
          'Concat',
          { axis },
          [varying(rng, [2, 5, 6, 3], pattern), constant, varying(rng, [2, 5, 6, 4], 'single')],
          [2, 5, 6, 9],
          1,
        );
      }
    }
  });
});

describe('linear delta: Add and Sub', () => {
  const shape = [2, 5, 6, 3] as const;
  for (const op of ['Add', 'Sub'] as const) {
    it(`${op} of two varying operands is the union of a ${op === 'Add' ? '+' : '-'} b`, () => {
      const rng = createRng(op === 'Add' ? 5100 : 5101);
      for (const pattern of PATTERNS) checkLinear(op, {}, [varying(rng, shape, pattern), varying(rng, shape, 'borders')], shape, 1);
    });

    it(`${op} with a constant operand passes the delta through (negated for constant - x)`, () => {
      const rng = createRng(op === 'Add' ? 5110 : 5111);
      for (const pattern of PATTERNS) {
        for (const constShape of [[1, 1, 1, 3], [2, 5, 6, 3], [3], [1]] as const) {
          const constant = randomTensor(rng, constShape);
          checkLinear(op, {}, [varying(rng, shape, pattern), constant], shape, 1);
          checkLinear(op, {}, [constant, varying(rng, shape, pattern)], shape, 1);
        }
      }
    });
  }
});

describe('linear delta: Mul and Div by a constant', () => {
  const shape = [2, 4, 5, 3] as const;
  const constShapes: readonly Shape[] = [[3], [1, 1, 1, 3], [1, 4, 5, 1], [2, 1, 5, 3], [1], [2, 4, 5, 3]];
  it('Mul scales per channel, per pixel, by a scalar, in either operand order', () => {
    const rng = createRng(5200);
    for (const pattern of PATTERNS) {
      for (const constShape of constShapes) {
        const constant = randomTensor(rng, constShape, -2, 2);
        checkLinear('Mul', {}, [varying(rng, shape, pattern), constant], shape, 1);
        checkLinear('Mul', {}, [constant, varying(rng, shape, pattern)], shape, 1);
      }
    }
  });

  it('Div divides by the constant divisor', () => {
    const rng = createRng(5201);
    for (const pattern of PATTERNS) {
      for (const constShape of constShapes) {
        const divisor = randomTensor(rng, constShape, 0.5, 2);
        checkLinear('Div', {}, [varying(rng, shape, pattern), divisor], shape, 1);
      }
    }
  });
});

describe('linear delta: BatchNorm and Identity', () => {
  it('BatchNorm applies only its scale', () => {
    const rng = createRng(5300);
    const shape = [2, 5, 4, 3] as const;
    for (const pattern of PATTERNS) {
      const params = [randomTensor(rng, [3]), randomTensor(rng, [3]), randomTensor(rng, [3]), randomTensor(rng, [3], 0.1, 2)];
      checkLinear('BatchNorm', { epsilon: 1e-3 }, [varying(rng, shape, pattern), ...params], shape, 1);
    }
  });

  it('Identity copies the delta', () => {
    const rng = createRng(5301);
    const shape = [1, 6, 5, 2] as const;
    for (const pattern of PATTERNS) checkLinear('Identity', {}, [varying(rng, shape, pattern)], shape, 1);
  });
});

describe('sparsify and accumulate', () => {
  it('delays a sub-threshold change until it adds up, and accumulate rebuilds the input', () => {
    const shape = [1, 2, 3, 2] as const;
    const x = { data: new Float32Array(12), shape };
    const reference = new Float32Array(12);
    const target = new Float32Array(12);
    const d = new DeltaBuffer(shape);
    const counts: number[] = [];
    for (let frame = 1; frame <= 4; frame++) {
      x.data[4 * 2 + 1] = 0.25 * frame;
      kernels.sparsify(x, reference, 0.6, d);
      kernels.accumulate(d, target);
      counts.push(d.count);
    }
    // 0.25 and 0.5 stay below 0.6; 0.75 crosses and is emitted whole; then 1.0 - 0.75 waits again.
    expect(counts).toEqual([0, 0, 1, 0]);
    expect(reference[9]).toBe(0.75);
    expect(target[9]).toBe(0.75);
    expect(Array.from(target).filter((v, i) => i !== 9 && v !== 0)).toEqual([]);
  });

  it('at threshold 0 marks exactly the changed pixels', () => {
    const rng = createRng(5400);
    const shape = [2, 4, 5, 3] as const;
    const x0 = randomTensor(rng, shape);
    const changed = changedPixels(rng, shape, 'scattered');
    const x1 = changeAt(rng, x0, changed);
    const d = new DeltaBuffer(shape);
    const reference = Float32Array.from(x0.data);
    kernels.sparsify(x1, reference, 0, d);
    expect(Array.from(d.active.subarray(0, d.count)).sort((a, b) => a - b)).toEqual([...changed].sort((a, b) => a - b));
    expect(reference).toEqual(x1.data);
    const rebuilt = Float32Array.from(x0.data);
    kernels.accumulate(d, rebuilt);
    for (let i = 0; i < rebuilt.length; i++) expect(Math.abs(rebuilt[i]! - x1.data[i]!)).toBeLessThanOrEqual(1e-6);
  });
});
