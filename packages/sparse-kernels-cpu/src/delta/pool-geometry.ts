import { ShapeError, formatShape } from '@motiondelta/core';
import type { DeltaBuffer, Pool2DAttrs } from '@motiondelta/core';
import { expectPositivePair } from './delta-checks.js';
import { resolveWindowPads } from './window-pads.js';

/**
 * Validates a pooling delta call and encodes it for the native kernels:
 * [kh, kw, strideH, strideW, padTop, padLeft, padBottom, padRight, countIncludePad]. As in the
 * dense oracle, the output size comes from the planned output shape (anything between the floor
 * and ceil sizes): the planner decided whether a ceil-mode window exists.
 */
export function poolGeometry(op: 'MaxPool2D' | 'AvgPool2D', attrs: Pool2DAttrs, x: DeltaBuffer, out: DeltaBuffer): Int32Array {
  expectPositivePair(op, 'kernel', attrs.kernel);
  expectPositivePair(op, 'strides', attrs.strides);
  const [batch, inH, inW, channels] = x.shape;
  const pads = resolveWindowPads(op, attrs.autoPad, attrs.pads, [inH, inW], attrs.kernel, attrs.strides, [1, 1]);
  const [pt, pl, pb, pr] = pads;
  const range = (size: number, k: number, s: number): [number, number] => [Math.floor((size - k) / s) + 1, Math.ceil((size - k) / s) + 1];
  const [minH, maxH] = range(inH + pt + pb, attrs.kernel[0], attrs.strides[0]);
  const [minW, maxW] = range(inW + pl + pr, attrs.kernel[1], attrs.strides[1]);
  const [on, outH, outW, oc] = out.shape;
  if (on !== batch || oc !== channels || outH < Math.max(1, minH) || outH > maxH || outW < Math.max(1, minW) || outW > maxW) {
    throw new ShapeError(
      `${op}: the output ${formatShape(out.shape)} does not fit input ${formatShape(x.shape)} with kernel [${attrs.kernel.join(',')}], strides [${attrs.strides.join(',')}], pads [${pads.join(',')}]; accepted: [${batch}, ${minH}..${maxH}, ${minW}..${maxW}, ${channels}].`,
    );
  }
  return Int32Array.of(attrs.kernel[0], attrs.kernel[1], attrs.strides[0], attrs.strides[1], pt, pl, pb, pr, attrs.countIncludePad ? 1 : 0);
}
