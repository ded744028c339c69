import { AlignmentError } from './errors.js';

/**
 * A 3x3 homography, row-major: `[h00, h01, h02, h10, h11, h12, h20, h21, h22]`. A point `(x, y)`
 * maps to `((h00 x + h01 y + h02) / w, (h10 x + h11 y + h12) / w)` with `w = h20 x + h21 y + h22`.
 */
export type Homography = Float64Array;

/**
 * Throws {@link AlignmentError} unless `h` holds 9 finite numbers.
 *
 * @example
 * ```ts
 * assertHomography(identityHomography(), 'H'); // passes
 * ```
 */
export function assertHomography(h: ArrayLike<number>, what: string): void {
  if (h.length !== 9) throw new AlignmentError(`${what} has ${h.length} entries; a homography is 9 numbers, row-major 3x3.`);
  for (let i = 0; i < 9; i++) {
    if (!Number.isFinite(h[i]!)) throw new AlignmentError(`${what}[${i}] is ${h[i]}; every entry must be finite.`);
  }
}

/**
 * The identity homography.
 *
 * @example
 * ```ts
 * identityHomography(); // Float64Array [1, 0, 0, 0, 1, 0, 0, 0, 1]
 * ```
 */
export function identityHomography(): Homography {
  return Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
}

/**
 * A pure translation by `(tx, ty)` pixels.
 *
 * @example
 * ```ts
 * applyHomography(translationHomography(3, -2), 1, 1); // [4, -1]
 * ```
 */
export function translationHomography(tx: number, ty: number): Homography {
  return Float64Array.of(1, 0, tx, 0, 1, ty, 0, 0, 1);
}

/**
 * Composition `a ∘ b` (the matrix product `a · b`): apply `b` first, then `a`. If `b` maps frame
 * pixels to world pixels and `a` maps world pixels to viewport pixels, the result maps frame
 * pixels to viewport pixels.
 *
 * @example
 * ```ts
 * const h = composeHomographies(translationHomography(1, 0), translationHomography(0, 2)); // translation (1, 2)
 * ```
 */
export function composeHomographies(a: ArrayLike<number>, b: ArrayLike<number>, out: Homography = new Float64Array(9)): Homography {
  const a0 = a[0]!,
    a1 = a[1]!,
    a2 = a[2]!,
    a3 = a[3]!,
    a4 = a[4]!,
    a5 = a[5]!,
    a6 = a[6]!,
    a7 = a[7]!,
    a8 = a[8]!;
  const b0 = b[0]!,
    b1 = b[1]!,
    b2 = b[2]!,
    b3 = b[3]!,
    b4 = b[4]!,
    b5 = b[5]!,
    b6 = b[6]!,
    b7 = b[7]!,
    b8 = b[8]!;
  out[0] = a0 * b0 + a1 * b3 + a2 * b6;
  out[1] = a0 * b1 + a1 * b4 + a2 * b7;
  out[2] = a0 * b2 + a1 * b5 + a2 * b8;
  out[3] = a3 * b0 + a4 * b3 + a5 * b6;
  out[4] = a3 * b1 + a4 * b4 + a5 * b7;
  out[5] = a3 * b2 + a4 * b5 + a5 * b8;
  out[6] = a6 * b0 + a7 * b3 + a8 * b6;
  out[7] = a6 * b1 + a7 * b4 + a8 * b7;
  out[8] = a6 * b2 + a7 * b5 + a8 * b8;
  return out;
}

/**
 * Inverse homography (normalized so that entry 8 is 1 when possible), or `null` when `h` is
 * singular or not finite.
 *
 * @example
 * ```ts
 * invertHomography(translationHomography(5, 0)); // translation (-5, 0)
 * ```
 */
export function invertHomography(h: ArrayLike<number>): Homography | null {
  const a = h[0]!,
    b = h[1]!,
    c = h[2]!,
    d = h[3]!,
    e = h[4]!,
    f = h[5]!,
    g = h[6]!,
    k = h[7]!,
    m = h[8]!;
  const c0 = e * m - f * k;
  const c1 = f * g - d * m;
  const c2 = d * k - e * g;
  const det = a * c0 + b * c1 + c * c2;
  let scale = 0;
  for (let i = 0; i < 9; i++) scale = Math.max(scale, Math.abs(h[i]!));
  // Relative test: a homography may be scaled arbitrarily, so compare det with scale^3.
  if (!Number.isFinite(det) || scale === 0 || Math.abs(det) < 1e-14 * scale * scale * scale) return null;
  const out = Float64Array.of(c0, c * k - b * m, b * f - c * e, c1, a * m - c * g, c * d - a * f, c2, b * g - a * k, a * e - b * d);
  return normalizeHomography(out, out);
}

/**
 * Scales `h` so that entry 8 is 1 (or, when entry 8 is near zero, so that the Frobenius norm is
 * 1). Homographies are defined up to scale; this makes them comparable entry by entry.
 *
 * @example
 * ```ts
 * normalizeHomography([2, 0, 0, 0, 2, 0, 0, 0, 2]); // identity
 * ```
 */
export function normalizeHomography(h: ArrayLike<number>, out: Homography = new Float64Array(9)): Homography {
  let norm = 0;
  for (let i = 0; i < 9; i++) norm += h[i]! * h[i]!;
  norm = Math.sqrt(norm);
  const h8 = h[8]!;
  const s = Math.abs(h8) > 1e-12 * norm ? 1 / h8 : norm > 0 ? 1 / norm : 1;
  for (let i = 0; i < 9; i++) out[i] = h[i]! * s;
  return out;
}

/**
 * Maps one point: returns `[x', y']`. Points on the line at infinity give non-finite values, so
 * check with `Number.isFinite` when `h` is arbitrary.
 *
 * @example
 * ```ts
 * applyHomography(identityHomography(), 3, 4); // [3, 4]
 * ```
 */
export function applyHomography(h: ArrayLike<number>, x: number, y: number): [number, number] {
  const w = h[6]! * x + h[7]! * y + h[8]!;
  return [(h[0]! * x + h[1]! * y + h[2]!) / w, (h[3]! * x + h[4]! * y + h[5]!) / w];
}

/**
 * Mean distance between where `estimate` and `truth` send the four corners of a `width x height`
 * image (pixel centres `(0,0)` to `(width-1, height-1)`): the accuracy measure of the acceptance
 * tests and benchmark.
 *
 * @example
 * ```ts
 * cornerError(translationHomography(0.5, 0), identityHomography(), 640, 480); // 0.5
 * ```
 */
export function cornerError(estimate: ArrayLike<number>, truth: ArrayLike<number>, width: number, height: number): number {
  const xs = [0, width - 1, width - 1, 0];
  const ys = [0, 0, height - 1, height - 1];
  let sum = 0;
  for (let k = 0; k < 4; k++) {
    const [ex, ey] = applyHomography(estimate, xs[k]!, ys[k]!);
    const [tx, ty] = applyHomography(truth, xs[k]!, ys[k]!);
    sum += Math.hypot(ex - tx, ey - ty);
  }
  return sum / 4;
}
