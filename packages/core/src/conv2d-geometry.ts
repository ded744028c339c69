import { ShapeError } from './errors.js';
import type { Conv2DAttrs, ConvTranspose2DAttrs } from './ops.js';
import { formatShape, type Shape } from './tensor.js';
import { expectPositivePair, resolveWindowPads } from './window-geometry.js';

/** Everything a Conv2D kernel needs to know about its call, checked. */
export interface Conv2DGeometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly kh: number;
  readonly kw: number;
  readonly cinPerGroup: number;
  readonly outC: number;
  readonly groups: number;
  readonly sh: number;
  readonly sw: number;
  readonly dh: number;
  readonly dw: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly padBottom: number;
  readonly padRight: number;
  readonly outH: number;
  readonly outW: number;
}

/**
 * The geometry of a Conv2D on NHWC input `x` with weight [kh, kw, Cin/groups, Cout], the one set
 * of checks every backend's dense and delta convolution runs: ranks, groups dividing both channel
 * counts, the kernel attribute agreeing with the weight, positive strides and dilations, pads, and
 * a kernel that fits the padded input. A wrong call is a ShapeError saying what was wrong.
 *
 * @example
 * ```ts
 * const g = conv2dGeometry('Conv2D', attrs, [1, 32, 32, 16], [3, 3, 16, 8]);
 * console.log(g.outH, g.outW, g.outC);
 * ```
 */
export function conv2dGeometry(op: string, attrs: Conv2DAttrs, xShape: Shape, wShape: Shape): Conv2DGeometry {
  if (xShape.length !== 4) throw new ShapeError(`${op}: input x has shape ${formatShape(xShape)}; expected rank 4 (NHWC).`);
  if (wShape.length !== 4)
    throw new ShapeError(`${op}: weight has shape ${formatShape(wShape)}; expected rank 4 ([kh, kw, Cin/groups, Cout]).`);
  const [batch, inH, inW, inC] = xShape as [number, number, number, number];
  const [kh, kw, cinPerGroup, outC] = wShape as [number, number, number, number];
  const groups = attrs.groups;
  if (!Number.isInteger(groups) || groups < 1 || inC % groups !== 0 || outC % groups !== 0) {
    throw new ShapeError(
      `${op}: groups=${groups} must be a positive integer dividing both input channels (${inC}) and output channels (${outC}).`,
    );
  }
  if (cinPerGroup !== inC / groups) {
    throw new ShapeError(
      `${op}: weight has ${cinPerGroup} input channels per group but x has ${inC} channels in ${groups} group(s); expected ${inC / groups}.`,
    );
  }
  if (attrs.kernel[0] !== kh || attrs.kernel[1] !== kw) {
    throw new ShapeError(`${op}: attribute kernel [${attrs.kernel.join(',')}] disagrees with the weight's [${kh},${kw}].`);
  }
  expectPositivePair(op, 'strides', attrs.strides);
  expectPositivePair(op, 'dilations', attrs.dilations);
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilations;
  const [padTop, padLeft, padBottom, padRight] = resolveWindowPads(
    op,
    attrs.autoPad,
    attrs.pads,
    [inH, inW],
    attrs.kernel,
    attrs.strides,
    attrs.dilations,
  );
  const outH = Math.floor((inH + padTop + padBottom - (dh * (kh - 1) + 1)) / sh) + 1;
  const outW = Math.floor((inW + padLeft + padRight - (dw * (kw - 1) + 1)) / sw) + 1;
  if (outH < 1 || outW < 1) {
    throw new ShapeError(`${op}: a ${kh}x${kw} kernel (dilation ${dh}x${dw}) does not fit the padded ${inH}x${inW} input.`);
  }
  return { batch, inH, inW, inC, kh, kw, cinPerGroup, outC, groups, sh, sw, dh, dw, padTop, padLeft, padBottom, padRight, outH, outW };
}

/** Everything a ConvTranspose2D kernel needs to know about its call, checked. */
export interface ConvTranspose2DGeometry extends Conv2DGeometry {
  readonly coutPerGroup: number;
}

/**
 * The geometry of a ConvTranspose2D on NHWC input `x` with weight [kh, kw, Cin, Cout/groups]:
 * input pixel iy lands on full-output row iy*stride + ky*dilation, `pads` crop that full output
 * and `outputPadding` extends it at the bottom/right. The one set of checks every backend's dense
 * and delta transposed convolution runs.
 *
 * @example
 * ```ts
 * const g = convTranspose2dGeometry('ConvTranspose2D', attrs, [1, 16, 16, 8], [2, 2, 8, 4]);
 * console.log(g.outH, g.outW); // 32 32 for stride 2, no pads
 * ```
 */
export function convTranspose2dGeometry(op: string, attrs: ConvTranspose2DAttrs, xShape: Shape, wShape: Shape): ConvTranspose2DGeometry {
  if (xShape.length !== 4) throw new ShapeError(`${op}: input x has shape ${formatShape(xShape)}; expected rank 4 (NHWC).`);
  if (wShape.length !== 4)
    throw new ShapeError(`${op}: weight has shape ${formatShape(wShape)}; expected rank 4 ([kh, kw, Cin, Cout/groups]).`);
  const [batch, inH, inW, inC] = xShape as [number, number, number, number];
  const [kh, kw, wInC, coutPerGroup] = wShape as [number, number, number, number];
  const groups = attrs.groups;
  if (!Number.isInteger(groups) || groups < 1 || inC % groups !== 0) {
    throw new ShapeError(`${op}: groups=${groups} must be a positive integer dividing the input channels (${inC}).`);
  }
  if (wInC !== inC) {
    throw new ShapeError(`${op}: weight has ${wInC} input channels but x has ${inC}; weight layout is [kh, kw, Cin, Cout/groups].`);
  }
  if (attrs.kernel[0] !== kh || attrs.kernel[1] !== kw) {
    throw new ShapeError(`${op}: attribute kernel [${attrs.kernel.join(',')}] disagrees with the weight's [${kh},${kw}].`);
  }
  expectPositivePair(op, 'strides', attrs.strides);
  expectPositivePair(op, 'dilations', attrs.dilations);
  const [padTop, padLeft, padBottom, padRight] = attrs.pads;
  const [opadH, opadW] = attrs.outputPadding;
  if ([padTop, padLeft, padBottom, padRight, opadH, opadW].some((p) => !Number.isInteger(p) || p < 0)) {
    throw new ShapeError(
      `${op}: pads [${attrs.pads.join(',')}] and outputPadding [${attrs.outputPadding.join(',')}] must be non-negative integers.`,
    );
  }
  const outC = coutPerGroup * groups;
  if (outC < 1) throw new ShapeError(`${op}: weight ${formatShape(wShape)} has no output channels.`);
  const [sh, sw] = attrs.strides;
  const [dh, dw] = attrs.dilations;
  const outH = (inH - 1) * sh + dh * (kh - 1) + 1 + opadH - padTop - padBottom;
  const outW = (inW - 1) * sw + dw * (kw - 1) + 1 + opadW - padLeft - padRight;
  if (outH < 1 || outW < 1) {
    throw new ShapeError(`${op}: pads [${attrs.pads.join(',')}] crop away the whole ${inH}x${inW} transposed output.`);
  }
  const cinPerGroup = inC / groups;
  return {
    batch,
    inH,
    inW,
    inC,
    kh,
    kw,
    cinPerGroup,
    coutPerGroup,
    outC,
    groups,
    sh,
    sw,
    dh,
    dw,
    padTop,
    padLeft,
    padBottom,
    padRight,
    outH,
    outW,
  };
}
