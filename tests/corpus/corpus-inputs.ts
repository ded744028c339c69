import type { ValueInfo } from 'motiondelta';
import { readImage, type RgbImage } from '@motiondelta/video-io';

/**
 * How a model of the TF.js corpus wants its pixels: `unit` is [0, 1], `signed` is [-1, 1] (what
 * the human library feeds its MobileNet-style models), `bytes` is 0..255 (integer inputs).
 */
export type PixelRange = 'unit' | 'signed' | 'bytes';

/** Size used for input dimensions a model leaves open (besides the batch, which is 1). */
export const OPEN_SIZE = 128;

/** The concrete shape a corpus model is fed: batch 1, open sizes at {@link OPEN_SIZE}. */
export function concreteShape(info: ValueInfo): number[] {
  return info.shape.map((d, axis) => d ?? (axis === 0 ? 1 : OPEN_SIZE));
}

const photos = new Map<string, Promise<RgbImage>>();

/** The photo scaled (by ffmpeg) to `width` x `height`, decoded once per size. */
function photoAt(path: string, width: number, height: number): Promise<RgbImage> {
  const key = `${path}@${width}x${height}`;
  let photo = photos.get(key);
  if (photo === undefined) {
    photo = readImage(path, { resize: { width, height } });
    photos.set(key, photo);
  }
  return photo;
}

/**
 * The photo as an input of `shape` in `range`, as the typed array `dtype` asks for: [1, H, W, C]
 * with C 1 or 3 (grey is the mean of R, G and B), or [1, 3, H, W] for the models converted from
 * ONNX that kept PyTorch's planar layout at their input (nanodet).
 */
export async function photoInput(
  photoPath: string,
  shape: readonly number[],
  dtype: ValueInfo['dtype'],
  range: PixelRange,
): Promise<{ data: Float32Array | Int32Array | Uint8Array; shape: number[] }> {
  const planar = shape[1] === 3 && shape[3] !== 3;
  const [n, h, w, c] = (planar ? [shape[0], shape[2], shape[3], shape[1]] : shape) as [number, number, number, number];
  if (shape.length !== 4 || n !== 1 || (c !== 1 && c !== 3)) {
    throw new Error(`corpus inputs are photos: [1, H, W, 1 or 3] or [1, 3, H, W], not [${shape.join(', ')}]`);
  }
  const photo = await photoAt(photoPath, w, h);
  const bytes = new Float32Array(h * w * c);
  for (let p = 0; p < h * w; p++) {
    const rgb = [photo.data[3 * p]!, photo.data[3 * p + 1]!, photo.data[3 * p + 2]!];
    if (c === 1) bytes[p] = (rgb[0]! + rgb[1]! + rgb[2]!) / 3;
    else if (planar) rgb.forEach((v, k) => (bytes[k * h * w + p] = v));
    else bytes.set(rgb, 3 * p);
  }
  const data =
    dtype === 'int32'
      ? Int32Array.from(bytes, Math.round)
      : dtype === 'uint8'
        ? Uint8Array.from(bytes, Math.round)
        : bytes.map((v) => (range === 'signed' ? v / 127.5 - 1 : range === 'unit' ? v / 255 : v));
  return { data, shape: [...shape] };
}
