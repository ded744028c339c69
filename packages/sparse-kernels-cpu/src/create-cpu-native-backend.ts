import { availableParallelism } from 'node:os';
import { BackendUnavailableError } from '@motiondelta/core';
import type { Backend } from '@motiondelta/core';
import { CpuNativeBackend } from './cpu-native-backend.js';
import { BUILD_HINT, loadAddon } from './load-addon.js';
import { missingEntryPoints, type NativeAddon } from './native-addon.js';
import { MAX_CPU_NATIVE_THREADS, checkCpuNativeThreads } from './thread-count.js';

/** Options of {@link createCpuNativeBackend}. */
export interface CpuNativeBackendOptions {
  /**
   * Computing threads (an integer from 1 to {@link MAX_CPU_NATIVE_THREADS}), including the calling
   * worker thread; OpenBLAS uses the same number. The pool is process-wide: the last backend
   * created sets it. Defaults to the number of cores (at most MAX_CPU_NATIVE_THREADS).
   */
  readonly threads?: number;
  /**
   * Runs the ops without a native kernel (Reshape, Transpose, Softmax, ...) and the delta kernels
   * without a native form. Pass the reference backend (kernel packages never import graph-runtime).
   */
  readonly fallback?: Backend;
  /** Path of the `.node` file; defaults to `build/Release/motiondelta_cpu.node` in this package. */
  readonly addonPath?: string;
}

/**
 * Loads the native addon and creates the `cpu-native` backend. Rejects with
 * BackendUnavailableError ("not built: …") when the addon is missing, fails to load (OpenBLAS
 * missing, for example) or is a stale build; backend selection then falls back to the next
 * preference and records that reason.
 *
 * @example
 * ```ts
 * import { createCpuNativeBackend } from '@motiondelta/sparse-kernels-cpu';
 * import { ReferenceBackend, loadModel, registerBackend } from '@motiondelta/graph-runtime';
 * registerBackend('cpu-native', () => createCpuNativeBackend({ threads: 2, fallback: new ReferenceBackend() }));
 * const model = await loadModel('model.onnx');
 * const session = await model.createSession({ backend: ['cpu-native', 'reference'] });
 * console.log(session.backendInfo); // { id: 'cpu-native', skipped: [] }, or the reason it fell back
 * ```
 */
export async function createCpuNativeBackend(options: CpuNativeBackendOptions = {}): Promise<CpuNativeBackend> {
  const threads = options.threads ?? Math.min(availableParallelism(), MAX_CPU_NATIVE_THREADS);
  checkCpuNativeThreads(threads);
  const load = loadAddon<NativeAddon>(options.addonPath);
  if (!load.ok) throw new BackendUnavailableError('cpu-native', load.reason);
  const missing = missingEntryPoints(load.addon);
  if (missing.length > 0) {
    throw new BackendUnavailableError(
      'cpu-native',
      `not built: ${load.path} is a stale build (it lacks ${missing.join(', ')}); re${BUILD_HINT}`,
    );
  }
  load.addon.setThreads(threads);
  return new CpuNativeBackend(load.addon, options.fallback);
}
