import { ShapeError, formatShape } from '@motiondelta/core';
import type { ResizeAttrs, ResizeCoordinateMode, ResizeNearestMode, Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { allocOutput } from './alloc-output.js';
import { expectInt32, expectOutputShape, expectRank, requireInput, type KernelCall } from '../validate-inputs.js';
import type { NativeDenseAddon } from './native-dense-addon.js';

const f32 = Math.fround;

interface AxisTaps {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  readonly weight: Float32Array;
}

/**
 * ONNX Resize of H and W (nearest or bilinear, every coordinate mode of the spec). The source taps
 * are computed here with float32 rounding at each step, exactly as the reference (and
 * onnxruntime) do, so nearest mode picks the same pixels on .5 ties; the addon only blends.
 */
export async function resize(addon: NativeDenseAddon, call: KernelCall<'Resize'>): Promise<Tensor> {
  const { op, attrs } = call;
  const x = requireInput(call, 0, 'x');
  expectRank(op, 'input x', x.shape, 4, 'NHWC');
  const [batch, inH, inW, c] = x.shape as [number, number, number, number];
  if (attrs.mode !== 'nearest' && attrs.mode !== 'linear') {
    throw new ShapeError(`${op}: unknown mode '${String(attrs.mode)}'; accepted: nearest, linear.`);
  }
  const [outH, outW] = outputSize(op, attrs, inH, inW);
  expectOutputShape(op, call.outputShape, [batch, outH, outW, c]);
  if (inH === 0 || inW === 0) throw new ShapeError(`${op}: input ${formatShape(x.shape)} has an empty spatial axis; nothing to resample from.`);
  const out = allocOutput(batch * outH * outW * c);
  expectInt32(op, 'the output size', out.length);
  if (out.length === 0) return { data: out, shape: call.outputShape };
  const scaleH = f32(attrs.scales?.[0] ?? outH / inH);
  const scaleW = f32(attrs.scales?.[1] ?? outW / inW);
  const rows = axisTaps(attrs, inH, outH, scaleH);
  const cols = axisTaps(attrs, inW, outW, scaleW);
  const geometry = Int32Array.of(batch, inH, inW, c, outH, outW);
  await callNative('resize', () => addon.resize(x.data, out, geometry, rows.lo, rows.hi, rows.weight, cols.lo, cols.hi, cols.weight));
  return { data: out, shape: call.outputShape };
}

function outputSize(op: string, attrs: ResizeAttrs, inH: number, inW: number): [number, number] {
  if (attrs.sizes !== undefined) return [attrs.sizes[0], attrs.sizes[1]];
  // onnxruntime multiplies in float32 before truncating; so does the reference.
  if (attrs.scales !== undefined) return [Math.floor(f32(f32(attrs.scales[0]) * inH)), Math.floor(f32(f32(attrs.scales[1]) * inW))];
  throw new ShapeError(`${op}: neither sizes nor scales is set; one of them is required.`);
}

/** Nearest mode is linear mode with both taps on the chosen pixel, so one native loop serves both. */
function axisTaps(attrs: ResizeAttrs, inSize: number, outSize: number, scale: number): AxisTaps {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const weight = new Float32Array(outSize);
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
