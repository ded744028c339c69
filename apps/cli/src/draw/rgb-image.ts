import type { RgbImage } from '@motiondelta/video-io';

/** An RGB colour, 0..255 per channel. */
export type Rgb = readonly [number, number, number];

/** A blank (black) image. */
export function createImage(width: number, height: number): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3) };
}

/** A copy, so drawing never changes a frame the caller still holds. */
export function copyImage(image: RgbImage): RgbImage {
  return { width: image.width, height: image.height, data: Uint8Array.from(image.data) };
}

/** Blends `colour` into one pixel with opacity `alpha` (0..1); pixels outside the image are ignored. */
export function blendPixel(image: RgbImage, x: number, y: number, colour: Rgb, alpha: number): void {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
  const i = (y * image.width + x) * 3;
  const a = Math.min(1, Math.max(0, alpha));
  for (let c = 0; c < 3; c++) image.data[i + c] = Math.round(image.data[i + c]! * (1 - a) + colour[c]! * a);
}

/** Enlarges by an integer factor, repeating pixels (masks and small maps stay crisp). */
export function scaleNearest(image: RgbImage, factor: number): RgbImage {
  const out = createImage(image.width * factor, image.height * factor);
  for (let y = 0; y < out.height; y++) {
    for (let x = 0; x < out.width; x++) {
      const s = (Math.floor(y / factor) * image.width + Math.floor(x / factor)) * 3;
      const d = (y * out.width + x) * 3;
      out.data[d] = image.data[s]!;
      out.data[d + 1] = image.data[s + 1]!;
      out.data[d + 2] = image.data[s + 2]!;
    }
  }
  return out;
}

/** Images next to each other, top-aligned, with a gap of `gap` dark pixels. */
export function sideBySide(images: readonly RgbImage[], gap = 4): RgbImage {
  const width = images.reduce((acc, im) => acc + im.width, 0) + gap * Math.max(0, images.length - 1);
  const height = images.reduce((acc, im) => Math.max(acc, im.height), 0);
  const out = createImage(width, height);
  let x0 = 0;
  for (const im of images) {
    for (let y = 0; y < im.height; y++) {
      out.data.set(im.data.subarray(y * im.width * 3, (y + 1) * im.width * 3), (y * width + x0) * 3);
    }
    x0 += im.width + gap;
  }
  return out;
}
