import { describe, expect, it } from 'vitest';
import { DeltaBuffer, createRng } from '@motiondelta/core';
import type { Conv2DAttrs, ResizeAttrs, Tensor } from '@motiondelta/core';
import { kernels, nextFrame, randomTensor, resolve } from './delta-harness.js';

/** The active pixels with their values, in pixel order, for comparing two buffers. */
function snapshot(d: DeltaBuffer): [number, number[]][] {
  const pixels = Array.from(d.active.subarray(0, d.count)).sort((a, b) => a - b);
  return pixels.map((p) => [p, Array.from(d.values.subarray(p * d.channels, (p + 1) * d.channels))]);
}

describe('DeltaBuffer reuse across frames', () => {
  it('cleared, reused buffers give the same results as fresh ones', () => {
    const rng = createRng(9000);
    const input = [1, 9, 8, 3] as const;
    const weight = randomTensor(rng, [3, 3, 3, 4]);
    const conv = resolve(
      'Conv2D',
      { kernel: [3, 3], strides: [2, 2], dilations: [1, 1], pads: [1, 1, 1, 1], autoPad: 'explicit', groups: 1 } satisfies Conv2DAttrs,
      [input, weight.shape],
    );
    const resize = resolve(
      'Resize',
      { mode: 'linear', coordinateMode: 'half_pixel', nearestMode: 'floor', scales: [2, 2] } satisfies ResizeAttrs,
      [conv.outputShape],
    );
    const state = { reference: new Float32Array(9 * 8 * 3) };
    const freshState = { reference: new Float32Array(9 * 8 * 3) };
    const reused = { x: new DeltaBuffer(input), y: new DeltaBuffer(conv.outputShape), z: new DeltaBuffer(resize.outputShape) };
    let x: Tensor = randomTensor(rng, input);
    for (let frame = 0; frame < 6; frame++) {
      x = nextFrame(rng, x, frame);
      reused.x.clear();
      reused.y.clear();
      reused.z.clear();
      kernels.sparsify(x, state.reference, 0.05, reused.x);
      kernels.linear({ op: 'Conv2D', attrs: conv.attrs, inputs: [reused.x, weight] }, reused.y);
      kernels.linear({ op: 'Resize', attrs: resize.attrs, inputs: [reused.y] }, reused.z);

      const fresh = { x: new DeltaBuffer(input), y: new DeltaBuffer(conv.outputShape), z: new DeltaBuffer(resize.outputShape) };
      kernels.sparsify(x, freshState.reference, 0.05, fresh.x);
      kernels.linear({ op: 'Conv2D', attrs: conv.attrs, inputs: [fresh.x, weight] }, fresh.y);
      kernels.linear({ op: 'Resize', attrs: resize.attrs, inputs: [fresh.y] }, fresh.z);

      expect(snapshot(reused.x)).toEqual(snapshot(fresh.x));
      expect(snapshot(reused.y)).toEqual(snapshot(fresh.y));
      expect(snapshot(reused.z)).toEqual(snapshot(fresh.z));
    }
  });

  it('kernels clear their output themselves: a stale active set never leaks into the next frame', () => {
    const d = new DeltaBuffer([1, 3, 3, 1]);
    const out = new DeltaBuffer([1, 3, 3, 1]);
    out.activate(0);
    out.values[0] = 42;
    d.activate(4);
    d.values[4] = 1;
    kernels.linear({ op: 'Identity', attrs: {}, inputs: [d] }, out);
    expect(snapshot(out)).toEqual([[4, [1]]]);
    expect(out.mask[0]).toBe(0);
  });
});

describe('DeltaBuffer over shared storage', () => {
  it('views the leading part of the arrays it is given, and names what a too-small storage lacks', () => {
    const storage = { values: new Float32Array(40), mask: new Uint8Array(12), active: new Int32Array(12) };
    const a = new DeltaBuffer([1, 2, 3, 2], storage);
    const b = new DeltaBuffer([1, 3, 4, 3], storage);
    expect(a.values.buffer).toBe(storage.values.buffer);
    expect([a.values.length, a.mask.length, b.values.length, b.mask.length]).toEqual([12, 6, 36, 12]);
    a.activate(4);
    a.values[9] = 2;
    // The mask is shared: once `a` is cleared, `b` starts from all zeros.
    expect(b.mask[4]).toBe(1);
    a.clear();
    expect(Array.from(b.mask).every((m) => m === 0)).toBe(true);
    expect(() => new DeltaBuffer([1, 4, 4, 3], storage)).toThrow(
      /storage holds 40 values and 12 pixels; shape \[1,4,4,3\] needs 48 values and 16 pixels/,
    );
  });
});
