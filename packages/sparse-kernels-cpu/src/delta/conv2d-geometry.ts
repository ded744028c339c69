import { conv2dGeometry as checkedConv2dGeometry } from '@motiondelta/core';
import type { Conv2DAttrs, DeltaBuffer, Tensor } from '@motiondelta/core';
import { expectOutShape } from './delta-checks.js';

const OP = 'Conv2D';

/** A validated delta convolution, as the native kernel takes it. */
export interface Conv2dGeometry {
  /** [kh, kw, strideH, strideW, dilationH, dilationW, padTop, padLeft, groups]. */
  readonly geom: Int32Array;
  /** [kh, kw, Cin/groups, Cout, groups, strideH, strideW, dilationH, dilationW]: the packing key. */
  readonly packDims: Int32Array;
  readonly depthwise: boolean;
}

/** Checks a Conv2D delta call (weights HWIO-like [kh, kw, Cin/groups, Cout]) and its output shape. */
export function conv2dGeometry(attrs: Conv2DAttrs, x: DeltaBuffer, w: Tensor, out: DeltaBuffer): Conv2dGeometry {
  const g = checkedConv2dGeometry(OP, attrs, x.shape, w.shape);
  const { batch, outC, kh, kw, cinPerGroup, groups, sh, sw, dh, dw, outH, outW } = g;
  const [pt, pl] = [g.padTop, g.padLeft];
  expectOutShape(OP, out, [batch, outH, outW, outC]);
  return {
    geom: Int32Array.of(kh, kw, sh, sw, dh, dw, pt, pl, groups),
    packDims: Int32Array.of(kh, kw, cinPerGroup, outC, groups, sh, sw, dh, dw),
    depthwise: cinPerGroup === 1,
  };
}
