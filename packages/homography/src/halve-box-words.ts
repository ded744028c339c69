/** Low and high 16-bit lanes of a word: bytes 0 and 2 (after `>>> 8`: bytes 1 and 3). */
const LANES = 0x00ff00ff;
/** Rounding term (2) in both lanes before the shift by 2. */
const HALF = 0x00020002;

/**
 * {@link halveBox} on packed words, bit-identical to the scalar loop: per row pair, two source
 * words (8 pixels) of each row give one output word (4 pixels). Bytes are summed in 16-bit lanes
 * (at most 1020 per lane), so no lane carries into the next.
 *
 * `src` and `dst` are word views of the input and output bytes; the source width must be a
 * multiple of 8 (so both images' rows start on words).
 */
export function halveBoxWords(src: Uint32Array, width: number, height: number, dst: Uint32Array): void {
  const q = width >> 2;
  const outQ = width >> 3;
  const h = height >> 1;
  for (let y = 0; y < h; y++) {
    const r0 = 2 * y * q;
    const r1 = r0 + q;
    const o = y * outQ;
    for (let k = 0; k < outQ; k++) {
      const a0 = src[r0 + 2 * k]!,
        a1 = src[r0 + 2 * k + 1]!;
      const b0 = src[r1 + 2 * k]!,
        b1 = src[r1 + 2 * k + 1]!;
      // Lanes of s0: pixel pairs (0, 1) and (2, 3) of both rows; of s1: pairs (4, 5), (6, 7).
      const s0 = (a0 & LANES) + (b0 & LANES) + ((a0 >>> 8) & LANES) + ((b0 >>> 8) & LANES);
      const s1 = (a1 & LANES) + (b1 & LANES) + ((a1 >>> 8) & LANES) + ((b1 >>> 8) & LANES);
      const m0 = ((s0 + HALF) >>> 2) & LANES;
      const m1 = ((s1 + HALF) >>> 2) & LANES;
      dst[o + k] = (m0 & 0xff) | ((m0 >>> 8) & 0xff00) | ((m1 & 0xff) << 16) | ((m1 & 0xff0000) << 8);
    }
  }
}
