import type { RgbImage } from '@motiondelta/video-io';

/**
 * A smaller copy: each output pixel is the mean of the input pixels whose centres fall in its
 * footprint (a box filter, so no aliasing shimmer on textured frames). `scale` 1 copies.
 *
 * @example
 * downscale({ width: 4, height: 2, data }, 0.5); // 2x1
 */
export function downscale(image: RgbImage, scale: number): RgbImage {
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  if (width === image.width && height === image.height) return { width, height, data: Uint8Array.from(image.data) };
  const data = new Uint8Array(width * height * 3);
  const fy = image.height / height;
  const fx = image.width / width;
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * fy);
    const y1 = Math.max(y0 + 1, Math.floor((y + 1) * fy));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * fx);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * fx));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const i = (sy * image.width + sx) * 3;
          r += image.data[i]!;
          g += image.data[i + 1]!;
          b += image.data[i + 2]!;
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * width + x) * 3;
      data[o] = Math.round(r / n);
      data[o + 1] = Math.round(g / n);
      data[o + 2] = Math.round(b / n);
    }
  }
  return { width, height, data };
}
