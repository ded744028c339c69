import {
  tileRects,
  type Backend,
  type DenseKernelCall,
  type OpCall,
  type Pads2D,
  type Tensor,
  type TileRect,
  type TilesStep,
} from '@motiondelta/core';
import { tileFormOf } from './tile-form.js';

/**
 * Runs a `tiles` step through a backend's dense kernels: the executed region as few rectangles,
 * each computed by the backend's own kernel on a crop of the inputs and pasted into `output` (a
 * persistent NHWC map, every other pixel left as it was). How each rectangle is cropped follows
 * the op's form (`tileFormOf`):
 * - `window`: the input window under the rectangle, halo included, clipped to the image, with the
 *   op's padding only on the sides where the window left the image. The kernel then sees exactly
 *   the taps dense inference sees there (zero padding for convolutions, padding left out of max
 *   and average pooling), so the result is bit-identical to dense on the same inputs.
 * - `pointwise`: the same rectangle of every spatial operand; broadcast operands whole.
 * - `whole`: the op over the whole inputs, the rectangles copied out of its result.
 *
 * Returns the pixels updated (N x the region's area). Works on every backend with dense kernels:
 * the reference semantics of `tiles` steps.
 */
export async function runTilesStep(
  backend: Backend,
  step: TilesStep,
  inputs: readonly (Tensor | undefined)[],
  blocks: Tensor,
  output: Tensor,
): Promise<number> {
  const rects = tileRects(step.rowSpans, step.colSpans, blocks.data);
  if (rects.length === 0) return 0;
  const shape = output.shape;
  const form = tileFormOf(
    step.call,
    inputs.map((t) => t?.shape),
    shape,
  );
  let whole: Tensor | undefined;
  for (const rect of rects) {
    let tile: Tensor;
    if (form === 'window' || form === 'pointwise') {
      tile = await backend.runDense(
        form === 'window' ? windowCall(step.call, inputs, rect, shape) : pointwiseCall(step.call, inputs, rect, shape),
      );
      paste(tile, 0, 0, rect, output);
    } else {
      whole ??= await backend.runDense({ ...step.call, inputs, outputShape: shape } as DenseKernelCall);
      paste(whole, rect.y0, rect.x0, rect, output);
    }
  }
  return shape[0]! * rects.reduce((sum, r) => sum + (r.y1 - r.y0) * (r.x1 - r.x0), 0);
}

/** A convolution or pooling over the input window of `rect`, padded only where that window leaves the image. */
function windowCall(call: OpCall, inputs: readonly (Tensor | undefined)[], rect: TileRect, out: readonly number[]): DenseKernelCall {
  if (call.op !== 'Conv2D' && call.op !== 'MaxPool2D' && call.op !== 'AvgPool2D') throw new RangeError(`${call.op} has no window form`);
  const x = inputs[0]!;
  const [, h, w] = x.shape as [number, number, number, number];
  const a = call.attrs;
  const dilations = call.op === 'Conv2D' ? call.attrs.dilations : ([1, 1] as const);
  // Planned attributes carry explicit pads ([top, left, bottom, right]).
  const [top, left] = [a.pads[0], a.pads[1]];
  const rows = windowOf(rect.y0, rect.y1, a.strides[0], top, (a.kernel[0] - 1) * dilations[0] + 1, h);
  const cols = windowOf(rect.x0, rect.x1, a.strides[1], left, (a.kernel[1] - 1) * dilations[1] + 1, w);
  const crop = cropTensor(x, rows.from, rows.to, cols.from, cols.to);
  const pads: Pads2D = [rows.padBefore, cols.padBefore, rows.padAfter, cols.padAfter];
  const attrs = { ...a, autoPad: 'explicit' as const, pads };
  return {
    op: call.op,
    attrs,
    inputs: [crop, ...inputs.slice(1)],
    outputShape: [out[0]!, rect.y1 - rect.y0, rect.x1 - rect.x0, out[3]!],
  } as DenseKernelCall;
}

/** Input rows (or columns) outputs [o0, o1) read, clipped to [0, size), with the padding that remains on each side. */
function windowOf(
  o0: number,
  o1: number,
  stride: number,
  padBefore: number,
  extent: number,
  size: number,
): { from: number; to: number; padBefore: number; padAfter: number } {
  const start = o0 * stride - padBefore;
  const end = (o1 - 1) * stride - padBefore + extent;
  return { from: Math.max(0, start), to: Math.min(size, end), padBefore: Math.max(0, -start), padAfter: Math.max(0, end - size) };
}

/** An elementwise op on the rectangle: spatial operands cut to it, broadcast ones passed whole. */
function pointwiseCall(call: OpCall, inputs: readonly (Tensor | undefined)[], rect: TileRect, out: readonly number[]): DenseKernelCall {
  const cut = inputs.map((t) => {
    if (!t || t.shape.length !== 4) return t;
    const [, h, w] = t.shape as [number, number, number, number];
    const [y0, y1] = h === out[1] ? [rect.y0, rect.y1] : [0, h];
    const [x0, x1] = w === out[2] ? [rect.x0, rect.x1] : [0, w];
    return cropTensor(t, y0, y1, x0, x1);
  });
  return { ...call, inputs: cut, outputShape: [out[0]!, rect.y1 - rect.y0, rect.x1 - rect.x0, out[3]!] } as DenseKernelCall;
}

/** Rows [y0, y1) and columns [x0, x1) of an NHWC tensor, every batch item and channel. */
function cropTensor(t: Tensor, y0: number, y1: number, x0: number, x1: number): Tensor {
  const [n, h, w, c] = t.shape as [number, number, number, number];
  // Every block executed: the window is the whole map, which kernels only read.
  if (y0 === 0 && y1 === h && x0 === 0 && x1 === w) return t;
  const rowLength = (x1 - x0) * c;
  const data = new Float32Array(n * (y1 - y0) * rowLength);
  let at = 0;
  for (let b = 0; b < n; b++) {
    for (let y = y0; y < y1; y++) {
      const from = ((b * h + y) * w + x0) * c;
      data.set(t.data.subarray(from, from + rowLength), at);
      at += rowLength;
    }
  }
  return { data, shape: [n, y1 - y0, x1 - x0, c] };
}

/** Writes `rect` of `output` from `source`, whose pixel (sy, sx) goes to the rectangle's corner. */
function paste(source: Tensor, sy: number, sx: number, rect: TileRect, output: Tensor): void {
  const [n, h, w, c] = output.shape as [number, number, number, number];
  const [, sh, sw] = source.shape as [number, number, number, number];
  const rowLength = (rect.x1 - rect.x0) * c;
  for (let b = 0; b < n; b++) {
    for (let y = rect.y0; y < rect.y1; y++) {
      const from = ((b * sh + sy + y - rect.y0) * sw + sx) * c;
      output.data.set(source.data.subarray(from, from + rowLength), ((b * h + y) * w + rect.x0) * c);
    }
  }
}
