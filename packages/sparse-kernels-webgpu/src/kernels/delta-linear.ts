import {
  ShapeError,
  UnsupportedOpError,
  broadcastStrides,
  concatGeometry,
  conv2dGeometry,
  convTranspose2dGeometry,
  formatShape,
  padAxisMap,
  pool2dGeometry,
  resizeOutputSize,
  resizeTaps,
  type Shape,
} from '@motiondelta/core';
import type { LinearDeltaOp, LinearStep, OpAttrs } from '@motiondelta/core';

/** A linear step's call, discriminated by op. */
type LinearCall = { [K in LinearDeltaOp]: { readonly op: K; readonly attrs: OpAttrs[K] } }[LinearDeltaOp];
import { f32Literal, i32Literal as i, u32Literal as u } from '../wgsl/literals.js';
import { deltaPlan, pixelCoords, tiledDeltaPlan } from './delta-plan.js';
import type { KernelPlan } from './kernel-plan.js';

/**
 * Linear ops on deltas, one thread per output pixel (all its channels). Ops whose output is active
 * exactly where one operand is (Identity, Add/Sub with a constant, Mul/Div by a constant,
 * BatchNorm) run over that operand's active tiles only; convolutions mark their output's active
 * pixels first (mask reads only) and compute values over the output's active tiles; the others
 * (pools, resize, pad, concat, sums of deltas) visit every output pixel
 * (skipped whole when no operand has an active tile), read inactive input pixels as 0 (their
 * values are never read), and activate an output pixel exactly where the op's footprint reaches
 * an active input pixel, the footprints of the reference backend's delta kernels.
 */

/** What a linear operand is in a compiled program. */
export type LinearOperand =
  { readonly kind: 'delta'; readonly shape: Shape } | { readonly kind: 'constant'; readonly shape: Shape } | undefined;

/** Which buffers a linear plan binds, in binding order: per operand, a delta's values and mask or a constant's data. */
export type LinearBinding = { readonly operand: number; readonly part: 'values' | 'mask' | 'data' };

/** A planned linear step: the kernel and what its read bindings are. */
export interface LinearPlan {
  readonly plan: KernelPlan;
  readonly reads: readonly LinearBinding[];
  /**
   * The operand whose active tiles the kernel runs over (its tile list bound after `reads`), for
   * ops whose output is active exactly where that operand is; absent for the others, which run
   * over every output pixel when any varying operand has an active tile.
   */
  readonly tiledOver?: number;
  /**
   * For convolutions: a kernel (reading operand 0's mask, writing the output mask) that marks the
   * output pixels an active input reaches; `plan` then runs over the active tiles of the output
   * only (its tile list bound after `reads`), so the multiply-adds follow the changed tiles.
   */
  readonly footprint?: KernelPlan;
}

const D = (k: number): LinearBinding[] => [
  { operand: k, part: 'values' },
  { operand: k, part: 'mask' },
];
const C = (k: number): LinearBinding => ({ operand: k, part: 'data' });
const WRITES = ['vals', 'mask'];

/**
 * The kernel of a linear step on these operands and output shape.
 *
 * @throws UnsupportedOpError for an op or operand combination without a delta kernel (the reference
 *   declines the same ones), ShapeError for shapes that do not fit
 */
export function planLinear(stepCall: LinearStep['call'], operands: readonly LinearOperand[], outShape: Shape): LinearPlan {
  const call = stepCall as LinearCall;
  const isDelta = (k: number): boolean => operands[k]?.kind === 'delta';
  const shapeOf = (k: number, role: string): Shape => {
    const o = operands[k];
    if (o === undefined) throw new ShapeError(`${call.op}: operand ${k} (${role}) is missing.`);
    return o.shape;
  };
  const needDelta = (k: number, role: string): Shape => {
    if (!isDelta(k)) throw new UnsupportedOpError(call.op, '(delta)', `operand ${k} (${role}) must be varying`);
    return shapeOf(k, role);
  };
  const needConstant = (k: number, role: string): Shape => {
    if (operands[k]?.kind !== 'constant') throw new UnsupportedOpError(call.op, '(delta)', `operand ${k} (${role}) must be a constant`);
    return operands[k]!.shape;
  };
  switch (call.op) {
    case 'Conv2D': {
      const { footprint, values } = conv2d(call.attrs, needDelta(0, 'x'), needConstant(1, 'weight'));
      return { plan: values, reads: [...D(0), C(1)], footprint };
    }
    case 'ConvTranspose2D': {
      const { footprint, values } = convTranspose2d(call.attrs, needDelta(0, 'x'), needConstant(1, 'weight'));
      return { plan: values, reads: [...D(0), C(1)], footprint };
    }
    case 'AvgPool2D':
      return { plan: avgPool(call.attrs, needDelta(0, 'x'), outShape), reads: D(0) };
    case 'GlobalAvgPool':
      return { plan: globalAvgPool(needDelta(0, 'x'), outShape), reads: D(0) };
    case 'Resize':
      return { plan: resize(call.attrs, needDelta(0, 'x'), outShape), reads: D(0) };
    case 'Pad':
      return { plan: pad(call.attrs, needDelta(0, 'x'), outShape), reads: D(0) };
    case 'Concat':
      return concat(call.attrs.axis, operands, outShape);
    case 'Identity':
      expectSame(call.op, needDelta(0, 'x'), outShape);
      return { plan: scaled(outShape, '', undefined), reads: D(0), tiledOver: 0 };
    case 'BatchNorm': {
      const x = needDelta(0, 'x');
      expectSame(call.op, x, outShape);
      const c = outShape[3]!;
      ['scale', 'bias', 'mean', 'variance'].forEach((role, k) => expectVector(call.op, role, needConstant(k + 1, role), c));
      // Only the scale: the shift cancels in a difference.
      return {
        plan: scaled(outShape, ` * (k0[ch] / sqrt(k1[ch] + ${f32Literal(call.attrs.epsilon)}))`, ['k0', 'k1']),
        reads: [...D(0), C(1), C(4)],
        tiledOver: 0,
      };
    }
    case 'Add':
    case 'Sub': {
      if (isDelta(0) && isDelta(1)) {
        expectSame(call.op, shapeOf(0, 'A'), outShape);
        expectSame(call.op, shapeOf(1, 'B'), outShape);
        return { plan: sumOfDeltas(outShape, call.op === 'Sub' ? -1 : 1), reads: [...D(0), ...D(1)] };
      }
      const k = isDelta(0) ? 0 : isDelta(1) ? 1 : -1;
      if (k < 0 || operands[1 - k]?.kind !== 'constant') {
        throw new UnsupportedOpError(call.op, '(delta)', 'a linear Add/Sub needs two varying operands or one varying and one constant');
      }
      expectSame(call.op, shapeOf(k, 'x'), outShape);
      // The constant cancels in a difference; B of a Sub passes negated.
      return { plan: scaled(outShape, '', undefined, call.op === 'Sub' && k === 1 ? -1 : 1), reads: D(k), tiledOver: k };
    }
    case 'Mul':
    case 'Div': {
      const k =
        isDelta(0) && operands[1]?.kind === 'constant' ? 0 : call.op === 'Mul' && isDelta(1) && operands[0]?.kind === 'constant' ? 1 : -1;
      if (k < 0) {
        throw new UnsupportedOpError(
          call.op,
          '(delta)',
          call.op === 'Div'
            ? 'a linear Div needs a varying dividend and a constant divisor'
            : 'a linear Mul needs one varying and one constant operand',
        );
      }
      expectSame(call.op, shapeOf(k, 'x'), outShape);
      return {
        plan: byConstant(outShape, operands[1 - k]!.shape, call.op === 'Mul' ? '*' : '/'),
        reads: [...D(k), C(1 - k)],
        tiledOver: k,
      };
    }
    default: {
      const op = (call as { op: string }).op;
      throw new UnsupportedOpError(op, '(delta)', 'no webgpu delta kernel for this linear op');
    }
  }
}

function expectSame(op: string, a: Shape, out: Shape): void {
  if (a.length !== out.length || a.some((d, k) => d !== out[k])) {
    throw new ShapeError(`${op}: varying operand ${formatShape(a)} differs from the output ${formatShape(out)}.`);
  }
}

function expectVector(op: string, role: string, s: Shape, c: number): void {
  if (s.reduce((a, b) => a * b, 1) !== c) throw new ShapeError(`${op}: ${role} has shape ${formatShape(s)}; expected ${c} values.`);
}

const pixelsOf = (s: Shape): number => s[0]! * s[1]! * s[2]!;

/** Opens a per-output-pixel kernel: coordinates, zeroed values, `on` false. */
function open(out: Shape): string {
  return `${pixelCoords(out[1]!, out[2]!)}
  let base = q * ${u(out[3]!)};
  var on = false;
  for (var ch = 0u; ch < ${u(out[3]!)}; ch++) { vals[base + ch] = 0.0; }`;
}
const CLOSE = '  mask[q] = select(0.0, 1.0, on);';

/**
 * A convolution's two kernels: `footprint` marks the output pixels an active input reaches (mask
 * reads only, over every output pixel), and `values` computes those pixels' values (and their
 * masks again), run over the active tiles of the output that `footprint` marked.
 */
interface OutputTiled {
  readonly footprint: KernelPlan;
  readonly values: KernelPlan;
}

/** Per-output-pixel kernel body walking the taps that read an active input, `compute` run at each. */
function convBody(out: readonly number[], taps: string, compute: string, withValues: boolean): string {
  return `  let q = i;${withValues ? open(out) : `${pixelCoords(out[1]!, out[2]!)}\n  var on = false;`}
${taps.replace('@COMPUTE@', compute)}
${CLOSE}`;
}

function outputTiled(out: readonly number[], taps: string, compute: string): OutputTiled {
  return {
    footprint: deltaPlan(['x_mask'], ['mask'], pixelsOf(out), convBody(out, taps, '', false)),
    values: tiledDeltaPlan(['x_vals', 'x_mask', 'weight'], WRITES, pixelsOf(out), convBody(out, taps, compute, true)),
  };
}

function conv2d(attrs: Parameters<typeof conv2dGeometry>[1], x: Shape, w: Shape): OutputTiled {
  const g = conv2dGeometry('Conv2D', attrs, x, w);
  const out = [g.batch, g.outH, g.outW, g.outC];
  const coutPerGroup = g.outC / g.groups;
  const taps = `  for (var ky = 0i; ky < ${i(g.kh)}; ky++) {
    let iy = oy * ${i(g.sh)} - ${i(g.padTop)} + ky * ${i(g.dh)};
    if (iy < 0i || iy >= ${i(g.inH)}) { continue; }
    for (var kx = 0i; kx < ${i(g.kw)}; kx++) {
      let ix = ox * ${i(g.sw)} - ${i(g.padLeft)} + kx * ${i(g.dw)};
      if (ix < 0i || ix >= ${i(g.inW)}) { continue; }
      let p = (n * ${u(g.inH)} + u32(iy)) * ${u(g.inW)} + u32(ix);
      if (x_mask[p] == 0.0) { continue; }
      on = true;
@COMPUTE@
    }
  }`;
  const compute = `      let wb = u32(ky * ${i(g.kw)} + kx) * ${u(g.cinPerGroup * g.outC)};
      for (var co = 0u; co < ${u(g.outC)}; co++) {
        let xb = p * ${u(g.inC)} + (co / ${u(coutPerGroup)}) * ${u(g.cinPerGroup)};
        var acc = 0.0;
        for (var ci = 0u; ci < ${u(g.cinPerGroup)}; ci++) { acc += x_vals[xb + ci] * weight[wb + ci * ${u(g.outC)} + co]; }
        vals[base + co] += acc;
      }`;
  return outputTiled(out, taps, compute);
}

function convTranspose2d(attrs: Parameters<typeof convTranspose2dGeometry>[1], x: Shape, w: Shape): OutputTiled {
  const g = convTranspose2dGeometry('ConvTranspose2D', attrs, x, w);
  const out = [g.batch, g.outH, g.outW, g.outC];
  const taps = `  for (var ky = 0i; ky < ${i(g.kh)}; ky++) {
    let ty = oy + ${i(g.padTop)} - ky * ${i(g.dh)};
    if (ty < 0i || ty % ${i(g.sh)} != 0i) { continue; }
    let iy = ty / ${i(g.sh)};
    if (iy >= ${i(g.inH)}) { continue; }
    for (var kx = 0i; kx < ${i(g.kw)}; kx++) {
      let tx = ox + ${i(g.padLeft)} - kx * ${i(g.dw)};
      if (tx < 0i || tx % ${i(g.sw)} != 0i) { continue; }
      let ix = tx / ${i(g.sw)};
      if (ix >= ${i(g.inW)}) { continue; }
      let p = (n * ${u(g.inH)} + u32(iy)) * ${u(g.inW)} + u32(ix);
      if (x_mask[p] == 0.0) { continue; }
      on = true;
@COMPUTE@
    }
  }`;
  const compute = `      for (var co = 0u; co < ${u(g.outC)}; co++) {
        let cin0 = (co / ${u(g.coutPerGroup)}) * ${u(g.cinPerGroup)};
        let wb = (u32(ky * ${i(g.kw)} + kx) * ${u(g.inC)} + cin0) * ${u(g.coutPerGroup)} + co % ${u(g.coutPerGroup)};
        var acc = 0.0;
        for (var ci = 0u; ci < ${u(g.cinPerGroup)}; ci++) { acc += x_vals[p * ${u(g.inC)} + cin0 + ci] * weight[wb + ci * ${u(g.coutPerGroup)}]; }
        vals[base + co] += acc;
      }`;
  return outputTiled(out, taps, compute);
}

function avgPool(attrs: Parameters<typeof pool2dGeometry>[1], x: Shape, outShape: Shape): KernelPlan {
  const g = pool2dGeometry('AvgPool2D', attrs, x, outShape);
  const [padTop, padLeft, padBottom, padRight] = g.pads;
  const [kh, kw] = attrs.kernel;
  const [sh, sw] = attrs.strides;
  const c = g.channels;
  const divisor = attrs.countIncludePad
    ? `max(0i, min(ys + ${i(kh)}, ${i(g.inH + padBottom)}) - ys) * max(0i, min(xs + ${i(kw)}, ${i(g.inW + padRight)}) - xs)`
    : '(y1 - y0) * (x1 - x0)';
  const body = `  let q = i;${open(outShape)}
  let ys = oy * ${i(sh)} - ${i(padTop)};
  let xs = ox * ${i(sw)} - ${i(padLeft)};
  let y0 = max(ys, 0i);
  let y1 = min(ys + ${i(kh)}, ${i(g.inH)});
  let x0 = max(xs, 0i);
  let x1 = min(xs + ${i(kw)}, ${i(g.inW)});
  for (var iy = y0; iy < y1; iy++) {
    for (var ix = x0; ix < x1; ix++) {
      let p = (n * ${u(g.inH)} + u32(iy)) * ${u(g.inW)} + u32(ix);
      if (x_mask[p] == 0.0) { continue; }
      on = true;
      for (var ch = 0u; ch < ${u(c)}; ch++) { vals[base + ch] += x_vals[p * ${u(c)} + ch]; }
    }
  }
  let count = ${divisor};
  let inv = select(0.0, 1.0 / f32(count), count > 0i);
  for (var ch = 0u; ch < ${u(c)}; ch++) { vals[base + ch] = vals[base + ch] * inv; }
${CLOSE}`;
  return deltaPlan(['x_vals', 'x_mask'], WRITES, pixelsOf(outShape), body);
}

function globalAvgPool(x: Shape, outShape: Shape): KernelPlan {
  const [batch, h, w, c] = x as [number, number, number, number];
  expectSame('GlobalAvgPool', [batch, 1, 1, c], outShape);
  const plane = h * w;
  const body = `  let q = i;
  let base = q * ${u(c)};
  var on = false;
  for (var ch = 0u; ch < ${u(c)}; ch++) { vals[base + ch] = 0.0; }
  for (var p = q * ${u(plane)}; p < (q + 1u) * ${u(plane)}; p++) {
    if (x_mask[p] == 0.0) { continue; }
    on = true;
    for (var ch = 0u; ch < ${u(c)}; ch++) { vals[base + ch] += x_vals[p * ${u(c)} + ch] / f32(${u(plane)}); }
  }
${CLOSE}`;
  return deltaPlan(['x_vals', 'x_mask'], WRITES, batch, body);
}

function resize(attrs: Parameters<typeof resizeOutputSize>[0], x: Shape, outShape: Shape): KernelPlan {
  const [batch, inH, inW, c] = x as [number, number, number, number];
  if (inH === 0 || inW === 0) throw new ShapeError(`Resize: input ${formatShape(x)} has an empty spatial axis; nothing to resample from.`);
  const [outH, outW] = resizeOutputSize(attrs, inH, inW);
  expectSame('Resize', [batch, outH, outW, c], outShape);
  const { rows, cols } = resizeTaps(attrs, inH, inW, outH, outW);
  const aux = new Int32Array(3 * (outH + outW));
  const bits = new Float32Array(aux.buffer);
  const put = (k: number, lo: number, hi: number, weight: number): void => {
    aux[3 * k] = lo;
    aux[3 * k + 1] = hi;
    bits[3 * k + 2] = weight;
  };
  for (let k = 0; k < outH; k++) put(k, rows.lo[k]!, rows.hi[k]!, rows.weight[k]!);
  for (let k = 0; k < outW; k++) put(outH + k, cols.lo[k]!, cols.hi[k]!, cols.weight[k]!);
  // A second tap of weight 0 is no read: it neither activates the output nor contributes.
  const body = `  let q = i;${open(outShape)}
  let r = 3u * u32(oy);
  let s = 3u * (${u(outH)} + u32(ox));
  let wy = bitcast<f32>(aux[r + 2u]);
  let wx = bitcast<f32>(aux[s + 2u]);
  let r0 = (n * ${u(inH)} + u32(aux[r])) * ${u(inW)};
  let r1 = (n * ${u(inH)} + u32(aux[r + 1u])) * ${u(inW)};
  let c0 = u32(aux[s]);
  let c1 = u32(aux[s + 1u]);
  let a00 = x_mask[r0 + c0] != 0.0;
  let a01 = x_mask[r0 + c1] != 0.0;
  let a10 = x_mask[r1 + c0] != 0.0;
  let a11 = x_mask[r1 + c1] != 0.0;
  on = a00 || (a01 && wx != 0.0) || (a10 && wy != 0.0) || (a11 && wx != 0.0 && wy != 0.0);
  if (on) {
    for (var ch = 0u; ch < ${u(c)}; ch++) {
      let d00 = select(0.0, x_vals[(r0 + c0) * ${u(c)} + ch], a00);
      let d01 = select(0.0, x_vals[(r0 + c1) * ${u(c)} + ch], a01);
      let d10 = select(0.0, x_vals[(r1 + c0) * ${u(c)} + ch], a10);
      let d11 = select(0.0, x_vals[(r1 + c1) * ${u(c)} + ch], a11);
      let top = d00 + wx * (d01 - d00);
      let bottom = d10 + wx * (d11 - d10);
      vals[base + ch] = top + wy * (bottom - top);
    }
  }
${CLOSE}`;
  return deltaPlan(['x_vals', 'x_mask'], WRITES, pixelsOf(outShape), body, '', aux);
}

function pad(
  attrs: { readonly pads: readonly number[]; readonly mode: 'constant' | 'reflect' | 'edge' },
  x: Shape,
  outShape: Shape,
): KernelPlan {
  const pads = attrs.pads;
  if (pads.length !== 8 || pads.some((p) => !Number.isInteger(p))) {
    throw new ShapeError(`Pad: pads [${pads.join(',')}] must be 8 integers ([begin N,H,W,C, end N,H,W,C]) for a 4-D NHWC delta.`);
  }
  if (pads[0] !== 0 || pads[3] !== 0 || pads[4] !== 0 || pads[7] !== 0) {
    throw new UnsupportedOpError('Pad', '(delta)', `delta padding supports pads on H and W only, got [${pads.join(',')}]`);
  }
  const [batch, inH, inW, c] = x as [number, number, number, number];
  const outH = inH + pads[1]! + pads[5]!;
  const outW = inW + pads[2]! + pads[6]!;
  if (outH < 0 || outW < 0) throw new ShapeError(`Pad: pads [${pads.join(',')}] crop more than the ${inH}x${inW} input holds.`);
  expectSame('Pad', [batch, outH, outW, c], outShape);
  const rows = padAxisMap('Pad', inH, pads[1]!, pads[5]!, outH, attrs.mode);
  const cols = padAxisMap('Pad', inW, pads[2]!, pads[6]!, outW, attrs.mode);
  const aux = Int32Array.from([...rows, ...cols, 0]);
  const body = `  let q = i;${open(outShape)}
  let sy = aux[u32(oy)];
  let sx = aux[${u(outH)} + u32(ox)];
  if (sy >= 0i && sx >= 0i) {
    let p = (n * ${u(inH)} + u32(sy)) * ${u(inW)} + u32(sx);
    on = x_mask[p] != 0.0;
    if (on) { for (var ch = 0u; ch < ${u(c)}; ch++) { vals[base + ch] = x_vals[p * ${u(c)} + ch]; } }
  }
${CLOSE}`;
  return deltaPlan(['x_vals', 'x_mask'], WRITES, pixelsOf(outShape), body, '', aux);
}

function concat(axis: number, operands: readonly LinearOperand[], outShape: Shape): LinearPlan {
  if (axis !== 3 && axis !== -1) {
    throw new UnsupportedOpError(
      'Concat',
      '(delta)',
      `delta concatenation supports the channel axis only (3 or -1 on NHWC), got axis ${axis}`,
    );
  }
  const shapes = operands.map((o, k) => {
    if (o === undefined) throw new ShapeError(`Concat: input ${k} is missing; every input of a concatenation is required.`);
    return o.shape;
  });
  expectSame('Concat', concatGeometry('Concat', 3, shapes).outShape, outShape);
  const oc = outShape[3]!;
  const reads: LinearBinding[] = [];
  const names: string[] = [];
  const lines: string[] = [];
  let offset = 0;
  operands.forEach((o, k) => {
    const c = o!.shape[3]!;
    // Constant inputs do not change: they add nothing and activate nothing.
    if (o!.kind === 'delta' && c > 0) {
      reads.push(...D(k));
      names.push(`v${k}`, `m${k}`);
      lines.push(
        `  if (m${k}[q] != 0.0) { on = true; for (var ch = 0u; ch < ${u(c)}; ch++) { vals[base + ${u(offset)} + ch] = v${k}[q * ${u(c)} + ch]; } }`,
      );
    }
    offset += c;
  });
  const body = `  let q = i;
  let base = q * ${u(oc)};
  var on = false;
  for (var ch = 0u; ch < ${u(oc)}; ch++) { vals[base + ch] = 0.0; }
${lines.join('\n')}
${CLOSE}`;
  return { plan: deltaPlan(names, WRITES, pixelsOf(outShape), body), reads };
}

/** The delta times a per-channel factor expression (`suffix`, may read bindings `factors`), or negated: over the delta's active tiles. */
function scaled(shape: Shape, suffix: string, factors: readonly string[] | undefined, sign: 1 | -1 = 1): KernelPlan {
  const c = shape[3]!;
  const body = `  let q = i;
  let base = q * ${u(c)};
  let on = x_mask[q] != 0.0;
  mask[q] = select(0.0, 1.0, on);
  if (!on) { return; }
  for (var ch = 0u; ch < ${u(c)}; ch++) { vals[base + ch] = ${sign < 0 ? '-' : ''}x_vals[base + ch]${suffix}; }`;
  return tiledDeltaPlan(['x_vals', 'x_mask', ...(factors ?? [])], WRITES, pixelsOf(shape), body);
}

function sumOfDeltas(shape: Shape, signB: 1 | -1): KernelPlan {
  const c = shape[3]!;
  const body = `  let q = i;
  let base = q * ${u(c)};
  let a = a_mask[q] != 0.0;
  let b = b_mask[q] != 0.0;
  mask[q] = select(0.0, 1.0, a || b);
  for (var ch = 0u; ch < ${u(c)}; ch++) {
    vals[base + ch] = select(0.0, a_vals[base + ch], a) ${signB < 0 ? '-' : '+'} select(0.0, b_vals[base + ch], b);
  }`;
  return deltaPlan(['a_vals', 'a_mask', 'b_vals', 'b_mask'], WRITES, pixelsOf(shape), body);
}

/** delta (op) constant, the constant broadcast to the output's NHWC shape: over the delta's active tiles. */
function byConstant(shape: Shape, kShape: Shape, op: '*' | '/'): KernelPlan {
  if (kShape.length > 4) throw new ShapeError(`constant operand ${formatShape(kShape)} has rank above 4; the output is NHWC.`);
  const [s0, s1, s2, s3] = broadcastStrides(kShape, shape) as [number, number, number, number];
  const c = shape[3]!;
  const body = `  let q = i;${pixelCoords(shape[1]!, shape[2]!)}
  let base = q * ${u(c)};
  let on = x_mask[q] != 0.0;
  mask[q] = select(0.0, 1.0, on);
  if (!on) { return; }
  let kb = n * ${u(s0)} + u32(oy) * ${u(s1)} + u32(ox) * ${u(s2)};
  for (var ch = 0u; ch < ${u(c)}; ch++) { vals[base + ch] = x_vals[base + ch] ${op} k[kb + ch * ${u(s3)}]; }`;
  return tiledDeltaPlan(['x_vals', 'x_mask', 'k'], WRITES, pixelsOf(shape), body);
}
