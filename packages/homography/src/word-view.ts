/**
 * True on little-endian hosts (every platform Node runs on in practice). The packed-lane kernels
 * below assume pixel `4k` is the low byte of 32-bit word `k`; elsewhere they are skipped.
 */
export const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * A `Uint32Array` over the same bytes as `bytes` (first `floor(length / 4)` words), or `null`
 * when the bytes do not start on a 4-byte boundary or the host is big-endian. Reading four pixels
 * per load and adding them in 16-bit lanes of one integer ("SWAR") roughly halves the per-pixel
 * cost of the 8-bit filters in V8, which does not vectorize typed-array loops.
 *
 * @example
 * ```ts
 * const words = wordView(new Uint8Array(16)); // Uint32Array of length 4
 * ```
 */
export function wordView(bytes: Uint8Array | Uint8ClampedArray): Uint32Array | null {
  if (!LITTLE_ENDIAN || bytes.byteOffset % 4 !== 0) return null;
  return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
}
