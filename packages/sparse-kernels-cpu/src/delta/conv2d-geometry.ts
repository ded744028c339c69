import { ShapeError } from '@motiondelta/core';
import type { Conv2DAttrs, DeltaBuffer, Tensor } from '@motiondelta/core';
import { expectOutShape, expectPositivePair } from './delta-checks.js';
import { resolveWindowPads } from './window-pads.js';

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
  if (w.shape.length !== 4) throw new ShapeError(`${OP}: weight has rank ${w.shape.length}; expected [kh, kw, Cin/groups, Cout].`);
  const [batch, inH, inW, inC] = x.shape;
  const [kh, kw, cinPerGroup, outC] = w.shape as [number, number, number, number];
  const groups = attrs.groups;
  if (!Number.isInteger(groups) || groups < 1 || inC % groups !== 0 || outC % groups !== 0 || cinPerGroup !== inC / groups) {
    throw new ShapeError(
      `${OP}: weight [${w.shape.join(',')}] with groups=${groups} does not fit ${inC} input channels; expected [kh, kw, ${inC}/groups, Cout] with groups dividing Cin and Cout.`,
    );
  }
  if (attrs.kernel[0] !== kh || attrs.kernel[1] !== kw) {
    throw new ShapeError(`${OP}: attribute kernel [${attrs.kernel.join(',')}] disagrees with the weight's [${kh},${kw}].`);
  }
  expectPositivePair(OP, 'strides', attrs.strides);
  expectPositivePair(OP, 'dilations', attrs.dilations);
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilations;
  const [pt, pl, pb, pr] = resolveWindowPads(OP, attrs.autoPad, attrs.pads, [inH, inW], attrs.kernel, attrs.strides, attrs.dilations);
  const outH = Math.floor((inH + pt + pb - (dh * (kh - 1) + 1)) / sh) + 1;
  const outW = Math.floor((inW + pl + pr - (dw * (kw - 1) + 1)) / sw) + 1;
  expectOutShape(OP, out, [batch, outH, outW, outC]);
  return {
    geom: Int32Array.of(kh, kw, sh, sw, dh, dw, pt, pl, groups),
    packDims: Int32Array.of(kh, kw, cinPerGroup, outC, groups, sh, sw, dh, dw),
    depthwise: cinPerGroup === 1,
  };
}
