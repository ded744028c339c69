import { ShapeError } from './errors.js';
import type { Pool2DAttrs } from './ops.js';
import { formatShape, type Shape } from './tensor.js';
import { expectPositivePair, resolveWindowPads } from './window-geometry.js';

/** Everything a MaxPool2D / AvgPool2D kernel needs to know about its call, checked. */
export interface Pool2DGeometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly channels: number;
  readonly outH: number;
  readonly outW: number;
  /** `[top, left, bottom, right]`, SAME modes resolved. */
  readonly pads: readonly [number, number, number, number];
}

/**
 * The geometry of a 2D pooling on NHWC input of shape `xShape` with planned output shape
 * `outShape`, the one definition every backend's dense and delta pooling kernels use. The output
 * size comes from the planned shape, not from `ceilMode`: the planner already decided whether the
 * last window (which may start in the end padding) exists, so anything between the floor and
 * ceil sizes is accepted.
 *
 * @throws ShapeError naming the shapes, the attributes and the accepted output range.
 *
 * @example
 * ```ts
 * const attrs = { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], autoPad: 'explicit', ceilMode: false, countIncludePad: false } as const;
 * pool2dGeometry('MaxPool2D', attrs, [1, 8, 8, 4], [1, 4, 4, 4]).pads; // [1, 1, 1, 1]
 * ```
 */
export function pool2dGeometry(op: string, attrs: Pool2DAttrs, xShape: Shape, outShape: Shape): Pool2DGeometry {
  if (xShape.length !== 4) throw new ShapeError(`${op}: input x has shape ${formatShape(xShape)}; expected rank 4 (NHWC).`);
  expectPositivePair(op, 'kernel', attrs.kernel);
  expectPositivePair(op, 'strides', attrs.strides);
  const [batch, inH, inW, channels] = xShape as [number, number, number, number];
  const pads = resolveWindowPads(op, attrs.autoPad, attrs.pads, [inH, inW], attrs.kernel, attrs.strides, [1, 1]);
  const [padTop, padLeft, padBottom, padRight] = pads;
  const sizeRange = (size: number, k: number, s: number): [number, number] => [
    Math.floor((size - k) / s) + 1,
    Math.ceil((size - k) / s) + 1,
  ];
  const [minH, maxH] = sizeRange(inH + padTop + padBottom, attrs.kernel[0], attrs.strides[0]);
  const [minW, maxW] = sizeRange(inW + padLeft + padRight, attrs.kernel[1], attrs.strides[1]);
  const outH = outShape[1] ?? -1;
  const outW = outShape[2] ?? -1;
  if (
    outShape.length !== 4 ||
    outShape[0] !== batch ||
    outShape[3] !== channels ||
    outH < Math.max(1, minH) ||
    outH > maxH ||
    outW < Math.max(1, minW) ||
    outW > maxW
  ) {
    throw new ShapeError(
      `${op}: the planned output shape ${formatShape(outShape)} does not fit input ${formatShape(xShape)} with kernel [${attrs.kernel.join(',')}], strides [${attrs.strides.join(',')}], pads [${pads.join(',')}]; accepted: [${batch}, ${minH}..${maxH}, ${minW}..${maxW}, ${channels}].`,
    );
  }
  return { batch, inH, inW, channels, outH, outW, pads: [padTop, padLeft, padBottom, padRight] };
}
