import { BackendUnavailableError, type Backend } from '@motiondelta/core';
import type { CudaDeviceStatus } from './cuda-addon.js';
import { callCuda } from './cuda-runtime-error.js';
import { loadCudaAddon } from './load-cuda-addon.js';

/** Options of {@link createCudaBackend} and {@link cudaDeviceStatus}. */
export interface CudaBackendOptions {
  /** Path of the `.node` file; defaults to this package's `build/cuda/Release/`, then `build/cpu/Release/`. */
  readonly addonPath?: string;
}

/** The backend id users name in `backend: [...]`. */
export const CUDA_BACKEND_ID = 'cuda';

/**
 * Why a machine with a usable device still cannot run sessions on this package: its kernels run
 * in the C++ test-and-benchmark driver only, not yet behind the Backend interface.
 */
export const CUDA_SESSIONS_PENDING =
  'the CUDA kernels do not run sessions yet (no program compiler or kernels behind the Backend interface); only the C++ conformance and benchmark driver runs them';

/**
 * What the addon reports about CUDA on this machine: the build, the driver and the devices, and
 * `unavailable` with the reason when none can be used. Throws BackendUnavailableError when the
 * addon is not built, CudaRuntimeError when a CUDA call fails otherwise.
 *
 * @example
 * ```ts
 * import { cudaDeviceStatus } from '@motiondelta/sparse-kernels-cuda';
 * const status = cudaDeviceStatus();
 * console.log(status.unavailable ?? status.devices.map((d) => d.name).join(', '));
 * ```
 */
export function cudaDeviceStatus(options: CudaBackendOptions = {}): CudaDeviceStatus {
  const load = loadCudaAddon(options.addonPath);
  if (!load.ok) throw new BackendUnavailableError(CUDA_BACKEND_ID, load.reason);
  const addon = load.addon;
  return callCuda('deviceStatus', () => addon.deviceStatus());
}

/**
 * The `cuda` backend's factory. It throws BackendUnavailableError with the exact reason whenever it
 * cannot run: the addon is not built, was built without CUDA (`built without CUDA: nvcc not found
 * at build time`), finds no driver (`no NVIDIA driver`) or no device (`no CUDA device`); backend
 * selection then falls back to the next preference and reports the reason in
 * `session.backendInfo.skipped`. On a machine with a device it also throws, with
 * {@link CUDA_SESSIONS_PENDING}, until the kernels run behind the Backend interface.
 *
 * @example
 * ```ts
 * import { registerBackend } from '@motiondelta/graph-runtime';
 * import { createCudaBackend } from '@motiondelta/sparse-kernels-cuda';
 * registerBackend('cuda', () => createCudaBackend());
 * // const session = await model.createSession({ backend: ['cuda', 'cpu-native'] });
 * // session.backendInfo.skipped -> [{ id: 'cuda', reason: 'no NVIDIA driver' }] on a machine without a GPU
 * ```
 */
export function createCudaBackend(options: CudaBackendOptions = {}): Backend {
  const status = cudaDeviceStatus(options);
  if (status.unavailable !== undefined) throw new BackendUnavailableError(CUDA_BACKEND_ID, status.unavailable);
  const devices = status.devices.map((d) => `${d.name} (sm ${d.computeCapability})`).join(', ');
  throw new BackendUnavailableError(CUDA_BACKEND_ID, `found ${devices}, but ${CUDA_SESSIONS_PENDING}`);
}
