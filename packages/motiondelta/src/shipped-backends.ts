import { availableParallelism } from 'node:os';
import { BackendUnavailableError, type Backend } from '@motiondelta/core';
import { registerBackend, ReferenceBackend } from '@motiondelta/graph-runtime';
import { MAX_CPU_NATIVE_THREADS, checkCpuNativeThreads, createCpuNativeBackend } from '@motiondelta/sparse-kernels-cpu';
import { createCudaBackend } from '@motiondelta/sparse-kernels-cuda';

/**
 * The backend preference sessions use when the caller names none: the native CPU backend where it
 * is built, the pure-TypeScript reference backend otherwise (the session's `backendInfo.skipped`
 * then says why the native one was passed over).
 */
export const DEFAULT_BACKENDS: readonly string[] = ['cpu-native', 'reference'];

let cpuThreads = Math.min(availableParallelism(), MAX_CPU_NATIVE_THREADS);

/**
 * Sets how many threads `cpu-native` backends created from now on compute with (default: the
 * number of cores). Accepts an integer from 1 to 256 (MAX_CPU_NATIVE_THREADS); anything else
 * throws OptionError and leaves the setting as it was.
 *
 * @example
 * ```ts
 * import { setCpuNativeThreads } from 'motiondelta';
 * setCpuNativeThreads(2);
 * ```
 */
export function setCpuNativeThreads(threads: number): void {
  checkCpuNativeThreads(threads, 'setCpuNativeThreads');
  cpuThreads = threads;
}

/** Default priority of `cpu-native`: above `reference` (0), below GPU backends when they come. */
const CPU_NATIVE_PRIORITY = 100;

/**
 * The `webgpu` backend from `@motiondelta/sparse-kernels-webgpu`, an optional peer dependency
 * (it brings Dawn, about 130 MB, which users without a GPU should not have to install): loaded
 * when a session names `webgpu`, and unavailable, with the install command as the reason, when
 * the package is missing.
 */
async function createWebGpuBackendIfInstalled(): Promise<Backend> {
  // A variable specifier: bundlers and tsup leave the optional package out of this one.
  const specifier = '@motiondelta/sparse-kernels-webgpu';
  let webgpu: typeof import('@motiondelta/sparse-kernels-webgpu');
  try {
    webgpu = (await import(/* @vite-ignore */ specifier)) as typeof import('@motiondelta/sparse-kernels-webgpu');
  } catch (error) {
    throw new BackendUnavailableError('webgpu', `${specifier} is not installed (npm install ${specifier})`, { cause: error });
  }
  return webgpu.createWebGpuBackend();
}

/**
 * Makes every backend MotionDelta ships selectable by id, and the default of sessions that name
 * no backend (`cpu-native` before `reference`, as {@link DEFAULT_BACKENDS}). `cpu-native` runs
 * ops it has no native kernel for on the reference backend, and fails to initialise (so sessions
 * fall back, with the reason) when its addon is not built. `webgpu` is selectable by name only
 * (`backend: ['webgpu', 'cpu-native']`), never a default: its delta steps do not yet skip
 * inactive tiles, and on a software adapter (SwiftShader, the only one on machines without a
 * GPU) it is far slower than cpu-native. Called when this package is imported; calling it again
 * changes nothing.
 */
export function registerShippedBackends(): void {
  registerBackend('cpu-native', () => createCpuNativeBackend({ threads: cpuThreads, fallback: new ReferenceBackend() }), {
    defaultPriority: CPU_NATIVE_PRIORITY,
  });
  registerBackend('webgpu', createWebGpuBackendIfInstalled);
  // Named only (`backend: ['cuda', 'cpu-native']`), no default priority: its kernels do not run sessions yet, and it says why.
  registerBackend('cuda', () => createCudaBackend());
}
