import { MotionDeltaError } from '@motiondelta/core';

/**
 * The device refused work: a shader or pipeline that did not validate (a bug of this backend,
 * reported with the driver's message), memory it could not allocate, or an internal driver error.
 */
export class WebGpuError extends MotionDeltaError {
  constructor(message: string) {
    super('WebGpuError', message);
  }
}

/**
 * Runs `work` inside validation, out-of-memory and internal error scopes and throws WebGpuError
 * with what the device reported, so that a failure is an error of the call that caused it instead
 * of a console message and wrong results.
 */
export async function deviceChecked<T>(device: GPUDevice, what: string, work: () => T | Promise<T>, onError?: () => void): Promise<T> {
  device.pushErrorScope('internal');
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await work() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  // Scopes are always popped, also when `work` threw; a device error explains a failure better
  // than the error `work` threw because of it.
  const errors = await Promise.all([device.popErrorScope(), device.popErrorScope(), device.popErrorScope()]);
  const first = errors.find((e) => e !== null);
  if (first) {
    onError?.();
    throw new WebGpuError(`webgpu: ${what} failed on the device: ${first.message.trim()}`);
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
