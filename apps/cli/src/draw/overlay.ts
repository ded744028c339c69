import type { RgbImage } from '@motiondelta/video-io';
import { colormap } from './colormap.js';
import { copyImage, type Rgb } from './rgb-image.js';
import { resample, type ScalarMap } from './scalar-map.js';

/**
 * Draws a 0..1 map over a picture in the colormap, stretched to the picture's size. Opacity grows
 * with the value (up to `maxAlpha`) so the picture stays visible where the map is low.
 */
export function heatOverlay(image: RgbImage, map: ScalarMap, maxAlpha = 0.65): RgbImage {
  const out = copyImage(image);
  const fitted = map.width === image.width && map.height === image.height ? map : resample(map, image.width, image.height);
  for (let p = 0; p < image.width * image.height; p++) {
    const v = fitted.data[p]!;
    const colour = colormap(v);
    const a = maxAlpha * Math.min(1, Math.max(0, v));
    for (let c = 0; c < 3; c++) out.data[p * 3 + c] = Math.round(out.data[p * 3 + c]! * (1 - a) + colour[c]! * a);
  }
  return out;
}

/** Tints a picture with one colour where a 0..1 mask is high (a segmentation overlay). */
export function tintOverlay(image: RgbImage, mask: ScalarMap, colour: Rgb, maxAlpha = 0.55): RgbImage {
  const out = copyImage(image);
  const fitted = mask.width === image.width && mask.height === image.height ? mask : resample(mask, image.width, image.height);
  for (let p = 0; p < image.width * image.height; p++) {
    const a = maxAlpha * Math.min(1, Math.max(0, fitted.data[p]!));
    for (let c = 0; c < 3; c++) out.data[p * 3 + c] = Math.round(out.data[p * 3 + c]! * (1 - a) + colour[c]! * a);
  }
  return out;
}

/** A 0..1 map as a grey image (1 = white): how update masks are shown. */
export function greyImage(map: ScalarMap): RgbImage {
  const data = new Uint8Array(map.width * map.height * 3);
  for (let p = 0; p < map.width * map.height; p++) data.fill(Math.round(255 * Math.min(1, Math.max(0, map.data[p]!))), p * 3, p * 3 + 3);
  return { width: map.width, height: map.height, data };
}

/** A float NHWC 3-channel tensor of pixel values in 0..255 (a super-resolution output) as an image. */
export function tensorToImage(data: Float32Array, shape: readonly number[]): RgbImage {
  const height = shape[1]!;
  const width = shape[2]!;
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(Math.min(255, Math.max(0, data[i]!)));
  return { width, height, data: out };
}
