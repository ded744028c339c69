import { MotionDeltaError } from '@motiondelta/core';

/**
 * An argument given to an alignment function is unusable: an image whose data length does not
 * match `width * height * channels`, a channel count other than 1, 3 or 4, a malformed 3x3 matrix,
 * or an option out of range. Ordinary frames that cannot be aligned never throw; they give
 * `ok: false` with a reason instead.
 *
 * @example
 * ```ts
 * import { AlignmentError, toGrayscale } from '@motiondelta/homography';
 * try {
 *   toGrayscale({ data: new Uint8Array(5), width: 2, height: 2, channels: 3 });
 * } catch (error) {
 *   if (AlignmentError.isInstance(error)) console.log(error.message);
 * }
 * ```
 */
export class AlignmentError extends MotionDeltaError {
  constructor(message: string) {
    super('AlignmentError', message);
  }
  static override isInstance(error: unknown): error is AlignmentError {
    return MotionDeltaError.isInstance(error) && error.name === 'AlignmentError';
  }
}
