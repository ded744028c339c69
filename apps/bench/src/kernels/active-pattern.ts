import { randomInt, type Rng } from '@motiondelta/core';

/**
 * Pixel indices (y * width + x) covering about `fraction` of an image, in square blobs of side up
 * to `blob`: frame differences of real video cluster around moving things, so blobs are what a
 * delta kernel meets, not isolated pixels.
 *
 * @example
 * ```ts
 * const pixels = activeBlobs(createRng(1), 144, 192, 0.1, 12); // about 2765 pixels
 * ```
 */
export function activeBlobs(rng: Rng, height: number, width: number, fraction: number, blob: number): number[] {
  const target = Math.max(1, Math.round(fraction * height * width));
  const mask = new Uint8Array(height * width);
  const pixels: number[] = [];
  while (pixels.length < target) {
    const side = randomInt(rng, 1, blob);
    const y0 = randomInt(rng, 0, height - 1);
    const x0 = randomInt(rng, 0, width - 1);
    for (let y = y0; y < Math.min(height, y0 + side) && pixels.length < target; y++) {
      for (let x = x0; x < Math.min(width, x0 + side) && pixels.length < target; x++) {
        const p = y * width + x;
        if (mask[p] === 1) continue;
        mask[p] = 1;
        pixels.push(p);
      }
    }
  }
  return pixels;
}
