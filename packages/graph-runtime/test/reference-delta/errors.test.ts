import { describe, expect, it } from 'vitest';
import { DeltaBuffer, ShapeError, UnsupportedOpError } from '@motiondelta/core';
import { kernels } from './delta-harness.js';

const x = new DeltaBuffer([1, 4, 4, 2]);
const constant = { data: new Float32Array(2), shape: [2] };
const state = () => ({ accumulated: [new Float32Array(32), new Float32Array(32)] as const, emitted: new Float32Array(32) });

describe('delta kernels reject what they do not support, with typed errors', () => {
  it('Pad on the channel or batch axis is unsupported', () => {
    const call = { op: 'Pad', attrs: { mode: 'constant', value: 0, pads: [0, 1, 1, 1, 0, 1, 1, 0] }, inputs: [x] } as const;
    expect(() => kernels.linear(call, new DeltaBuffer([1, 6, 6, 3]))).toThrow(UnsupportedOpError);
  });

  it('Concat along a spatial axis is unsupported', () => {
    expect(() => kernels.linear({ op: 'Concat', attrs: { axis: 1 }, inputs: [x, x] }, new DeltaBuffer([1, 8, 4, 2]))).toThrow(
      UnsupportedOpError,
    );
  });

  it('a constant divided by a delta and a product of two deltas belong to the binary kernel', () => {
    expect(() => kernels.linear({ op: 'Div', attrs: {}, inputs: [constant, x] }, new DeltaBuffer([1, 4, 4, 2]))).toThrow(
      UnsupportedOpError,
    );
    expect(() => kernels.linear({ op: 'Mul', attrs: {}, inputs: [x, x] }, new DeltaBuffer([1, 4, 4, 2]))).toThrow(UnsupportedOpError);
  });

  it('a varying Add operand that broadcasts to a larger output is a ShapeError', () => {
    const small = new DeltaBuffer([1, 1, 1, 2]);
    expect(() => kernels.linear({ op: 'Add', attrs: {}, inputs: [x, small] }, new DeltaBuffer([1, 4, 4, 2]))).toThrow(ShapeError);
  });

  it('an output buffer of the wrong shape is a ShapeError naming both shapes', () => {
    const weight = { data: new Float32Array(3 * 3 * 2 * 5), shape: [3, 3, 2, 5] };
    const attrs = { kernel: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1], autoPad: 'explicit', groups: 1 } as const;
    expect(() => kernels.linear({ op: 'Conv2D', attrs, inputs: [x, weight] }, new DeltaBuffer([1, 4, 4, 4]))).toThrow(
      /\[1,4,4,4\].*\[1,4,4,5\]/,
    );
  });

  it('a binary op with no varying operand, or state of the wrong size, is rejected', () => {
    const out = new DeltaBuffer([1, 4, 4, 2]);
    expect(() => kernels.binary('Mul', constant, constant, state(), 0, out)).toThrow(UnsupportedOpError);
    const bad = { accumulated: [new Float32Array(31), new Float32Array(32)] as const, emitted: new Float32Array(32) };
    expect(() => kernels.binary('Mul', x, x, bad, 0, out)).toThrow(ShapeError);
  });

  it('activation state of the wrong size is a ShapeError', () => {
    const s = { accumulated: new Float32Array(31), emitted: new Float32Array(32) };
    expect(() => kernels.activation(x, { kind: 'relu' }, s, 0, new DeltaBuffer([1, 4, 4, 2]))).toThrow(ShapeError);
  });
});
