import { describe, expect, it } from 'vitest';
import { OP_NAMES, ShapeError, UnsupportedOpError, createRng } from '@motiondelta/core';
import type { DenseKernelCall, OpCall } from '@motiondelta/core';
import { ReferenceBackend } from '../../src/index.js';
import { randomTensor } from './tf-oracle.js';

const convAttrs = {
  kernel: [3, 3],
  strides: [1, 1],
  dilations: [1, 1],
  pads: [1, 1, 1, 1],
  autoPad: 'explicit',
  groups: 1,
} as const;

describe('ReferenceBackend', () => {
  const backend = new ReferenceBackend();

  it("is named 'reference' and supports every op of the IR", () => {
    expect(backend.id).toBe('reference');
    for (const op of OP_NAMES) {
      expect(backend.supports({ op, attrs: {} } as unknown as OpCall), op).toBe(true);
    }
  });

  it('throws UnsupportedOpError for an op outside the IR (a call built by untyped code)', () => {
    const call = { op: 'Gelu', attrs: {}, inputs: [], outputShape: [] } as unknown as DenseKernelCall;
    expect(() => backend.runDense(call)).toThrow(UnsupportedOpError);
  });

  it('throws ShapeError naming the op for a wrong planned shape, a missing input or a bad weight', () => {
    const rng = createRng(1801);
    const x = randomTensor(rng, [1, 6, 6, 4]);
    const w = randomTensor(rng, [3, 3, 4, 8]);
    expect(() => backend.runDense({ op: 'Conv2D', attrs: convAttrs, inputs: [x, w, undefined], outputShape: [1, 6, 6, 7] })).toThrow(
      /Conv2D: the planned output shape \[1,6,6,7\]/,
    );
    expect(() => backend.runDense({ op: 'Conv2D', attrs: convAttrs, inputs: [x], outputShape: [1, 6, 6, 8] })).toThrow(ShapeError);
    const badWeight = randomTensor(rng, [3, 3, 3, 8]);
    expect(() => backend.runDense({ op: 'Conv2D', attrs: convAttrs, inputs: [x, badWeight], outputShape: [1, 6, 6, 8] })).toThrow(
      /weight has 3 input channels per group/,
    );
  });

  it('resolves same-upper pads itself when a call arrives without explicit pads', () => {
    const rng = createRng(1802);
    const x = randomTensor(rng, [1, 7, 7, 2]);
    const w = randomTensor(rng, [3, 3, 2, 2]);
    const attrs = { ...convAttrs, strides: [2, 2], pads: [0, 0, 0, 0], autoPad: 'same-upper' } as const;
    const same = backend.runDense({ op: 'Conv2D', attrs, inputs: [x, w], outputShape: [1, 4, 4, 2] });
    const explicit = backend.runDense({
      op: 'Conv2D',
      attrs: { ...attrs, autoPad: 'explicit', pads: [1, 1, 1, 1] },
      inputs: [x, w],
      outputShape: [1, 4, 4, 2],
    });
    expect(same.data).toEqual(explicit.data);
  });
});
