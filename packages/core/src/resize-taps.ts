import { ShapeError } from './errors.js';
import type { ResizeAttrs, ResizeCoordinateMode, ResizeNearestMode } from './ops.js';

const f32 = Math.fround;

/**
 * The source taps of one resized axis: output i reads input `lo[i]` and `hi[i]`, with `weight[i]`
 * on the second (nearest mode puts both taps on the chosen pixel, so one bilinear loop serves both
 * modes). `lo` and `hi` never decrease along the axis.
 */
export interface ResizeAxisTaps {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  readonly weight: Float64Array;
}

/**
 * Output [H, W] of a Resize: `sizes`, else floor(in * scale) with the product rounded to float32,
 * as onnxruntime does, so borderline sizes agree.
 *
 * @example
 * ```ts
 * resizeOutputSize({ mode: 'nearest', coordinateMode: 'asymmetric', nearestMode: 'floor', scales: [2, 2] }, 10, 12); // [20, 24]
 * ```
 */
export function resizeOutputSize(attrs: ResizeAttrs, inH: number, inW: number): [number, number] {
  if (attrs.sizes !== undefined) return [attrs.sizes[0], attrs.sizes[1]];
  if (attrs.scales !== undefined) return [Math.floor(f32(f32(attrs.scales[0]) * inH)), Math.floor(f32(f32(attrs.scales[1]) * inW))];
  throw new ShapeError('Resize: neither sizes nor scales is set; one of them is required.');
}

/**
 * The taps of every output row and column of an ONNX Resize (H and W axes). The one definition
 * every backend's dense and delta kernels sample with: source coordinates are computed in float32
 * operation by operation, exactly as onnxruntime does, because nearest-mode ties at .5 flip on the
 * last bit and all kernels must pick the same pixel.
 *
 * @example
 * ```ts
 * const { rows, cols } = resizeTaps(attrs, 4, 4, 8, 8);
 * // output (y, x) blends input rows rows.lo[y] / rows.hi[y] with weight rows.weight[y], likewise columns
 * ```
 */
export function resizeTaps(
  attrs: ResizeAttrs,
  inH: number,
  inW: number,
  outH: number,
  outW: number,
): { rows: ResizeAxisTaps; cols: ResizeAxisTaps } {
  const scaleH = f32(attrs.scales?.[0] ?? outH / inH);
  const scaleW = f32(attrs.scales?.[1] ?? outW / inW);
  return { rows: axisTaps(attrs, inH, outH, scaleH), cols: axisTaps(attrs, inW, outW, scaleW) };
}

/**
 * For each input index of an axis, the [first, last] output index reading it (first > last when
 * none does): what a delta kernel needs to find the outputs a changed input reaches. Taps never
 * decrease along the axis, so those outputs form one run; a second tap of weight 0 is no read.
 */
export function resizeInverseRanges(taps: ResizeAxisTaps, inSize: number): Int32Array {
  const range = new Int32Array(2 * inSize);
  for (let i = 0; i < inSize; i++) {
    range[2 * i] = taps.lo.length;
    range[2 * i + 1] = -1;
  }
  const widen = (i: number, o: number): void => {
    if (o < range[2 * i]!) range[2 * i] = o;
    if (o > range[2 * i + 1]!) range[2 * i + 1] = o;
  };
  for (let o = 0; o < taps.lo.length; o++) {
    widen(taps.lo[o]!, o);
    if (taps.weight[o] !== 0) widen(taps.hi[o]!, o);
  }
  return range;
}

function axisTaps(attrs: ResizeAttrs, inSize: number, outSize: number, scale: number): ResizeAxisTaps {
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
  return { lo, hi, weight };
}

/** The ONNX coordinate transforms, each operation rounded to float32 like onnxruntime. */
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
      throw new ShapeError(
        `Resize: unknown coordinate mode '${String(unknown)}'; accepted: half_pixel, pytorch_half_pixel, align_corners, asymmetric, tf_half_pixel_for_nn.`,
      );
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
      throw new ShapeError(
        `Resize: unknown nearest mode '${String(unknown)}'; accepted: round_prefer_floor, round_prefer_ceil, floor, ceil.`,
      );
    }
  }
}
