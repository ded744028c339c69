import type { GrayImage } from './image.js';

/** Radius of the disc used for orientation and descriptors, in level pixels. */
export const PATCH_RADIUS = 15;

// Half-width of the disc on each row, so the patch is round and rotation does not change it.
const ROW_EXTENT = (() => {
  const e = new Int32Array(PATCH_RADIUS + 1);
  for (let v = 0; v <= PATCH_RADIUS; v++) e[v] = Math.floor(Math.sqrt(PATCH_RADIUS * PATCH_RADIUS - v * v) + 1e-9);
  return e;
})();

/**
 * Orientation of the patch around `(x, y)` by the intensity centroid: the angle (radians) of the
 * vector from the centre to the centre of mass of the disc of radius {@link PATCH_RADIUS}. The
 * point must lie at least `PATCH_RADIUS` pixels inside the image.
 *
 * @example
 * ```ts
 * const angle = patchOrientation(gray, 120, 90); // in (-pi, pi]
 * ```
 */
export function patchOrientation(image: GrayImage, x: number, y: number): number {
  const { width: w, data } = image;
  const c = y * w + x;
  let m10 = 0;
  let m01 = 0;
  for (let u = -PATCH_RADIUS; u <= PATCH_RADIUS; u++) m10 += u * data[c + u]!;
  for (let v = 1; v <= PATCH_RADIUS; v++) {
    const e = ROW_EXTENT[v]!;
    let sumDiff = 0;
    for (let u = -e; u <= e; u++) {
      const below = data[c + v * w + u]!;
      const above = data[c - v * w + u]!;
      sumDiff += below - above;
      m10 += u * (below + above);
    }
    m01 += v * sumDiff;
  }
  return Math.atan2(m01, m10);
}
