import { PNG } from 'pngjs';
import type { RgbImage } from '@motiondelta/video-io';

/** PNG colour types (PNG spec): 0 grey, 2 RGB. */
const GREY = 0;
const RGB = 2;

/**
 * Encodes an RGB image as PNG bytes. Images whose three channels agree everywhere (update masks)
 * are stored as grey, a third of the size before compression.
 */
export function encodePng(image: RgbImage): Buffer {
  const { width, height, data } = image;
  let grey = true;
  for (let i = 0; i < data.length && grey; i += 3) grey = data[i] === data[i + 1] && data[i] === data[i + 2];
  const pixels = grey ? Buffer.from(data.filter((_, i) => i % 3 === 0)) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const colorType = grey ? GREY : RGB;
  return PNG.sync.write({ width, height, data: pixels } as PNG, { colorType, inputColorType: colorType, inputHasAlpha: false });
}

/** A PNG as a `data:` URI, so the report is one file. */
export function pngDataUri(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}
