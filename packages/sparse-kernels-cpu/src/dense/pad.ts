import { ShapeError, formatShape, padAxisMap, sizeOf, stridesOf } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { allocOutput } from './alloc-output.js';
import { expectInt32, expectOutputShape, requireInput, type KernelCall } from '../validate-inputs.js';
import type { NativeDenseAddon } from './native-dense-addon.js';

/**
 * ONNX Pad for any rank (constant / reflect / edge; negative pads crop first, as in onnxruntime).
 * The index arithmetic (one small table per axis) is done here; the addon runs the gather.
 */
export async function pad(addon: NativeDenseAddon, call: KernelCall<'Pad'>): Promise<Tensor> {
  const { op, attrs } = call;
  const x = requireInput(call, 0, 'x');
  const rank = x.shape.length;
  if (attrs.pads.length !== 2 * rank || attrs.pads.some((p) => !Number.isInteger(p))) {
    throw new ShapeError(
      `${op}: pads [${attrs.pads.join(',')}] must be ${2 * rank} integers ([begin..., end...]) for input ${formatShape(x.shape)}.`,
    );
  }
  if (attrs.mode !== 'constant' && attrs.mode !== 'reflect' && attrs.mode !== 'edge') {
    throw new ShapeError(`${op}: unknown mode '${String(attrs.mode)}'; accepted: constant, reflect, edge.`);
  }
  const outShape = x.shape.map((d, i) => d + attrs.pads[i]! + attrs.pads[i + rank]!);
  if (outShape.some((d) => d < 0)) {
    throw new ShapeError(`${op}: pads [${attrs.pads.join(',')}] crop more than input ${formatShape(x.shape)} holds.`);
  }
  expectOutputShape(op, call.outputShape, outShape);
  const out = allocOutput(sizeOf(outShape));
  expectInt32(op, 'the output size', out.length);
  if (out.length === 0) return { data: out, shape: call.outputShape };
  if (rank === 0) {
    out[0] = x.data[0]!;
    return { data: out, shape: call.outputShape };
  }
  const maps = new Int32Array(outShape.reduce((s, d) => s + d, 0));
  let at = 0;
  x.shape.forEach((d, i) => {
    maps.set(padAxisMap(op, d, attrs.pads[i]!, attrs.pads[i + rank]!, outShape[i]!, attrs.mode), at);
    at += outShape[i]!;
  });
  await callNative('pad', () => addon.pad(x.data, out, Int32Array.from(outShape), Int32Array.from(stridesOf(x.shape)), maps, attrs.value));
  return { data: out, shape: call.outputShape };
}
