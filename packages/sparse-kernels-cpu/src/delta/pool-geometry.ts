import { pool2dGeometry } from '@motiondelta/core';
import type { DeltaBuffer, Pool2DAttrs } from '@motiondelta/core';

/**
 * Validates a pooling delta call with core's one definition ({@link pool2dGeometry}) and encodes
 * it for the native kernels: [kh, kw, strideH, strideW, padTop, padLeft, padBottom, padRight,
 * countIncludePad].
 */
export function poolGeometry(op: 'MaxPool2D' | 'AvgPool2D', attrs: Pool2DAttrs, x: DeltaBuffer, out: DeltaBuffer): Int32Array {
  const [pt, pl, pb, pr] = pool2dGeometry(op, attrs, x.shape, out.shape).pads;
  return Int32Array.of(attrs.kernel[0], attrs.kernel[1], attrs.strides[0], attrs.strides[1], pt, pl, pb, pr, attrs.countIncludePad ? 1 : 0);
}
