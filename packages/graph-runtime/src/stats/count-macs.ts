import { sizeOf } from '@motiondelta/core';
import type { ResolvedNode } from '../shape/op-shapes.js';

/**
 * Multiply-accumulates of one node computed densely. Convolutions and matrix products dominate;
 * elementwise ops count one per output value so cheap layers are visible but never dominate.
 */
export function countMacs(step: ResolvedNode, inputShapes: readonly (readonly number[] | undefined)[]): number {
  const out = sizeOf(step.outputShape);
  const { node } = step;
  switch (node.op) {
    case 'Conv2D': {
      const w = inputShapes[1]!;
      return out * w[0]! * w[1]! * w[2]!;
    }
    case 'ConvTranspose2D': {
      const w = inputShapes[1]!;
      return sizeOf(inputShapes[0]!) * w[0]! * w[1]! * w[3]!;
    }
    case 'MaxPool2D':
    case 'AvgPool2D':
      return out * node.attrs.kernel[0] * node.attrs.kernel[1];
    case 'GlobalAvgPool':
    case 'Reduce':
      // One accumulation per input value, however few outputs there are.
      return sizeOf(inputShapes[0]!);
    case 'MatMul': {
      const a = inputShapes[0]!;
      return out * a[a.length - 1]!;
    }
    case 'Gemm': {
      const a = inputShapes[0]!;
      return out * (node.attrs.transA ? a[0]! : a[1]!);
    }
    default:
      return out;
  }
}
