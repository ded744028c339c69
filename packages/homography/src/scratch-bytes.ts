/**
 * Byte buffers reused across calls, one per slot, grown on demand. Feature extraction makes
 * several frame-sized intermediates (luma, blurred luma, pyramid levels) that die with the call;
 * allocating them fresh each frame cost time in allocation and in the garbage collection of their
 * backing stores. Only buffers that never leave the call may come from here: a result that is
 * returned (such as `FrameFeatures.smoothed`) must be allocated normally.
 */
const pool: Uint8Array[] = [];

/**
 * A buffer of exactly `length` bytes for `slot`; its contents are whatever the last user left, so
 * callers overwrite every byte. It starts on an 8-byte boundary (a fresh buffer at offset 0), so
 * word views of it are aligned.
 *
 * @example
 * ```ts
 * const gray = scratchBytes(0, 320 * 240); // the same memory as the previous call's slot 0
 * ```
 */
export function scratchBytes(slot: number, length: number): Uint8Array {
  let b = pool[slot];
  if (!b || b.length < length) {
    b = new Uint8Array(length);
    pool[slot] = b;
  }
  return b.subarray(0, length);
}
