import { MotionDeltaError } from '@motiondelta/core';

/**
 * A CUDA call or kernel launch failed for a reason other than a missing driver or device (those
 * make the backend unavailable instead). Carries the CUDA error's name and number and the native
 * file and line of the check; the native error is its `cause`. It is created in the JavaScript
 * function that made the call, so its stack leads back to the caller.
 *
 * @example
 * ```ts
 * import { CudaRuntimeError, cudaDeviceStatus } from '@motiondelta/sparse-kernels-cuda';
 * try {
 *   cudaDeviceStatus();
 * } catch (error) {
 *   if (CudaRuntimeError.isInstance(error)) console.error(error.cudaErrorName, error.file, error.line);
 * }
 * ```
 */
export class CudaRuntimeError extends MotionDeltaError {
  /** Stable code for programs that branch on the error kind. */
  readonly code = 'CUDA_RUNTIME';
  /** The addon entry point that failed, e.g. `deviceStatus`. */
  readonly entry: string;
  /** `cudaError_t` value, e.g. 2 for cudaErrorMemoryAllocation; -1 when the native error had none. */
  readonly cudaError: number;
  /** e.g. `cudaErrorMemoryAllocation`, or `unknown`. */
  readonly cudaErrorName: string;
  /** Native source file and line of the failed check. */
  readonly file: string;
  readonly line: number;

  constructor(entry: string, cause: unknown) {
    const native = (typeof cause === 'object' && cause !== null ? cause : {}) as Record<string, unknown>;
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('CudaRuntimeError', `CUDA call in '${entry}' failed: ${detail}`, { cause });
    this.entry = entry;
    this.cudaError = typeof native['cudaError'] === 'number' ? native['cudaError'] : -1;
    this.cudaErrorName = typeof native['cudaErrorName'] === 'string' ? native['cudaErrorName'] : 'unknown';
    this.file = typeof native['file'] === 'string' ? native['file'] : '';
    this.line = typeof native['line'] === 'number' ? native['line'] : 0;
  }

  /** True for a CudaRuntimeError, even one made by another copy of this package. */
  static override isInstance(error: unknown): error is CudaRuntimeError {
    return MotionDeltaError.isInstance(error) && error.name === 'CudaRuntimeError';
  }
}

/**
 * Calls an addon entry point, turning what it throws into a CudaRuntimeError made here, in the
 * caller's stack (a native error's own stack ends at the addon boundary).
 *
 * @example
 * ```ts
 * const status = callCuda('deviceStatus', () => addon.deviceStatus());
 * ```
 */
export function callCuda<T>(entry: string, call: () => T): T {
  try {
    return call();
  } catch (cause) {
    if (MotionDeltaError.isInstance(cause)) throw cause;
    throw new CudaRuntimeError(entry, cause);
  }
}
