import { ShapeError, formatShape, sizeOf, stridesOf } from '@motiondelta/core';
import type { PadAttrs, Tensor } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { allocOutput } from './alloc-output.js';
import { expectInt32, expectOutputShape, requireInput, type KernelCall } from '../validate-inputs.js';
import type { NativeDenseAddon } from './native-dense-addon.js';

/** Marks an output position that takes the constant value instead of an input element. */
const CONSTANT = -1;

/**
 * ONNX Pad for any rank (constant / reflect / edge; negative pads crop first, as in onnxruntime).
 * The index arithmetic (one small table per axis) is done here; the addon runs the gather.
 */
export async function pad(addon: NativeDenseAddon, call: KernelCall<'Pad'>): Promise<Tensor> {
  const { op, attrs } = call;
  const x = requireInput(call, 0, 'x');
  const rank = x.shape.length;
  if (attrs.pads.length !== 2 * rank || attrs.pads.some((p) => !Number.isInteger(p))) {
    throw new ShapeError(`${op}: pads [${attrs.pads.join(',')}] must be ${2 * rank} integers ([begin..., end...]) for input ${formatShape(x.shape)}.`);
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
    maps.set(axisMap(op, d, attrs.pads[i]!, attrs.pads[i + rank]!, outShape[i]!, attrs.mode), at);
    at += outShape[i]!;
  });
  await callNative('pad', () => addon.pad(x.data, out, Int32Array.from(outShape), Int32Array.from(stridesOf(x.shape)), maps, attrs.value));
  return { data: out, shape: call.outputShape };
}

/** Output index -> input index (or CONSTANT) along one axis. */
function axisMap(op: string, size: number, begin: number, end: number, outSize: number, mode: PadAttrs['mode']): Int32Array {
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
