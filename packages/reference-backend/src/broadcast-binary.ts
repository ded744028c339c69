import { sizeOf } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { applyActivation } from './activation.js';
import { broadcastShapes, broadcastStrides } from '@motiondelta/core';
import { expectOutputShape, requireInput } from '@motiondelta/core';
import type { KernelCall } from '@motiondelta/core';

type BinaryOp = 'Add' | 'Sub' | 'Mul' | 'Div' | 'Max' | 'Min';

/**
 * Elementwise Add/Sub/Mul/Div/Max/Min with numpy broadcasting of any ranks, then the fused activation.
 * Walks the output row by row (last axis) with an odometer over the outer axes, so each row is one
 * flat loop with constant input strides (0 where an operand broadcasts).
 */
export function broadcastBinaryKernel(call: KernelCall<BinaryOp>): Tensor {
  const { op } = call;
  const a = requireInput(call, 0, 'A');
  const b = requireInput(call, 1, 'B');
  const outShape = broadcastShapes(op, a.shape, b.shape);
  expectOutputShape(op, call.outputShape, outShape);
  const out = new Float32Array(sizeOf(outShape));
  const rank = outShape.length;
  if (rank === 0) {
    out[0] = combine(op, a.data[0]!, b.data[0]!);
  } else if (out.length > 0) {
    const sa = broadcastStrides(a.shape, outShape);
    const sb = broadcastStrides(b.shape, outShape);
    const rowLength = outShape[rank - 1]!;
    const rows = out.length / rowLength;
    const index = new Int32Array(rank);
    let offA = 0;
    let offB = 0;
    for (let row = 0, offOut = 0; row < rows; row++, offOut += rowLength) {
      binaryRow(op, a.data, offA, sa[rank - 1]!, b.data, offB, sb[rank - 1]!, out, offOut, rowLength);
      for (let d = rank - 2; d >= 0; d--) {
        index[d]!++;
        offA += sa[d]!;
        offB += sb[d]!;
        if (index[d]! < outShape[d]!) break;
        offA -= sa[d]! * outShape[d]!;
        offB -= sb[d]! * outShape[d]!;
        index[d] = 0;
      }
    }
  }
  if (call.attrs.activation !== undefined) {
    applyActivation(out, rank === 0 ? 1 : outShape[rank - 1]!, call.attrs.activation);
  }
  return { data: out, shape: call.outputShape };
}

function combine(op: BinaryOp, x: number, y: number): number {
  switch (op) {
    case 'Add':
      return x + y;
    case 'Sub':
      return x - y;
    case 'Mul':
      return x * y;
    case 'Div':
      return x / y;
    case 'Max':
      return Math.max(x, y);
    case 'Min':
      return Math.min(x, y);
  }
}

// One loop per op keeps the switch out of the per-element path.
function binaryRow(
  op: BinaryOp,
  a: Float32Array,
  offA: number,
  strideA: number,
  b: Float32Array,
  offB: number,
  strideB: number,
  out: Float32Array,
  offOut: number,
  length: number,
): void {
  switch (op) {
    case 'Add':
      for (let i = 0; i < length; i++) out[offOut + i] = a[offA + i * strideA]! + b[offB + i * strideB]!;
      return;
    case 'Sub':
      for (let i = 0; i < length; i++) out[offOut + i] = a[offA + i * strideA]! - b[offB + i * strideB]!;
      return;
    case 'Mul':
      for (let i = 0; i < length; i++) out[offOut + i] = a[offA + i * strideA]! * b[offB + i * strideB]!;
      return;
    case 'Div':
      for (let i = 0; i < length; i++) out[offOut + i] = a[offA + i * strideA]! / b[offB + i * strideB]!;
      return;
    // Math.max/min propagate NaN, as ONNX Max/Min and TF Maximum/Minimum do.
    case 'Max':
      for (let i = 0; i < length; i++) out[offOut + i] = Math.max(a[offA + i * strideA]!, b[offB + i * strideB]!);
      return;
    case 'Min':
      for (let i = 0; i < length; i++) out[offOut + i] = Math.min(a[offA + i * strideA]!, b[offB + i * strideB]!);
      return;
  }
}
