import { ShapeError, formatShape, sizeOf, stridesOf } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { PAD_CONSTANT, expectOutputShape, padAxisMap, requireInput } from '@motiondelta/core';
import type { KernelCall } from '@motiondelta/core';

/**
 * ONNX Pad for any rank: pads [begin..., end...], constant / reflect / edge. Negative pads crop;
 * as in onnxruntime the crop happens first, so reflect and edge mirror about the cropped edges.
 * Each axis gets a table from output index to input index (or PAD_CONSTANT), which turns the op into
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
  const maps = x.shape.map((d, i) => padAxisMap(op, d, attrs.pads[i]!, attrs.pads[i + rank]!, outShape[i]!, attrs.mode));
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
      if (src === PAD_CONSTANT) {
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
        out[offOut + i] = src === PAD_CONSTANT ? value : xd[base + src * lastStride]!;
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
