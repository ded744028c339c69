import { BackendUnavailableError } from '@motiondelta/core';
import { acquireWebGpuDevice, type AcquireOptions } from './device/acquire-device.js';
import { WebGpuBackend } from './webgpu-backend.js';

/** Options of {@link createWebGpuBackend}. */
export interface WebGpuBackendOptions extends AcquireOptions {
  /**
   * Accept a software adapter (SwiftShader, a browser's fallback adapter): correct but far slower
   * than the CPU backend. Default true; with false such an adapter makes the backend unavailable,
   * so sessions fall back to the next backend and say why.
   */
  readonly allowSoftware?: boolean;
}

/**
 * Creates the `webgpu` backend on a new device.
 *
 * @example
 * ```ts
 * import { createWebGpuBackend } from '@motiondelta/sparse-kernels-webgpu';
 * const backend = await createWebGpuBackend({ allowSoftware: false });
 * console.log(backend.adapter.description);
 * backend.dispose();
 * ```
 * @throws BackendUnavailableError saying why there is no usable device (no WebGPU in this runtime,
 *   no adapter, a software adapter when `allowSoftware` is false, a refused device)
 */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  const acquired = await acquireWebGpuDevice(options);
  if (typeof acquired === 'string') throw new BackendUnavailableError('webgpu', acquired);
  if (acquired.software && options.allowSoftware === false) {
    acquired.device.destroy();
    throw new BackendUnavailableError('webgpu', `the only adapter is a software one (${acquired.description}), and allowSoftware is false`);
  }
  return new WebGpuBackend(acquired);
}
