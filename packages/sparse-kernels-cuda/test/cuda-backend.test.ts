import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BackendUnavailableError } from '@motiondelta/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CudaRuntimeError, callCuda, createCudaBackend, cudaDeviceStatus, loadCudaAddon } from '../src/index.js';
import { PACKAGE_ROOT, hasCmake } from './host-build.js';

const CUDA_ADDON = `${PACKAGE_ROOT}build/cuda/Release/motiondelta_cuda.node`;
const CPU_ADDON = `${PACKAGE_ROOT}build/cpu/Release/motiondelta_cuda.node`;

/** The reason createCudaBackend gave, or the error it threw if it was not BackendUnavailableError. */
function unavailableReason(addonPath: string): string {
  try {
    createCudaBackend({ addonPath });
  } catch (error) {
    if (BackendUnavailableError.isInstance(error)) return error.reason;
    throw error;
  }
  throw new Error('createCudaBackend returned a backend');
}

describe('the cuda backend factory says why it cannot run', () => {
  it('names a missing addon as not built, with how to build it', () => {
    const reason = unavailableReason(`${PACKAGE_ROOT}build/nowhere/motiondelta_cuda.node`);
    expect(reason).toMatch(
      /^not built: .*nowhere\/motiondelta_cuda\.node is missing; build it with `pnpm --filter @motiondelta\/sparse-kernels-cuda build:native`/,
    );
  });

  // Builds the CPU-only variant (what a machine without nvcc gets) into build/cpu; needs cmake.
  describe.skipIf(!hasCmake())('a CPU-only build (no nvcc at build time)', () => {
    beforeAll(() => {
      const r = spawnSync(process.execPath, ['scripts/build-native.mjs', '--cpu-only'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    });

    it('loads, reports no CUDA in it, and the factory gives the exact reason', () => {
      const status = cudaDeviceStatus({ addonPath: CPU_ADDON });
      expect(status).toEqual({
        builtWithCuda: false,
        runtimeVersion: 0,
        driverVersion: 0,
        devices: [],
        unavailable: 'built without CUDA: nvcc not found at build time',
      });
      expect(unavailableReason(CPU_ADDON)).toBe('built without CUDA: nvcc not found at build time');
    });
  });

  // The CUDA build exists where build:native ran with nvcc (scripts/setup.sh on these machines).
  describe.skipIf(!existsSync(CUDA_ADDON))('the CUDA build (static runtime)', () => {
    it('loads without a GPU or driver and reports what it found', () => {
      const status = cudaDeviceStatus({ addonPath: CUDA_ADDON });
      expect(status.builtWithCuda).toBe(true);
      expect(status.runtimeVersion).toBeGreaterThanOrEqual(12000);
      if (status.driverVersion === 0) {
        // No driver (these CI machines): the factory says exactly that.
        expect(status.unavailable).toBe('no NVIDIA driver');
        expect(unavailableReason(CUDA_ADDON)).toBe('no NVIDIA driver');
      } else if (status.devices.length === 0) {
        expect(status.unavailable).toBe('no CUDA device');
        expect(unavailableReason(CUDA_ADDON)).toBe('no CUDA device');
      } else {
        // A GPU machine: the device is named, and the factory says sessions do not run on it yet.
        expect(status.unavailable).toBeUndefined();
        expect(unavailableReason(CUDA_ADDON)).toMatch(/^found .+ \(sm \d+\.\d+\), but the CUDA kernels do not run sessions yet/);
      }
    });

    it('turns a failed CUDA call into CudaRuntimeError with the CUDA error, native file and line, in the caller stack', () => {
      const load = loadCudaAddon(CUDA_ADDON);
      if (!load.ok) throw new Error(load.reason);
      const addon = load.addon;
      let caught: unknown;
      try {
        callCuda('raiseCudaError', () => addon.raiseCudaError!(2));
      } catch (error) {
        caught = error;
      }
      expect(CudaRuntimeError.isInstance(caught)).toBe(true);
      const error = caught as CudaRuntimeError;
      expect(error.cudaError).toBe(2);
      expect(error.cudaErrorName).toBe('cudaErrorMemoryAllocation');
      expect(error.file).toMatch(/native\/src\/napi_addon\.cc$/);
      expect(error.line).toBeGreaterThan(0);
      expect(error.message).toMatch(
        /^CUDA call in 'raiseCudaError' failed: cudaErrorMemoryAllocation \(out of memory\) from .* at .*napi_addon\.cc:\d+$/,
      );
      // Made in callCuda, called from this test: the stack leads back here.
      expect(error.stack).toMatch(/cuda-backend\.test\.ts/);
    });
  });
});
