import { describe, expect, it } from 'vitest';
import { OptionError } from '@motiondelta/core';
import { chooseBackend } from '@motiondelta/graph-runtime';
import { createCpuNativeBackend } from '../src/create-cpu-native-backend.js';
import { loadAddon } from '../src/load-addon.js';
import type { NativeAddon } from '../src/native-addon.js';
import { callNative } from '../src/native-error.js';
import { MAX_CPU_NATIVE_THREADS, checkCpuNativeThreads } from '../src/thread-count.js';
// The user-facing setter lives in the `motiondelta` package; it validates with checkCpuNativeThreads.
import { registerShippedBackends, setCpuNativeThreads } from '../../motiondelta/src/shipped-backends.js';

/**
 * Native options are validated where they are set (issue 14): `setCpuNativeThreads(1e6)` used to
 * be accepted, after which every session silently fell back to the reference backend; the
 * addon's setThreads(1e6) tried to start a million threads and aborted the process. Out-of-range
 * values are now refused with OptionError (TypeScript) or RangeError (addon), and the thread pool
 * keeps its previous size.
 */

const load = loadAddon<NativeAddon>();
const describeNative = load.ok ? describe : process.env['CI'] ? describe : describe.skip;

describe('checkCpuNativeThreads', () => {
  it('accepts integers from 1 to MAX_CPU_NATIVE_THREADS and refuses everything else with OptionError', () => {
    expect(MAX_CPU_NATIVE_THREADS).toBe(256);
    for (const ok of [1, 2, 256]) expect(() => checkCpuNativeThreads(ok)).not.toThrow();
    for (const bad of [0, -1, 1.5, 257, 1e6, Number.NaN, Number.POSITIVE_INFINITY, '2', null, undefined]) {
      expect(() => checkCpuNativeThreads(bad, 'setCpuNativeThreads')).toThrow(OptionError);
    }
    expect(() => checkCpuNativeThreads(1e6, 'setCpuNativeThreads')).toThrow(
      /setCpuNativeThreads must be an integer from 1 to 256 .*got 1000000/,
    );
  });
});

describeNative(`native options${load.ok ? '' : ` (skipped: ${!load.ok ? load.reason : ''})`}`, () => {
  const addon = (): NativeAddon => {
    if (!load.ok) throw new Error(load.reason);
    return load.addon;
  };

  it('setCpuNativeThreads(1e6) throws OptionError, and later sessions still get cpu-native with the previous count', async () => {
    registerShippedBackends();
    setCpuNativeThreads(3);
    expect(() => setCpuNativeThreads(1e6)).toThrow(OptionError);
    expect(() => setCpuNativeThreads(0)).toThrow(OptionError);
    const choice = await chooseBackend(['cpu-native']);
    expect(choice.backend.id).toBe('cpu-native');
    expect((choice.backend as unknown as { threads: number }).threads).toBe(3);
    setCpuNativeThreads(2);
  });

  it('createCpuNativeBackend refuses thread counts outside 1..256 before touching the pool', async () => {
    await createCpuNativeBackend({ threads: 2 });
    await expect(createCpuNativeBackend({ threads: 1e6 })).rejects.toThrow(OptionError);
    await expect(createCpuNativeBackend({ threads: 257 })).rejects.toThrow(/from 1 to 256/);
    expect(addon().threads()).toBe(2);
  });

  it('the addon refuses setThreads outside 1..256 (it tried to start a million threads) and keeps its pool', () => {
    addon().setThreads(2);
    for (const bad of [1e6, 257, 0, 2.5, Number.NaN]) expect(() => addon().setThreads(bad)).toThrow(RangeError);
    expect(() => addon().setThreads('4' as never)).toThrow(TypeError);
    expect(addon().threads()).toBe(2);
  });

  it('the addon refuses setInlineWork values that are not integers from 0 to 2^53 - 1 (NaN used to mean 0)', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, 0.5]) expect(() => addon().setInlineWork(bad)).toThrow(RangeError);
    expect(() => addon().setInlineWork(32768)).not.toThrow();
  });

  it('MD_CONV_* values outside what each accepts are refused when a convolution starts (they used to be ignored)', async () => {
    const geometry = Int32Array.of(1, 3, 3, 2, 3, 3, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1);
    const conv = () =>
      callNative('conv2d', () => addon().conv2d(new Float32Array(18), new Float32Array(36), null, new Float32Array(18), geometry, null));
    const cases: [string, string, RegExp][] = [
      ['MD_CONV_GEMM', 'openblas', /MD_CONV_GEMM=openblas is not accepted; use "blas"/],
      ['MD_CONV_IMPLICIT', 'yes', /MD_CONV_IMPLICIT=yes is not accepted/],
      ['MD_CONV_BLOCK_FLOATS', '0', /MD_CONV_BLOCK_FLOATS=0 is not accepted; use an integer from 256 to 16777216/],
      ['MD_CONV_BLOCK_FLOATS', '99999999999999999999', /MD_CONV_BLOCK_FLOATS=9+ is not accepted/],
    ];
    for (const [variable, value, message] of cases) {
      process.env[variable] = value;
      try {
        await expect(conv()).rejects.toThrow(message);
      } finally {
        delete process.env[variable];
      }
    }
    for (const [variable, value] of [
      ['MD_CONV_GEMM', 'blas'],
      ['MD_CONV_IMPLICIT', '0'],
      ['MD_CONV_BLOCK_FLOATS', '4096'],
    ] as const) {
      process.env[variable] = value;
      try {
        await expect(conv()).resolves.toBeUndefined();
      } finally {
        delete process.env[variable];
      }
    }
  });
});
