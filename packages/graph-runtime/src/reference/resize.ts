import { ShapeError, formatShape } from '@motiondelta/core';
import type { ResizeAttrs, ResizeCoordinateMode, ResizeNearestMode, Tensor } from '@motiondelta/core';
import { expectOutputShape, expectRank, requireInput } from './kernel-inputs.js';
import type { KernelCall } from './kernel-inputs.js';

const f32 = Math.fround;

/** For one output axis: the source index pair and the weight of the second (linear) per output index. */
export interface AxisTaps {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  readonly weight: Float64Array;
}

/**
 * ONNX Resize on the H and W axes of an NHWC tensor, `nearest` or `linear` (bilinear, clamped to
 * the edge). The coordinate transform uses `attrs.scales` when given, otherwise out/in. Source
 * coordinates are computed in float32 exactly as onnxruntime does, because nearest-neighbour
 * rounding at .5 ties flips on the last bit and the oracle must pick the same pixel.
 */
export function resizeKernel(call: KernelCall<'Resize'>): Tensor {
  const { op, attrs } = call;
  const x = requireInput(call, 0, 'x');
  expectRank(op, 'input x', x.shape, 4, 'NHWC');
  const [batch, inH, inW, c] = x.shape as [number, number, number, number];
  const [outH, outW] = outputSize(op, attrs, inH, inW);
  expectOutputShape(op, call.outputShape, [batch, outH, outW, c]);
  if (inH === 0 || inW === 0) {
    throw new ShapeError(`${op}: input ${formatShape(x.shape)} has an empty spatial axis; nothing to resample from.`);
  }
  const { rows, cols } = resizeTaps(attrs, inH, inW, outH, outW);
  const xd = x.data;
  const out = new Float32Array(batch * outH * outW * c);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    const plane = n * inH;
    for (let oy = 0; oy < outH; oy++) {
      const r0 = (plane + rows.lo[oy]!) * inW;
      const r1 = (plane + rows.hi[oy]!) * inW;
      const wy = rows.weight[oy]!;
      for (let ox = 0; ox < outW; ox++) {
        const c0 = cols.lo[ox]!;
        const c1 = cols.hi[ox]!;
        const wx = cols.weight[ox]!;
        const p00 = (r0 + c0) * c;
        const p01 = (r0 + c1) * c;
        const p10 = (r1 + c0) * c;
        const p11 = (r1 + c1) * c;
        for (let ch = 0; ch < c; ch++, o++) {
          const top = xd[p00 + ch]! + wx * (xd[p01 + ch]! - xd[p00 + ch]!);
          const bottom = xd[p10 + ch]! + wx * (xd[p11 + ch]! - xd[p10 + ch]!);
          out[o] = top + wy * (bottom - top);
        }
      }
    }
  }
  return { data: out, shape: call.outputShape };
}

/**
 * The source taps of every output row and column. Shared with the delta kernel, which must sample
 * exactly the pixels the dense kernel samples. `lo` and `hi` never decrease along the axis.
 */
export function resizeTaps(attrs: ResizeAttrs, inH: number, inW: number, outH: number, outW: number): { rows: AxisTaps; cols: AxisTaps } {
  const scaleH = f32(attrs.scales?.[0] ?? outH / inH);
  const scaleW = f32(attrs.scales?.[1] ?? outW / inW);
  return { rows: axisTaps(attrs, inH, outH, scaleH), cols: axisTaps(attrs, inW, outW, scaleW) };
}

export function outputSize(op: string, attrs: ResizeAttrs, inH: number, inW: number): [number, number] {
  if (attrs.sizes !== undefined) return [attrs.sizes[0], attrs.sizes[1]];
  // onnxruntime multiplies in float32 before truncating; so do we, to agree on borderline sizes.
  if (attrs.scales !== undefined) return [Math.floor(f32(f32(attrs.scales[0]) * inH)), Math.floor(f32(f32(attrs.scales[1]) * inW))];
  throw new ShapeError(`${op}: neither sizes nor scales is set; one of them is required.`);
}

/** Nearest mode is linear mode with both taps on the chosen pixel, so one inner loop serves both. */
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
      throw new ShapeError(`Resize: unknown nearest mode '${String(unknown)}'; accepted: round_prefer_floor, round_prefer_ceil, floor, ceil.`);
    }
  }
}
