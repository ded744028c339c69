import { OptionError } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import type { RgbImage } from './types.js';

/** ImageNet channel means for inputs first scaled to [0,1] (`scale: 1/255`). */
export const IMAGENET_MEAN: readonly [number, number, number] = [0.485, 0.456, 0.406];
/** ImageNet channel standard deviations for inputs scaled to [0,1]. */
export const IMAGENET_STD: readonly [number, number, number] = [0.229, 0.224, 0.225];

export interface FrameToTensorOptions {
  /** Multiplies each byte first. Default 1. */
  readonly scale?: number;
  /** Added after scaling. Default 0. */
  readonly offset?: number;
  /** Subtracted per channel (R, G, B) after scale and offset. Default 0. */
  readonly mean?: readonly [number, number, number];
  /** Divides per channel after subtracting the mean. Default 1. */
  readonly std?: readonly [number, number, number];
  /** `nhwc` gives [1,H,W,3] (MotionDelta's layout); `nchw` gives [1,3,H,W] for models that want it. */
  readonly layout?: 'nhwc' | 'nchw';
  /**
   * Channel order of the tensor: `rgb` (default), or `bgr` for models trained on OpenCV frames.
   * `mean` and `std` are given in the tensor's order.
   */
  readonly channelOrder?: 'rgb' | 'bgr';
}

/**
 * Turns an RGB frame into a float32 model input: `((pixel * scale + offset) - mean[c]) / std[c]`.
 * Common settings: `[0,255]` defaults; `[0,1]` `{ scale: 1/255 }`; `[-1,1]` `{ scale: 2/255, offset: -1 }`;
 * ImageNet `{ scale: 1/255, mean: IMAGENET_MEAN, std: IMAGENET_STD }`.
 *
 * @example
 * const input = frameToTensor(frame, { scale: 2 / 255, offset: -1 }); // shape [1, H, W, 3], values in [-1, 1]
 */
export function frameToTensor(frame: RgbImage, options: FrameToTensorOptions = {}): Tensor {
  const { width, height, data } = frame;
  if (data.length !== width * height * 3) {
    throw new OptionError(`frame data holds ${data.length} bytes; ${width}x${height} RGB needs ${width * height * 3}.`);
  }
  const scale = options.scale ?? 1;
  const offset = options.offset ?? 0;
  const mean = options.mean ?? [0, 0, 0];
  const std = options.std ?? [1, 1, 1];
  if (![scale, offset, ...mean, ...std].every(Number.isFinite) || std.some((s) => s === 0)) {
    throw new OptionError('scale, offset, mean and std must be finite numbers, and std must not be 0.');
  }
  // One 256-entry table per channel turns the per-pixel arithmetic into a lookup.
  const table = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    for (let v = 0; v < 256; v++) table[c * 256 + v] = (v * scale + offset - mean[c]!) / std[c]!;
  }
  if (options.channelOrder !== undefined && options.channelOrder !== 'rgb' && options.channelOrder !== 'bgr') {
    throw new OptionError(`channelOrder must be 'rgb' or 'bgr', got ${JSON.stringify(options.channelOrder)}.`);
  }
  // Byte offset, within a pixel, of tensor channel 0 and 2: a BGR tensor reads the bytes backwards.
  const [first, last] = options.channelOrder === 'bgr' ? [2, 0] : [0, 2];
  const pixels = width * height;
  const out = new Float32Array(pixels * 3);
  if ((options.layout ?? 'nhwc') === 'nhwc') {
    for (let i = 0; i < pixels * 3; i += 3) {
      out[i] = table[data[i + first]!]!;
      out[i + 1] = table[256 + data[i + 1]!]!;
      out[i + 2] = table[512 + data[i + last]!]!;
    }
    return { data: out, shape: [1, height, width, 3] };
  }
  for (let p = 0; p < pixels; p++) {
    out[p] = table[data[3 * p + first]!]!;
    out[pixels + p] = table[256 + data[3 * p + 1]!]!;
    out[2 * pixels + p] = table[512 + data[3 * p + last]!]!;
  }
  return { data: out, shape: [1, 3, height, width] };
}
