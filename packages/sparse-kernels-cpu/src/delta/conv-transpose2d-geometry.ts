import { ShapeError } from '@motiondelta/core';
import type { ConvTranspose2DAttrs, DeltaBuffer, Tensor } from '@motiondelta/core';
import { expectOutShape, expectPositivePair } from './delta-checks.js';

const OP = 'ConvTranspose2D';

/**
 * Validates a ConvTranspose2D delta call (weights [kh, kw, Cin, Cout/groups]) and encodes it:
 * [kh, kw, strideH, strideW, dilationH, dilationW, padTop, padLeft, groups].
 */
export function convTranspose2dGeometry(attrs: ConvTranspose2DAttrs, x: DeltaBuffer, w: Tensor, out: DeltaBuffer): Int32Array {
  if (w.shape.length !== 4) throw new ShapeError(`${OP}: weight has rank ${w.shape.length}; expected [kh, kw, Cin, Cout/groups].`);
  const [batch, inH, inW, inC] = x.shape;
  const [kh, kw, wInC, coutPerGroup] = w.shape as [number, number, number, number];
  const groups = attrs.groups;
  if (!Number.isInteger(groups) || groups < 1 || inC % groups !== 0 || wInC !== inC) {
    throw new ShapeError(
      `${OP}: weight [${w.shape.join(',')}] with groups=${groups} does not fit ${inC} input channels; expected [kh, kw, ${inC}, Cout/groups] with groups dividing Cin.`,
    );
  }
  if (attrs.kernel[0] !== kh || attrs.kernel[1] !== kw) {
    throw new ShapeError(`${OP}: attribute kernel [${attrs.kernel.join(',')}] disagrees with the weight's [${kh},${kw}].`);
  }
  expectPositivePair(OP, 'strides', attrs.strides);
  expectPositivePair(OP, 'dilations', attrs.dilations);
  const [pt, pl, pb, pr] = attrs.pads;
  const [oph, opw] = attrs.outputPadding;
  if ([pt, pl, pb, pr, oph, opw].some((p) => !Number.isInteger(p) || p < 0)) {
    throw new ShapeError(`${OP}: pads [${attrs.pads.join(',')}] and outputPadding [${attrs.outputPadding.join(',')}] must be non-negative integers.`);
  }
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilations;
  const outH = (inH - 1) * sh + dh * (kh - 1) + 1 + oph - pt - pb;
  const outW = (inW - 1) * sw + dw * (kw - 1) + 1 + opw - pl - pr;
  expectOutShape(OP, out, [batch, outH, outW, coutPerGroup * groups]);
  return Int32Array.of(kh, kw, sh, sw, dh, dw, pt, pl, groups);
}
