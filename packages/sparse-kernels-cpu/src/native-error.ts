import { MotionDeltaError } from '@motiondelta/core';

/**
 * A native kernel failed: the addon rejected its arguments or the computation threw. Carries the
 * kernel's name and the native error as `cause`. It is created in the JS function that awaited
 * the kernel, so its stack (with V8's async stack traces) leads back to the caller.
 *
 * @example
 * ```ts
 * import { NativeKernelError } from '@motiondelta/sparse-kernels-cpu';
 * try {
 *   await session.run(frame);
 * } catch (error) {
 *   if (NativeKernelError.isInstance(error)) console.error(error.kernel, error.message);
 * }
 * ```
 */
export class NativeKernelError extends MotionDeltaError {
  /** Stable code for programs that branch on the error kind. */
  readonly code = 'NATIVE_KERNEL';
  /** The native entry point that failed, e.g. `conv2d`. */
  readonly kernel: string;

  constructor(kernel: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('NativeKernelError', `Native kernel '${kernel}' failed: ${detail}`, { cause });
    this.kernel = kernel;
  }

  /** True for a NativeKernelError, even one made by another copy of this package. */
  static override isInstance(error: unknown): error is NativeKernelError {
    return MotionDeltaError.isInstance(error) && error.name === 'NativeKernelError';
  }
}

/**
 * Starts a native kernel and awaits it, turning a synchronous throw (arguments the addon refused,
 * a view of a detached ArrayBuffer among them) or a rejection (the computation failed) into a
 * NativeKernelError. A MotionDelta error thrown before the call (an InputError for a resizable
 * ArrayBuffer, see pinningAddon) passes through as it is. Being an async function that awaits, it
 * keeps the caller's frames in the error's stack.
 *
 * @example
 * ```ts
 * await callNative('conv2d', () => addon.conv2d(x, w, null, out, geometry, null));
 * ```
 */
export async function callNative<T>(kernel: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (cause) {
    if (MotionDeltaError.isInstance(cause)) throw cause;
    throw new NativeKernelError(kernel, cause);
  }
}

/**
 * A synchronous addon call (compiling a program), its refusal turned into a NativeKernelError as
 * {@link callNative} does for the asynchronous ones.
 *
 * @example
 * ```ts
 * const handle = callNativeSync('programCompile', () => addon.programCompile(spec));
 * ```
 */
export function callNativeSync<T>(kernel: string, start: () => T): T {
  try {
    return start();
  } catch (cause) {
    if (MotionDeltaError.isInstance(cause)) throw cause;
    throw new NativeKernelError(kernel, cause);
  }
}
