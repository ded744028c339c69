import type { GrayImage } from './image.js';

/**
 * Harris response `det(M) - k * trace(M)^2` of the 7x7 structure tensor at integer pixel
 * `(x, y)` (which must lie at least 4 pixels inside the image). FAST fires on edges too; Harris
 * ranks true two-directional corners first, which is what makes a homography well conditioned.
 *
 * @example
 * ```ts
 * const r = harrisResponse(gray, 100, 80); // > 0 on corners, < 0 on edges
 * ```
 */
export function harrisResponse(image: GrayImage, x: number, y: number, k = 0.04): number {
  const { width: w, data } = image;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let dy = -3; dy <= 3; dy++) {
    let i = (y + dy) * w + x - 3;
    for (let dx = -3; dx <= 3; dx++, i++) {
      const gx = data[i + 1]! - data[i - 1]!;
      const gy = data[i + w]! - data[i - w]!;
      sxx += gx * gx;
      syy += gy * gy;
      sxy += gx * gy;
    }
  }
  const tr = sxx + syy;
  return sxx * syy - sxy * sxy - k * tr * tr;
}
