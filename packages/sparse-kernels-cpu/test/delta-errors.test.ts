import { describe, expect, it } from 'vitest';
import { DeltaBuffer, ShapeError, UnsupportedOpError } from '@motiondelta/core';
import type { LinearDeltaCall } from '@motiondelta/core';
import { NativeKernelError } from '../src/native-error.js';
import { createNativeDeltaKernels, nativeDeltaCoverage } from '../src/delta/native-delta-kernels.js';
import type { NativeDeltaAddon } from '../src/delta/native-delta-addon.js';
import { describeNative, refKernels } from './delta-fixtures.js';

describe('native delta kernels: errors and coverage (no addon needed)', () => {
  it('wraps a native rejection in NativeKernelError, keeping the caller in the stack', async () => {
    const failing = { deltaSparsify: () => Promise.reject(new RangeError('boom')) } as unknown as NativeDeltaAddon;
    const kernels = createNativeDeltaKernels(failing, refKernels);
    const out = new DeltaBuffer([1, 2, 2, 1]);
    async function callerOfSparsify(): Promise<unknown> {
      try {
        await kernels.sparsify({ data: new Float32Array(4), shape: [1, 2, 2, 1] }, new Float32Array(4), 0, out);
      } catch (error) {
        return error;
      }
      return undefined;
    }
    const error = await callerOfSparsify();
    expect(NativeKernelError.isInstance(error)).toBe(true);
    expect((error as NativeKernelError).kernel).toBe('deltaSparsify');
    expect((error as Error).message).toMatch(/boom/);
    expect((error as Error).stack).toMatch(/callerOfSparsify/);
  });

  it('validates arguments in TypeScript before the boundary', async () => {
    const untouched = new Proxy({}, { get: () => () => expect.fail('the addon must not be called') }) as NativeDeltaAddon;
    const kernels = createNativeDeltaKernels(untouched, undefined);
    const x = new DeltaBuffer([1, 4, 4, 2]);
    await expect(async () =>
      kernels.sparsify({ data: new Float32Array(3), shape: [1, 1, 1, 3] }, new Float32Array(32), 0, x),
    ).rejects.toThrow(ShapeError);
    await expect(async () => kernels.accumulate(x, new Float32Array(5))).rejects.toThrow(ShapeError);
    const w = { data: new Float32Array(3 * 3 * 2 * 3), shape: [3, 3, 2, 3] };
    const conv = { kernel: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1], autoPad: 'explicit', groups: 1 } as const;
    const wrongOut = new DeltaBuffer([1, 4, 4, 4]);
    await expect(async () => kernels.linear({ op: 'Conv2D', attrs: conv, inputs: [x, w] } as LinearDeltaCall, wrongOut)).rejects.toThrow(
      /output DeltaBuffer/,
    );
  });

  it('without a fallback, a call with no native form is an UnsupportedOpError', async () => {
    const kernels = createNativeDeltaKernels({} as NativeDeltaAddon, undefined);
    const x = new DeltaBuffer([1, 4, 4, 2]);
    const call = { op: 'Concat', attrs: { axis: 1 }, inputs: [x, x] } as LinearDeltaCall;
    await expect(async () => kernels.linear(call, new DeltaBuffer([1, 8, 4, 2]))).rejects.toThrow(UnsupportedOpError);
  });

  it('lists every kernel as native', () => {
    const coverage = nativeDeltaCoverage();
    expect(coverage.fallback).toEqual([]);
    expect(coverage.native).toContain('linear:Conv2D');
    expect(coverage.native).toContain('maxPool');
  });
});

describeNative('the addon refuses arguments that would read out of bounds', (addon) => {
  it('rejects mismatched sizes with a RangeError instead of reading past an array', () => {
    const x = new DeltaBuffer([1, 4, 4, 2]);
    const out = new DeltaBuffer([1, 4, 4, 3]);
    expect(() => addon.deltaSparsify(new Float32Array(5), new Float32Array(32), 0, x)).toThrow(RangeError);
    expect(() => addon.deltaConv2d(x, new Float32Array(18), null, Int32Array.of(3, 3, 1, 1, 1, 1, 1, 1, 1), out, 0)).toThrow(/weight size/);
    expect(() => addon.deltaConv2d(x, new Float32Array(54), null, Int32Array.of(3, 3), out, 0)).toThrow(/geom/);
    const lying = { ...x, shape: x.shape, values: x.values, mask: x.mask, active: x.active, count: 999 };
    expect(() => addon.deltaAccumulate(lying, new Float32Array(32))).toThrow(RangeError);
  });
});
