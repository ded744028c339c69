import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DeltaBuffer, InputError } from '@motiondelta/core';
import { createCpuNativeBackend } from '../src/create-cpu-native-backend.js';
import { createNativeDeltaKernels } from '../src/delta/native-delta-kernels.js';
import { defaultAddonPath, loadAddon } from '../src/load-addon.js';
import type { NativeAddon } from '../src/native-addon.js';
import { NativeKernelError, callNative } from '../src/native-error.js';

/**
 * Buffers handed to cpu-native kernels stay valid while a worker thread reads them (issue 14):
 * detaching or transferring an input's ArrayBuffer during a kernel used to free its memory under
 * the kernel (SIGSEGV). The wrapper now marks every buffer it hands over untransferable (a
 * transfer copies it), the addon refuses views of buffers detached before the call with an error
 * naming the argument, and resizable ArrayBuffers (which can shrink) are refused.
 */

const here = dirname(fileURLToPath(import.meta.url));
const load = loadAddon<NativeAddon>();
const dist = join(here, '..', 'dist', 'index.js');
// The race runs in a child process against the built package (a crash must end a child, not the
// test worker); a dist/ older than the pinning would test the old code.
const distReady = existsSync(dist) && readFileSync(dist, 'utf8').includes('markAsUntransferable');
const missing = !load.ok
  ? load.reason
  : !distReady
    ? `${dist} is missing or predates buffer pinning; run \`pnpm --filter @motiondelta/sparse-kernels-cpu build\``
    : undefined;

function describeNative(name: string, body: (addon: NativeAddon) => void): void {
  if (missing === undefined && load.ok) describe(name, () => body(load.addon));
  else if (process.env['CI']) describe(name, () => it('needs the native addon and the built package', () => expect.fail(missing)));
  else describe.skip(`${name} (skipped: ${missing})`, () => it('needs the native addon and the built package', () => undefined));
}

describeNative('ArrayBuffers detached or transferred around native kernels', (addon) => {
  it('survives transfers of inputs and outputs while kernels run on worker threads: correct results or typed errors, no crash', () => {
    // Rounds of: a dense conv input transferred before and during the kernel, a raw kernel's
    // input and output transferred during it, a delta kernel's DeltaBuffer arrays and reference
    // transferred during it; alternately with structuredClone and postMessage.
    const result = spawnSync(process.execPath, ['--expose-gc', join(here, 'fixtures', 'detach-race.mjs'), '25'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.signal, `the child died with ${result.signal}; stderr:\n${result.stderr}`).toBeNull();
    expect(result.status, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').pop()!);
    expect(summary.untyped).toEqual([]);
    expect(summary.wrong).toBe(0);
    expect(summary.calls).toBe(100);
    expect(summary.correct + summary.typedErrors).toBe(100);
    // Transfers of pinned buffers copied them; only buffers not yet handed to native code detached.
    expect(summary.correct).toBeGreaterThanOrEqual(75);
    expect(summary.transfersCopied).toBeGreaterThan(0);
  });

  it('a buffer handed to a kernel stays attached when transferred afterwards (the transfer copies it)', async () => {
    const x = new Float32Array([-1, 2, -3, 4]);
    const out = new Float32Array(4);
    await callNative('activation', () => addon.activation(x, out, 1, { kind: 1, a: 0, b: 0, slope: null }));
    const copy = structuredClone(x.buffer, { transfer: [x.buffer as ArrayBuffer] });
    expect(x.byteLength).toBe(16);
    expect(new Float32Array(copy)).toEqual(x);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(out.buffer, [out.buffer as ArrayBuffer]);
    port1.close();
    port2.close();
    expect(Array.from(out)).toEqual([0, 2, 0, 4]);
  });

  it('refuses a view of an ArrayBuffer detached before the call with a typed error naming the argument', async () => {
    const x = new Float32Array(8);
    structuredClone(x.buffer, { transfer: [x.buffer as ArrayBuffer] });
    const error = await callNative('activation', () =>
      addon.activation(x, new Float32Array(8), 1, { kind: 0, a: 0, b: 0, slope: null }),
    ).catch((e: unknown) => e);
    expect(NativeKernelError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/'activation' failed: x is a view of a detached ArrayBuffer/);

    // The same for a DeltaBuffer's arrays, through the delta kernels.
    const delta = createNativeDeltaKernels(addon, undefined);
    const d = new DeltaBuffer([1, 4, 4, 2]);
    structuredClone(d.mask.buffer, { transfer: [d.mask.buffer as ArrayBuffer] });
    const frame = { data: new Float32Array(32).fill(1), shape: [1, 4, 4, 2] };
    await expect(delta.sparsify(frame, new Float32Array(32), 0, d)).rejects.toThrow(/out is a view of a detached ArrayBuffer/);
  });

  it('the addon itself refuses detached views, without the TypeScript wrapper', () => {
    // The module object as require() returns it (loadAddon wraps its functions).
    const raw = createRequire(import.meta.url)(defaultAddonPath()) as NativeAddon;
    const w = new Float32Array(9);
    structuredClone(w.buffer, { transfer: [w.buffer as ArrayBuffer] });
    const geometry = Int32Array.of(1, 3, 3, 1, 3, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1);
    expect(() => raw.conv2d(new Float32Array(9), w, null, new Float32Array(9), geometry, null)).toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(/^weight is a view of a detached ArrayBuffer/) }),
    );
  });

  it('refuses views of a resizable ArrayBuffer (it could shrink under the kernel) with InputError', async () => {
    const backend = await createCpuNativeBackend({ threads: 2 });
    // Resizable ArrayBuffers (Node 20) are newer than the TypeScript lib this package targets.
    type Resizable = ArrayBuffer & { resize(length: number): void };
    const buffer = new (ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => Resizable)(64 * 4, {
      maxByteLength: 64 * 4,
    });
    const data = new Float32Array(buffer).fill(-1);
    const call = {
      op: 'Activation' as const,
      attrs: { activation: { kind: 'relu' as const } },
      inputs: [{ data, shape: [64] }],
      outputShape: [64],
    };
    const error = await backend.runDense(call).catch((e: unknown) => e);
    expect(InputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/'activation': argument 0 is a view of a resizable ArrayBuffer/);
    buffer.resize(0);
    expect(data.length).toBe(0);
  });
});
