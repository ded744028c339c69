import { availableParallelism } from 'node:os';
import { registerBackend, ReferenceBackend } from '@motiondelta/graph-runtime';
import { MAX_CPU_NATIVE_THREADS, checkCpuNativeThreads, createCpuNativeBackend } from '@motiondelta/sparse-kernels-cpu';

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
 * Makes every backend MotionDelta ships selectable by id, and the default of sessions that name
 * no backend (`cpu-native` before `reference`, as {@link DEFAULT_BACKENDS}). `cpu-native` runs
 * ops it has no native kernel for on the reference backend, and fails to initialise (so sessions
 * fall back, with the reason) when its addon is not built. Called when this package is imported;
 * calling it again changes nothing.
 */
export function registerShippedBackends(): void {
  registerBackend('cpu-native', () => createCpuNativeBackend({ threads: cpuThreads, fallback: new ReferenceBackend() }), {
    defaultPriority: CPU_NATIVE_PRIORITY,
  });
}
