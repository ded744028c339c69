import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { createRng } from '@motiondelta/core';
import type { DenseKernelCall } from '@motiondelta/core';
import type { NativeAddon } from '../src/native-addon.js';
import { NativeKernelError, callNative } from '../src/native-error.js';
import { addonLoad, describeNative, randomTensor } from './dense-fixtures.js';

/**
 * Kernels run on libuv worker threads: the event loop keeps turning while they compute, and their
 * failures come back as typed errors that still point at the JavaScript caller.
 */

const rng = createRng(77);

/** /proc/cpuinfo's flags (the addon's build enables AVX2 exactly when they list avx2 and fma). */
async function cpuFlags(): Promise<string> {
  return readFile('/proc/cpuinfo', 'utf8').catch(() => '');
}

// An esrgan-sized layer (144x192, 64 -> 64, 3x3): about 1 GMAC, milliseconds of work on any CPU.
const bigConv: DenseKernelCall = {
  op: 'Conv2D',
  attrs: { kernel: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1], autoPad: 'explicit', groups: 1 },
  inputs: [randomTensor(rng, [1, 144, 192, 64]), randomTensor(rng, [3, 3, 64, 64]), randomTensor(rng, [64])],
  outputShape: [1, 144, 192, 64],
};

describeNative('the event loop while native kernels run', (backend) => {
  it('runs setImmediate and timer callbacks before a large convolution resolves', async () => {
    const events: string[] = [];
    const pending = backend().runDense(bigConv);
    // Had the kernel run on this thread, it would be finished before these callbacks are queued,
    // and the promise's continuation (a microtask) would come first.
    setImmediate(() => events.push('immediate'));
    setTimeout(() => events.push('timer'), 0);
    const result = await pending;
    events.push('conv resolved');
    expect(result.data.length).toBe(144 * 192 * 64);
    expect(events.indexOf('immediate')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('immediate')).toBeLessThan(events.indexOf('conv resolved'));
  });

  it('turns a native failure into a NativeKernelError whose stack includes the JavaScript caller', async () => {
    if (!addonLoad.ok) throw new Error(addonLoad.reason); // describeNative only runs this when built
    const addon = addonLoad.addon as NativeAddon;
    // Bypasses the TypeScript validation on purpose: the addon itself must refuse, not crash.
    async function callerPassingAShortOutput(): Promise<void> {
      const geometry = Int32Array.of(1, 4, 4, 2, 4, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1);
      await callNative('conv2d', () => addon.conv2d(new Float32Array(32), new Float32Array(54), null, new Float32Array(5), geometry, null));
    }
    const error = await callerPassingAShortOutput().catch((e: unknown) => e);
    expect(NativeKernelError.isInstance(error)).toBe(true);
    const native = error as NativeKernelError;
    expect(native.kernel).toBe('conv2d');
    expect(native.code).toBe('NATIVE_KERNEL');
    expect(native.message).toMatch(/Native kernel 'conv2d' failed: out has 5 values; expected 48/);
    expect(native.cause).toBeInstanceOf(RangeError);
    expect(native.stack).toContain('callerPassingAShortOutput');
  });

  it('refuses packed weights made for another geometry instead of reading past them', async () => {
    if (!addonLoad.ok) throw new Error(addonLoad.reason); // describeNative only runs this when built
    const addon = addonLoad.addon as NativeAddon;
    const geometry = Int32Array.of(1, 4, 4, 2, 4, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1);
    const packed = await addon.conv2dPackWeights(new Float32Array(54), null, geometry);
    // A build without AVX2 has no packed GEMM and returns null here (then there is nothing to misuse).
    const flags = await cpuFlags();
    expect(packed === null).toBe(!(/\bavx2\b/.test(flags) && /\bfma\b/.test(flags)));
    if (packed === null) return;
    const wider = Int32Array.of(1, 4, 4, 4, 4, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1);
    const attempt = callNative('conv2d', () =>
      addon.conv2d(new Float32Array(64), new Float32Array(108), null, new Float32Array(48), wider, null, packed),
    );
    await expect(attempt).rejects.toThrow(/packed weights were made for another geometry/);
    const notAPack = callNative('conv2d', () =>
      addon.conv2d(new Float32Array(32), new Float32Array(54), null, new Float32Array(48), geometry, null, {} as never),
    );
    await expect(notAPack).rejects.toThrow(/packed must be the result of conv2dPackWeights/);
  });

  it('keeps several kernels in flight at once and settles each with its own result', async () => {
    const small: DenseKernelCall = {
      op: 'Activation',
      attrs: { activation: { kind: 'relu' } },
      inputs: [randomTensor(rng, [1, 32, 32, 8])],
      outputShape: [1, 32, 32, 8],
    };
    const [big, relu] = await Promise.all([backend().runDense(bigConv), backend().runDense(small)]);
    expect(big.shape).toEqual([1, 144, 192, 64]);
    const x = small.inputs[0]!.data;
    expect(Array.from(relu.data)).toEqual(Array.from(x, (v) => Math.max(v, 0)));
  });
});
