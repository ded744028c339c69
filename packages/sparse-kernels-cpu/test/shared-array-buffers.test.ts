import { defineBackendConformance } from '@motiondelta/backend-conformance';
import { createRng, randomFloat32 } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/graph-runtime';
import { describe, expect, it } from 'vitest';
import { createCpuNativeBackend, loadAddon } from '../src/index.js';
import type { NativeAddon } from '../src/index.js';
import { callNative } from '../src/native-error.js';
import { sharedMemoryBackend } from './shared-memory-mirror.js';

// SharedArrayBuffer-backed typed arrays used to be refused with a generic "Invalid argument" (the
// addon read data pointers through Napi::ArrayBuffer, which does not accept a SharedArrayBuffer).
// Every conformance case, dense and delta, runs here with every array the native kernels receive
// (dense inputs; DeltaBuffers, states and constants of the delta kernels) in shared memory.
const load = loadAddon<NativeAddon>();
const skip = !load.ok && !process.env['CI'] ? { skipReason: `cpu-native is ${load.reason}` } : {};

defineBackendConformance({
  name: 'cpu-native over SharedArrayBuffer memory',
  create: async () => sharedMemoryBackend(await createCpuNativeBackend({ threads: 2, fallback: new ReferenceBackend() })),
  ...skip,
});

function shared(values: Float32Array): Float32Array {
  const a = new Float32Array(new SharedArrayBuffer(values.byteLength));
  a.set(values);
  return a;
}

const describeNative = load.ok ? describe : process.env['CI'] ? describe : describe.skip;

describeNative(`dense kernels writing into SharedArrayBuffer memory${load.ok ? '' : ` (skipped: ${!load.ok ? load.reason : ''})`}`, () => {
  const rng = createRng(14);
  // One kernel per dense family; the same call with an ordinary output array gives the expected values.
  const cases: { name: string; size: number; run: (addon: NativeAddon, out: Float32Array) => Promise<unknown> }[] = [
    {
      name: 'conv2d',
      size: 6 * 6 * 4,
      run: (addon, out) => {
        const x = randomFloat32(createRng(1), 6 * 6 * 3, -1, 1);
        const w = randomFloat32(createRng(2), 3 * 3 * 3 * 4, -1, 1);
        return addon.conv2d(shared(x), shared(w), null, out, Int32Array.of(1, 6, 6, 3, 6, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1), null);
      },
    },
    {
      name: 'pool2d',
      size: 3 * 3 * 2,
      run: (addon, out) =>
        addon.pool2d(
          shared(randomFloat32(createRng(3), 6 * 6 * 2, -1, 1)),
          out,
          Int32Array.of(1, 6, 6, 2, 3, 3, 2, 2, 2, 2, 0, 0, 0, 0),
          0,
          false,
        ),
    },
    {
      name: 'binary',
      size: 4 * 5,
      run: (addon, out) =>
        addon.binary(
          shared(randomFloat32(createRng(4), 20, -1, 1)),
          shared(randomFloat32(createRng(5), 5, 1, 2)),
          out,
          3,
          Int32Array.of(4, 5),
          Int32Array.of(5, 1),
          Int32Array.of(0, 1),
          null,
        ),
    },
    {
      name: 'resize',
      size: 4 * 4,
      run: (addon, out) =>
        addon.resize(
          shared(randomFloat32(createRng(6), 4, -1, 1)),
          out,
          Int32Array.of(1, 2, 2, 1, 4, 4),
          Int32Array.of(0, 0, 1, 1),
          Int32Array.of(0, 1, 1, 1),
          shared(Float32Array.of(0, 0.5, 0, 0)),
          Int32Array.of(0, 0, 1, 1),
          Int32Array.of(0, 1, 1, 1),
          shared(Float32Array.of(0, 0.5, 0, 0)),
        ),
    },
    {
      name: 'gemm',
      size: 3 * 2,
      run: (addon, out) =>
        addon.gemm(
          shared(randomFloat32(createRng(7), 12, -1, 1)),
          shared(randomFloat32(createRng(8), 8, -1, 1)),
          null,
          out,
          Int32Array.of(3, 4, 2, 0, 0, 0, 0),
          1,
          0,
          null,
        ),
    },
  ];
  for (const c of cases) {
    it(`${c.name} gives the same values into a shared output`, async () => {
      const addon = load.ok ? load.addon : expect.fail(!load.ok ? load.reason : '');
      const expected = new Float32Array(c.size);
      await callNative(c.name, () => c.run(addon, expected) as Promise<void>);
      const out = new Float32Array(new SharedArrayBuffer(c.size * 4));
      await callNative(c.name, () => c.run(addon, out) as Promise<void>);
      expect(Array.from(out)).toEqual(Array.from(expected));
      expect(expected.some((v) => v !== 0)).toBe(true);
    });
  }
  void rng;
});
