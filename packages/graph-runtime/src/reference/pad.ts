import { ShapeError, formatShape, sizeOf, stridesOf } from '@motiondelta/core';
import type { PadAttrs, Tensor } from '@motiondelta/core';
import { expectOutputShape, requireInput } from '@motiondelta/core';
import type { KernelCall } from '@motiondelta/core';

/** Marks an output position that takes the constant value instead of an input element. */
export const CONSTANT = -1;

/**
 * ONNX Pad for any rank: pads [begin..., end...], constant / reflect / edge. Negative pads crop;
 * as in onnxruntime the crop happens first, so reflect and edge mirror about the cropped edges.
 * Each axis gets a table from output index to input index (or CONSTANT), which turns the op into
 * a gather driven by one odometer.
 */
export function padKernel(call: KernelCall<'Pad'>): Tensor {
  const { op, attrs } = call;
  const x = requireInput(call, 0, 'x');
  const rank = x.shape.length;
  if (attrs.pads.length !== 2 * rank || attrs.pads.some((p) => !Number.isInteger(p))) {
    throw new ShapeError(
      `${op}: pads [${attrs.pads.join(',')}] must be ${2 * rank} integers ([begin..., end...]) for input ${formatShape(x.shape)}.`,
    );
  }
  const outShape = x.shape.map((d, i) => d + attrs.pads[i]! + attrs.pads[i + rank]!);
  if (outShape.some((d) => d < 0)) {
    throw new ShapeError(`${op}: pads [${attrs.pads.join(',')}] crop more than input ${formatShape(x.shape)} holds.`);
  }
  expectOutputShape(op, call.outputShape, outShape);
  const out = new Float32Array(sizeOf(outShape));
  if (out.length === 0) return { data: out, shape: call.outputShape };
  if (rank === 0) {
    out[0] = x.data[0]!;
    return { data: out, shape: call.outputShape };
  }
  const maps = x.shape.map((d, i) => axisMap(op, d, attrs.pads[i]!, attrs.pads[i + rank]!, outShape[i]!, attrs.mode));
  const inStrides = stridesOf(x.shape);
  const xd = x.data;
  const last = rank - 1;
  const lastMap = maps[last]!;
  const lastStride = inStrides[last]!;
  const rowLength = outShape[last]!;
  const index = new Int32Array(rank);
  const value = attrs.value;
  for (let offOut = 0; offOut < out.length; offOut += rowLength) {
    // Outer axes decide whether the whole row is padding or which input row it reads.
    let base = 0;
    let outside = false;
    for (let d = 0; d < last; d++) {
      const src = maps[d]![index[d]!]!;
      if (src === CONSTANT) {
        outside = true;
        break;
      }
      base += src * inStrides[d]!;
    }
    if (outside) {
      out.fill(value, offOut, offOut + rowLength);
    } else {
      for (let i = 0; i < rowLength; i++) {
        const src = lastMap[i]!;
        out[offOut + i] = src === CONSTANT ? value : xd[base + src * lastStride]!;
      }
    }
    for (let d = last - 1; d >= 0; d--) {
      index[d]!++;
      if (index[d]! < outShape[d]!) break;
      index[d] = 0;
    }
  }
  return { data: out, shape: call.outputShape };
}

/** Output index -> input index (or CONSTANT) along one axis; shared with the delta kernel. */
export function axisMap(op: string, size: number, begin: number, end: number, outSize: number, mode: PadAttrs['mode']): Int32Array {
  const lo = Math.max(0, -begin);
  const kept = size - lo - Math.max(0, -end);
  const shift = Math.max(0, begin);
  const map = new Int32Array(outSize);
  if (kept <= 0 && mode !== 'constant' && outSize > 0) {
    throw new ShapeError(`${op}: ${mode} padding needs at least one input element on every axis, but an axis of size ${size} is cropped to nothing.`);
  }
  for (let o = 0; o < outSize; o++) {
    let j = o - shift;
    if (j < 0 || j >= kept) {
      if (mode === 'constant') {
        map[o] = CONSTANT;
        continue;
      }
      j = mode === 'edge' ? (j < 0 ? 0 : kept - 1) : reflectIndex(j, kept);
    }
    map[o] = lo + j;
  }
  return map;
}

/** numpy/ONNX `reflect` (edge not repeated), folded repeatedly when the pad exceeds the axis. */
function reflectIndex(j: number, size: number): number {
  if (size === 1) return 0;
  const period = 2 * (size - 1);
  const m = ((j % period) + period) % period;
  return m < size ? m : period - m;
}
