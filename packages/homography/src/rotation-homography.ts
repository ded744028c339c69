import { AlignmentError } from './errors.js';
import { type Homography, normalizeHomography } from './homography-math.js';

/** Pinhole intrinsics in pixels. */
export interface Intrinsics {
  readonly fx: number;
  readonly fy: number;
  readonly cx: number;
  readonly cy: number;
}

/**
 * Rotation matrix (row-major 3x3) of a unit quaternion `(w, x, y, z)`, as IMUs report attitude.
 * The quaternion is normalized first.
 *
 * @example
 * ```ts
 * rotationFromQuaternion(1, 0, 0, 0); // identity
 * ```
 */
export function rotationFromQuaternion(w: number, x: number, y: number, z: number): Float64Array {
  const n = Math.hypot(w, x, y, z);
  if (!(n > 0) || !Number.isFinite(n)) throw new AlignmentError('Quaternion must be finite and non-zero.');
  w /= n;
  x /= n;
  y /= n;
  z /= n;
  return Float64Array.of(
    1 - 2 * (y * y + z * z),
    2 * (x * y - w * z),
    2 * (x * z + w * y),
    2 * (x * y + w * z),
    1 - 2 * (x * x + z * z),
    2 * (y * z - w * x),
    2 * (x * z - w * y),
    2 * (y * z + w * x),
    1 - 2 * (x * x + y * y),
  );
}

/**
 * Homography of a pure camera rotation: `K_a · R · K_b⁻¹`, mapping pixels of frame b to pixels
 * of frame a, where `R` rotates direction vectors from b's camera frame into a's (for a camera
 * that only rotates, or a scene far away, this is exact). `intrinsicsA` defaults to
 * `intrinsicsB` (same camera).
 *
 * @example
 * ```ts
 * const K = { fx: 500, fy: 500, cx: 319.5, cy: 239.5 };
 * const h = homographyFromRotation(rotationFromQuaternion(1, 0, 0, 0), K); // identity
 * ```
 */
export function homographyFromRotation(
  rotationAFromB: ArrayLike<number>,
  intrinsicsB: Intrinsics,
  intrinsicsA: Intrinsics = intrinsicsB,
): Homography {
  if (rotationAFromB.length !== 9) throw new AlignmentError('rotationAFromB must be a row-major 3x3 matrix (9 numbers).');
  for (const k of [intrinsicsA, intrinsicsB]) {
    if (!(k.fx > 0 && k.fy > 0) || !Number.isFinite(k.cx) || !Number.isFinite(k.cy)) {
      throw new AlignmentError('Intrinsics need positive focal lengths and a finite principal point.');
    }
  }
  const r = rotationAFromB;
  const { fx: bx, fy: by, cx: bcx, cy: bcy } = intrinsicsB;
  // R · K_b⁻¹ with K_b⁻¹ = [[1/fx, 0, -cx/fx], [0, 1/fy, -cy/fy], [0, 0, 1]].
  const m = new Float64Array(9);
  for (let row = 0; row < 3; row++) {
    const r0 = r[row * 3]!,
      r1 = r[row * 3 + 1]!,
      r2 = r[row * 3 + 2]!;
    m[row * 3] = r0 / bx;
    m[row * 3 + 1] = r1 / by;
    m[row * 3 + 2] = r2 - (r0 * bcx) / bx - (r1 * bcy) / by;
  }
  const { fx: ax, fy: ay, cx: acx, cy: acy } = intrinsicsA;
  const out = new Float64Array(9);
  for (let col = 0; col < 3; col++) {
    out[col] = ax * m[col]! + acx * m[6 + col]!;
    out[3 + col] = ay * m[3 + col]! + acy * m[6 + col]!;
    out[6 + col] = m[6 + col]!;
  }
  return normalizeHomography(out, out);
}
