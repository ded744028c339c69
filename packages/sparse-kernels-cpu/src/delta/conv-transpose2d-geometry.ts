import { convTranspose2dGeometry as checkedGeometry } from '@motiondelta/core';
import type { ConvTranspose2DAttrs, DeltaBuffer, Tensor } from '@motiondelta/core';
import { expectOutShape } from './delta-checks.js';

const OP = 'ConvTranspose2D';

/**
 * Validates a ConvTranspose2D delta call (weights [kh, kw, Cin, Cout/groups]) and encodes it:
 * [kh, kw, strideH, strideW, dilationH, dilationW, padTop, padLeft, groups].
 */
export function convTranspose2dGeometry(attrs: ConvTranspose2DAttrs, x: DeltaBuffer, w: Tensor, out: DeltaBuffer): Int32Array {
  const g = checkedGeometry(OP, attrs, x.shape, w.shape);
  const { batch, kh, kw, sh, sw, dh, dw, groups, outH, outW, outC } = g;
  expectOutShape(OP, out, [batch, outH, outW, outC]);
  return Int32Array.of(kh, kw, sh, sw, dh, dw, g.padTop, g.padLeft, groups);
}
