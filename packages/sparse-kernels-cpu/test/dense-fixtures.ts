import { beforeAll, describe, expect, it } from 'vitest';
import { randomFloat32, sizeOf } from '@motiondelta/core';
import type { DenseKernelCall, Rng, Shape, Tensor } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/graph-runtime';
import { createCpuNativeBackend } from '../src/create-cpu-native-backend.js';
import type { CpuNativeBackend } from '../src/cpu-native-backend.js';
import { loadAddon } from '../src/load-addon.js';
import type { NativeAddon } from '../src/native-addon.js';

/** Shared fixtures of the native dense tests: the backend (or why it is missing), inputs, comparisons. */

export const reference = new ReferenceBackend();
export const addonLoad = loadAddon();

/**
 * Declares the suite when the addon is built. In CI a missing addon is a failure with the reason;
 * elsewhere the suite is skipped with the reason written out (build it with `build:native`).
 */
/** Default of the addon's inline-work limit (native/src/native_options.h). */
export const DEFAULT_INLINE_WORK = 32768;

export function describeNative(name: string, body: (backend: () => CpuNativeBackend) => void, inlineWork = DEFAULT_INLINE_WORK): void {
  if (addonLoad.ok) {
    const addon = addonLoad.addon as NativeAddon;
    describe(name, () => {
      let backend: CpuNativeBackend | undefined;
      // Two threads, as in the benchmarks: chunked paths and the single-thread path both get used.
      const get = (): CpuNativeBackend => {
        if (!backend) throw new Error('backend not created yet');
        return backend;
      };
      beforeAll(async () => {
        backend = await createCpuNativeBackend({ threads: 2, fallback: reference });
        addon.setInlineWork(inlineWork);
      });
      body(get);
    });
  } else if (process.env['CI']) {
    describe(name, () => {
      it('needs the native addon', () => {
        expect.fail(addonLoad.reason);
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${addonLoad.reason})`, () => {
      it('needs the native addon', () => undefined);
    });
  }
}

export function randomTensor(rng: Rng, shape: Shape, lo = -1, hi = 1): Tensor {
  return { data: randomFloat32(rng, sizeOf(shape), lo, hi), shape };
}

/** ||ours - reference|| / ||reference||, with a floor of 1e-6 on the norm (an all-zero reference). */
export function relativeL2(ours: Float32Array, expected: Float32Array): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = ours[i]! - expected[i]!;
    diff += d * d;
    norm += expected[i]! * expected[i]!;
  }
  return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-6);
}

/** Runs `call` on both backends and expects the same shape and values within relative L2 1e-5. */
export async function expectMatchesReference(backend: CpuNativeBackend, call: DenseKernelCall, tolerance = 1e-5): Promise<void> {
  const expected = reference.runDense(call);
  const actual = await backend.runDense(call);
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.data.length).toBe(expected.data.length);
  expect(relativeL2(actual.data, expected.data)).toBeLessThanOrEqual(tolerance);
}
