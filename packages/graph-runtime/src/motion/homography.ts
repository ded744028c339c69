import { InputError } from '@motiondelta/core';

/** A 3x3 homography, row-major: `[h00, h01, h02, h10, h11, h12, h20, h21, h22]`. */
export type Homography3x3 = readonly number[];

/** The identity homography (a static camera). */
export const IDENTITY_HOMOGRAPHY: Homography3x3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

const ACCEPTED =
  'a homography is a 3x3 row-major array of 9 finite numbers mapping frame pixels (x right, y down) to world pixels, ' +
  'invertible, with h22 != 0 (for example [1,0,tx, 0,1,ty, 0,0,1] for a pan by (tx, ty))';

/**
 * Checks a user-supplied homography and returns it normalised (h22 = 1) as a plain array.
 * @throws InputError naming what was wrong and what is accepted.
 */
export function checkHomography(h: unknown, what = 'homography'): number[] {
  if (h === undefined || h === null) throw new InputError(`${what} is missing; ${ACCEPTED}.`);
  const like = h as ArrayLike<unknown>;
  if (typeof h !== 'object' || typeof like.length !== 'number' || like.length !== 9) {
    throw new InputError(`${what} must have 9 entries, got ${describeValue(h)}; ${ACCEPTED}.`);
  }
  const m: number[] = [];
  for (let i = 0; i < 9; i++) {
    const v = like[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InputError(`${what}[${i}] is ${String(v)}, not a finite number; ${ACCEPTED}.`);
    }
    m.push(v);
  }
  const h22 = m[8]!;
  if (h22 === 0) throw new InputError(`${what}[8] (h22) is 0; ${ACCEPTED}.`);
  const n = m.map((v) => v / h22);
  const det = determinant(n);
  // Relative to the affine part's scale, so a homography in large pixel units is not flagged.
  const scale = Math.max(Math.abs(n[0]!), Math.abs(n[1]!), Math.abs(n[3]!), Math.abs(n[4]!), 1e-300);
  if (!Number.isFinite(det) || Math.abs(det) <= 1e-9 * scale * scale) {
    throw new InputError(`${what} is singular (determinant ${det}); ${ACCEPTED}.`);
  }
  return n;
}

function describeValue(v: unknown): string {
  if (typeof v !== 'object' || v === null) return String(v);
  const len = (v as { length?: unknown }).length;
  return typeof len === 'number' ? `${len} entries` : 'an object without length';
}

export function determinant(m: Homography3x3): number {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
}

/** `a · b` (apply b first). */
export function compose(a: Homography3x3, b: Homography3x3): number[] {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += a[r * 3 + k]! * b[k * 3 + c]!;
      out[r * 3 + c] = s;
    }
  }
  return out;
}

/** The inverse, normalised to h22 = 1. The caller has checked invertibility. */
export function invert(m: Homography3x3): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const det = determinant(m);
  const inv = [
    (e * i - f * h) / det,
    (c * h - b * i) / det,
    (b * f - c * e) / det,
    (f * g - d * i) / det,
    (a * i - c * g) / det,
    (c * d - a * f) / det,
    (d * h - e * g) / det,
    (b * g - a * h) / det,
    (a * e - b * d) / det,
  ];
  const s = inv[8]!;
  return s !== 0 && Number.isFinite(s) ? inv.map((v) => v / s) : inv;
}

/** Maps the pixel `(x, y)` through `m`; returns `[x', y']` (non-finite where `m` sends it to infinity). */
export function applyHomography(m: Homography3x3, x: number, y: number): [number, number] {
  const w = m[6]! * x + m[7]! * y + m[8]!;
  return [(m[0]! * x + m[1]! * y + m[2]!) / w, (m[3]! * x + m[4]! * y + m[5]!) / w];
}

/** A translation homography. */
export function translation(tx: number, ty: number): number[] {
  return [1, 0, tx, 0, 1, ty, 0, 0, 1];
}

/**
 * How far a homography is from a pure translation, measured at a point: the local linear map's
 * scale (geometric mean of its singular values) and rotation angle. Used to decide re-anchoring.
 */
export function localScaleAndRotation(m: Homography3x3, x: number, y: number): { scale: number; rotation: number } {
  // Jacobian of the projective map at (x, y).
  const w = m[6]! * x + m[7]! * y + m[8]!;
  const [px, py] = applyHomography(m, x, y);
  const j00 = (m[0]! - m[6]! * px) / w;
  const j01 = (m[1]! - m[7]! * px) / w;
  const j10 = (m[3]! - m[6]! * py) / w;
  const j11 = (m[4]! - m[7]! * py) / w;
  const det = j00 * j11 - j01 * j10;
  return { scale: Math.sqrt(Math.abs(det)), rotation: Math.atan2(j10 - j01, j00 + j11) };
}

/** True when `m` is an integer translation (the warp is then an exact copy). */
export function isIntegerTranslation(m: Homography3x3, tolerance = 1e-9): boolean {
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= tolerance;
  return (
    near(m[0]!, 1) &&
    near(m[1]!, 0) &&
    near(m[3]!, 0) &&
    near(m[4]!, 1) &&
    near(m[6]!, 0) &&
    near(m[7]!, 0) &&
    near(m[8]!, 1) &&
    near(m[2]!, Math.round(m[2]!)) &&
    near(m[5]!, Math.round(m[5]!))
  );
}
