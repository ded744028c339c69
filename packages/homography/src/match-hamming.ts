import { AlignmentError } from './errors.js';
import { DESCRIPTOR_WORDS } from './orb-descriptor.js';

/** Options of {@link matchDescriptors}. */
export interface MatchOptions {
  /** Lowe's ratio: keep a match only if best < ratio * second best. Default 0.8. */
  readonly ratio?: number;
  /** Largest Hamming distance accepted (of 256 bits). Default 80. */
  readonly maxDistance?: number;
  /** Keep only matches that are also the best the other way round. Default true. */
  readonly crossCheck?: boolean;
}

/** Index pairs `(a[k], b[k])` of matched descriptors and their Hamming distances. */
export interface Matches {
  readonly count: number;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly distance: Uint16Array;
}

// Bit counts of every 16-bit value: two lookups per 32-bit word beat arithmetic popcount in V8.
const POPCOUNT16 = (() => {
  const t = new Uint8Array(65536);
  for (let i = 1; i < 65536; i++) t[i] = (i & 1) + t[i >> 1]!;
  return t;
})();

/**
 * Candidate columns per row: row `i` of a is compared with columns `from[i] <= j < to[i]` of b
 * only. The column best (cross-check) is then the best over the rows that saw the column.
 */
export interface MatchWindow {
  readonly from: Int32Array;
  readonly to: Int32Array;
}

/**
 * Brute-force Hamming matching of 256-bit descriptors with the ratio test and a cross-check.
 * One pass over all pairs keeps both the best two per row and the best per column, so the
 * cross-check costs nothing extra. `window` restricts each row to a range of columns.
 *
 * @example
 * ```ts
 * const m = matchDescriptors(fa.descriptors, fa.count, fb.descriptors, fb.count);
 * m.count; // matched pairs
 * ```
 */
export function matchDescriptors(
  descA: Uint32Array,
  countA: number,
  descB: Uint32Array,
  countB: number,
  options: MatchOptions = {},
  window?: MatchWindow,
): Matches {
  const ratio = options.ratio ?? 0.8;
  const maxDistance = options.maxDistance ?? 80;
  const crossCheck = options.crossCheck ?? true;
  if (!(ratio > 0 && ratio <= 1)) throw new AlignmentError(`ratio is ${ratio}; use a number in (0, 1].`);
  if (descA.length < countA * DESCRIPTOR_WORDS || descB.length < countB * DESCRIPTOR_WORDS) {
    throw new AlignmentError('Descriptor arrays are shorter than count * 8 words.');
  }
  const best = new Int32Array(countA).fill(-1);
  const d1 = new Uint16Array(countA).fill(65535);
  const d2 = new Uint16Array(countA).fill(65535);
  const colBest = new Int32Array(countB).fill(-1);
  const colD = new Uint16Array(countB).fill(65535);
  const pc = POPCOUNT16;
  for (let i = 0; i < countA; i++) {
    const ia = i * 8;
    const a0 = descA[ia]!,
      a1 = descA[ia + 1]!,
      a2 = descA[ia + 2]!,
      a3 = descA[ia + 3]!;
    const a4 = descA[ia + 4]!,
      a5 = descA[ia + 5]!,
      a6 = descA[ia + 6]!,
      a7 = descA[ia + 7]!;
    let b1 = 65535;
    let b2 = 65535;
    let bi = -1;
    const jEnd = window ? Math.min(countB, window.to[i]!) : countB;
    for (let j = window ? Math.max(0, window.from[i]!) : 0, jb = j * 8; j < jEnd; j++, jb += 8) {
      let x = (a0 ^ descB[jb]!) >>> 0;
      let d = pc[x & 0xffff]! + pc[x >>> 16]!;
      x = (a1 ^ descB[jb + 1]!) >>> 0;
      d += pc[x & 0xffff]! + pc[x >>> 16]!;
      x = (a2 ^ descB[jb + 2]!) >>> 0;
      d += pc[x & 0xffff]! + pc[x >>> 16]!;
      x = (a3 ^ descB[jb + 3]!) >>> 0;
      d += pc[x & 0xffff]! + pc[x >>> 16]!;
      x = (a4 ^ descB[jb + 4]!) >>> 0;
      d += pc[x & 0xffff]! + pc[x >>> 16]!;
      x = (a5 ^ descB[jb + 5]!) >>> 0;
      d += pc[x & 0xffff]! + pc[x >>> 16]!;
      x = (a6 ^ descB[jb + 6]!) >>> 0;
      d += pc[x & 0xffff]! + pc[x >>> 16]!;
      x = (a7 ^ descB[jb + 7]!) >>> 0;
      d += pc[x & 0xffff]! + pc[x >>> 16]!;
      if (d < b2) {
        if (d < b1) {
          b2 = b1;
          b1 = d;
          bi = j;
        } else b2 = d;
      }
      if (d < colD[j]!) {
        colD[j] = d;
        colBest[j] = i;
      }
    }
    best[i] = bi;
    d1[i] = b1;
    d2[i] = b2;
  }
  const outA = new Int32Array(countA);
  const outB = new Int32Array(countA);
  const outD = new Uint16Array(countA);
  let n = 0;
  for (let i = 0; i < countA; i++) {
    const j = best[i]!;
    if (j < 0 || d1[i]! > maxDistance) continue;
    if (d2[i]! !== 65535 && d1[i]! >= ratio * d2[i]!) continue;
    if (crossCheck && colBest[j] !== i) continue;
    outA[n] = i;
    outB[n] = j;
    outD[n] = d1[i]!;
    n++;
  }
  return { count: n, a: outA.subarray(0, n), b: outB.subarray(0, n), distance: outD.subarray(0, n) };
}
