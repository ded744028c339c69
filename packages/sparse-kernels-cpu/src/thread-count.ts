import { OptionError } from '@motiondelta/core';

/**
 * The most computing threads a `cpu-native` backend accepts: far above any core count it runs on,
 * far below what would exhaust the process (each thread has a stack). The addon refuses larger
 * counts with the same bound (native/src/native_options.h).
 */
export const MAX_CPU_NATIVE_THREADS = 256;

/**
 * Throws OptionError unless `threads` is an integer from 1 to {@link MAX_CPU_NATIVE_THREADS}.
 * `what` names the option in the message.
 *
 * @example
 * ```ts
 * import { checkCpuNativeThreads } from '@motiondelta/sparse-kernels-cpu';
 * checkCpuNativeThreads(4, 'setCpuNativeThreads'); // fine
 * checkCpuNativeThreads(1e6, 'setCpuNativeThreads'); // OptionError: ... an integer from 1 to 256 ...
 * ```
 */
export function checkCpuNativeThreads(threads: unknown, what = 'threads'): asserts threads is number {
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > MAX_CPU_NATIVE_THREADS) {
    const shown = typeof threads === 'number' ? String(threads) : typeof threads === 'string' ? JSON.stringify(threads) : typeof threads;
    throw new OptionError(
      `${what} must be an integer from 1 to ${MAX_CPU_NATIVE_THREADS} (computing threads of the cpu-native backend), got ${shown}.`,
    );
  }
}
