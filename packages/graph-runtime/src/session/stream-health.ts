import type { TensorMap } from '@motiondelta/core';

/**
 * A delta or motion stream is refreshed by a keyframe (every accumulator recomputed densely) when
 * the largest input magnitude seen since its last keyframe (`peak`) is more than this many times
 * the current frame's (`m`), per input.
 *
 * Why: state is accumulated in float32. Each `acc += delta` rounds at the magnitude of its
 * operands, so while values of magnitude `peak` pass through a value's accumulator (and when they
 * are taken out again) it picks up an absolute error of about `c * 2^-23 * peak * gain`, which
 * stays after those values are gone: taking them out cancels the values, not their rounding.
 * Against the current frame that is a relative error of about `c * 2^-23 * peak / m`. Measured on
 * esrgan-x2 (16x24, delta and motion, threshold 0, one frame scaled by 10 to 1e6 among normal
 * frames): relative L2 error `3.5e-7 * peak / m` on every later frame, so `c` is about 3. The
 * end-to-end tests hold both modes at threshold 0 to relative L2 1e-4 of dense; a ratio of 32
 * keeps what a resynchronised stream can carry at about 1.1e-5 there, an order below that, which
 * leaves room for deeper networks (`c` grows with depth) and the ordinary rounding of normal
 * frames. Put in bits: the state is rebuilt before the peak costs this frame's values 5 of their
 * 24 bits of mantissa.
 *
 * Cost: the peak is measured while the input is copied (the pass that checks it is finite), so
 * normal frames pay nothing more. Normal video drops 32-fold in magnitude only at a cut or a fade
 * to (almost) black, where nearly every input pixel changes and a delta frame costs about what
 * the dense keyframe does. An all-zero stream never resynchronises (0 is not over 32 * 0).
 */
export const RESYNC_RATIO = 32;

/** Whether a stream's state can still be updated incrementally; see {@link RESYNC_RATIO}. */
export class StreamHealth {
  readonly #peaks: number[];
  #nonFinite = false;

  /** Starts with a keyframe's input magnitudes (largest |value| per input, in graph input order). */
  constructor(peaks: readonly number[]) {
    this.#peaks = [...peaks];
  }

  /**
   * Why the next frame, of input magnitudes `peaks`, must be a keyframe instead of a delta frame,
   * or `undefined` when it may run incrementally. Cheap: one comparison per input.
   */
  keyframeReason(peaks: readonly number[]): 'non-finite' | 'resync' | undefined {
    if (this.#nonFinite) return 'non-finite';
    for (let i = 0; i < peaks.length; i++) if (this.#peaks[i]! > RESYNC_RATIO * peaks[i]!) return 'resync';
    return undefined;
  }

  /** Records a delta frame's input magnitudes: the stream's state now carries them. */
  extend(peaks: readonly number[]): void {
    for (let i = 0; i < peaks.length; i++) this.#peaks[i] = Math.max(this.#peaks[i]!, peaks[i]!);
  }

  /**
   * Looks at a frame's outputs (read every frame anyway): a NaN or infinity there (an overflow
   * inside the network, from finite but huge inputs) lives in the state too, where it would never
   * cancel (Inf - Inf is NaN), so the next frame must be a keyframe.
   */
  checkOutputs(outputs: TensorMap): void {
    for (const t of Object.values(outputs)) {
      const d = t.data;
      for (let i = 0; i < d.length; i++) {
        // `x - x` is 0 for every finite x and NaN for NaN and both infinities.
        if (d[i]! - d[i]! !== 0) {
          this.#nonFinite = true;
          return;
        }
      }
    }
  }
}
