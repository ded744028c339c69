import { ShapeError } from '@motiondelta/core';
import type { ResizeAttrs, ResizeCoordinateMode, ResizeNearestMode } from '@motiondelta/core';

const f32 = Math.fround;

/**
 * The source taps of one resized axis: output i reads input lo[i] and hi[i] with weight[i] on
 * the second (nearest mode: both taps on the chosen pixel). This mirrors the dense oracle's
 * tables exactly: source coordinates are computed in float32 operation by operation, as
 * onnxruntime does, because nearest-mode ties at .5 flip on the last bit.
 */
export interface AxisTaps {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  readonly weight: Float64Array;
  /** Per input index, [first, last] output reading it (first > last when none). */
  readonly range: Int32Array;
}

/** Output [H, W] of a Resize: `sizes`, else floor(in * scale) multiplied in float32. */
export function resizeOutputSize(attrs: ResizeAttrs, inH: number, inW: number): [number, number] {
  if (attrs.sizes !== undefined) return [attrs.sizes[0], attrs.sizes[1]];
  if (attrs.scales !== undefined) return [Math.floor(f32(f32(attrs.scales[0]) * inH)), Math.floor(f32(f32(attrs.scales[1]) * inW))];
  throw new ShapeError('Resize: neither sizes nor scales is set; one of them is required.');
}

export function resizeTaps(attrs: ResizeAttrs, inH: number, inW: number, outH: number, outW: number): { rows: AxisTaps; cols: AxisTaps } {
  const scaleH = f32(attrs.scales?.[0] ?? outH / inH);
  const scaleW = f32(attrs.scales?.[1] ?? outW / inW);
  return { rows: axisTaps(attrs, inH, outH, scaleH), cols: axisTaps(attrs, inW, outW, scaleW) };
}

function axisTaps(attrs: ResizeAttrs, inSize: number, outSize: number, scale: number): AxisTaps {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const weight = new Float64Array(outSize);
  const last = inSize - 1;
  for (let i = 0; i < outSize; i++) {
    const src = sourceCoordinate(attrs.coordinateMode, i, scale, inSize, outSize);
    if (attrs.mode === 'nearest') {
      const k = Math.min(Math.max(nearestIndex(attrs.nearestMode, src), 0), last);
      lo[i] = k;
      hi[i] = k;
    } else {
      const clamped = Math.min(Math.max(src, 0), last);
      const k = Math.floor(clamped);
      lo[i] = k;
      hi[i] = Math.min(k + 1, last);
      weight[i] = clamped - k;
    }
  }
  // Taps never decrease along the axis, so the outputs reading one input form one run; a second
  // tap of weight 0 does not count as a read.
  const range = new Int32Array(2 * inSize);
  for (let i = 0; i < inSize; i++) {
    range[2 * i] = outSize;
    range[2 * i + 1] = -1;
  }
  const widen = (i: number, o: number): void => {
    if (o < range[2 * i]!) range[2 * i] = o;
    if (o > range[2 * i + 1]!) range[2 * i + 1] = o;
  };
  for (let o = 0; o < outSize; o++) {
    widen(lo[o]!, o);
    if (weight[o] !== 0) widen(hi[o]!, o);
  }
  return { lo, hi, weight, range };
}

function sourceCoordinate(mode: ResizeCoordinateMode, x: number, scale: number, inSize: number, outSize: number): number {
  switch (mode) {
    case 'half_pixel':
      return f32(f32(f32(x + 0.5) / scale) - 0.5);
    case 'pytorch_half_pixel':
      return outSize > 1 ? f32(f32(f32(x + 0.5) / scale) - 0.5) : 0;
    case 'align_corners':
      return outSize === 1 ? 0 : f32(f32(x * (inSize - 1)) / (outSize - 1));
    case 'asymmetric':
      return f32(x / scale);
    case 'tf_half_pixel_for_nn':
      return f32(f32(x + 0.5) / scale);
    default: {
      const unknown: never = mode;
      throw new ShapeError(`Resize: unknown coordinate mode '${String(unknown)}'.`);
    }
  }
}

function nearestIndex(mode: ResizeNearestMode, src: number): number {
  const floor = Math.floor(src);
  const frac = src - floor;
  switch (mode) {
    case 'round_prefer_floor':
      return frac > 0.5 ? floor + 1 : floor;
    case 'round_prefer_ceil':
      return frac >= 0.5 ? floor + 1 : floor;
    case 'floor':
      return floor;
    case 'ceil':
      return Math.ceil(src);
    default: {
      const unknown: never = mode;
      throw new ShapeError(`Resize: unknown nearest mode '${String(unknown)}'.`);
    }
  }
}
