import { ShapeError, conv2dGeometry, convTranspose2dGeometry, formatShape, pool2dGeometry, resizeOutputSize } from '@motiondelta/core';
import type { ActivationStep, BinaryStep, LinearDeltaOp, LinearStep, MaxPoolStep, OpAttrs, Shape, Step, ValueId } from '@motiondelta/core';
import { encodeActivation } from '../delta/activation-code.js';
import { broadcastShape, broadcastStrides } from '../delta/broadcast.js';
import { padAxis } from '../delta/pad-maps.js';
import { resizeTaps } from '../delta/resize-taps.js';
import { encodedStep, type EncodeContext } from './encoded-step.js';
import type { EncodedStep } from './native-program-addon.js';
import { LINEAR_OP_CODE, STEP_KIND_CODE } from './program-codes.js';

/** A delta step with no native form (the per-node path would hand it to the fallback kernels). */
export class NoNativeForm extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** What the delta encoders read of the program beside shapes: which values are deltas. */
export interface DeltaEncodeContext extends EncodeContext {
  isDelta(id: ValueId): boolean;
}

type DeltaStep = Exclude<Step, { kind: 'dense' | 'copy' | 'tiles' }>;
/** A linear step's call, discriminated by op (LinearStep's Pick keeps op and attrs apart). */
type LinearCall = { [K in LinearDeltaOp]: { readonly op: K; readonly attrs: OpAttrs[K] } }[LinearDeltaOp];
type Nhwc = readonly [number, number, number, number];

const NO_STRIDES = new Int32Array(4);
const NO_MUL = new Float64Array(0);
const BINARY_CODE = { Add: 0, Sub: 1, Mul: 2, Div: 3 } as const;

function nhwc(shape: Shape, what: string): Nhwc {
  if (shape.length !== 4) throw new ShapeError(`${what} has shape ${formatShape(shape)}; deltas are NHWC.`);
  return shape as Nhwc;
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function expectShape(op: string, out: Shape, computed: Shape): void {
  if (!sameShape(out, computed)) {
    throw new ShapeError(
      `${op}: the output delta has shape ${formatShape(out)} but the inputs and attributes give ${formatShape(computed)}.`,
    );
  }
}

/**
 * Encodes a delta step (sparsify, accumulate, linear, activation, binary, maxpool) for the addon,
 * with the checks and attribute encodings of the per-node delta kernels (src/delta/*.ts).
 *
 * @throws NoNativeForm for a linear step the native delta kernels have no form for (what the
 *   per-node path hands to the fallback backend)
 */
export function encodeDeltaStep(step: DeltaStep, ctx: DeltaEncodeContext): EncodedStep {
  const { node } = step;
  switch (step.kind) {
    case 'sparsify':
      return encodedStep(STEP_KIND_CODE.sparsify, 0, node, [step.input, step.reference, step.output], { floats: [step.threshold] });
    case 'accumulate':
      return encodedStep(STEP_KIND_CODE.accumulate, 0, node, [step.input, step.target]);
    case 'activation':
      return encodeActivationStep(step, ctx);
    case 'maxpool':
      return encodeMaxPool(step, ctx);
    case 'binary':
      return encodeBinary(step, ctx);
    case 'linear':
      return encodeLinear(step, ctx);
  }
}

function encodeActivationStep(step: ActivationStep, ctx: DeltaEncodeContext): EncodedStep {
  const a = encodeActivation(step.activation);
  const channels = nhwc(ctx.shape(step.input), 'an activation input')[3];
  if (step.activation.kind === 'prelu' && a.slope.length !== 1 && a.slope.length !== channels) {
    throw new ShapeError(
      `prelu: slope has ${a.slope.length} values but the tensor has ${channels} channels; accepted: 1 value or one per channel.`,
    );
  }
  return encodedStep(STEP_KIND_CODE.activation, 0, step.node, [step.input, step.accumulated, step.emitted, step.output], {
    ints: [a.code],
    floats: [a.a, a.b, step.threshold],
    f32: [a.slope],
  });
}

function encodeMaxPool(step: MaxPoolStep, ctx: DeltaEncodeContext): EncodedStep {
  const [pt, pl, pb, pr] = pool2dGeometry('MaxPool2D', step.attrs, ctx.shape(step.input), ctx.shape(step.output)).pads;
  const { kernel, strides, countIncludePad } = step.attrs;
  return encodedStep(STEP_KIND_CODE.maxpool, 0, step.node, [step.input, step.accumulated, step.emitted, step.output], {
    ints: [kernel[0], kernel[1], strides[0], strides[1], pt, pl, pb, pr, countIncludePad ? 1 : 0],
    floats: [step.threshold],
  });
}

function encodeBinary(step: BinaryStep, ctx: DeltaEncodeContext): EncodedStep {
  const { op } = step;
  const [a, b] = step.inputs.map((id) => ctx.shape(id));
  const shape = broadcastShape(a!, b!);
  if (shape === undefined) throw new ShapeError(`${op}: operands ${formatShape(a!)} and ${formatShape(b!)} do not broadcast.`);
  const out = nhwc(ctx.shape(step.output), `${op}'s output`);
  expectShape(op, out, shape);
  return encodedStep(
    STEP_KIND_CODE.binary,
    0,
    step.node,
    [step.inputs[0], step.inputs[1], step.accumulated[0], step.accumulated[1], step.emitted, step.output],
    { ints: [BINARY_CODE[op]], i32: [broadcastStrides(op, a!, out), broadcastStrides(op, b!, out)], floats: [step.threshold] },
  );
}

/** A constant that broadcasts to the output without enlarging it (as native-linear.ts requires). */
function fitsOutput(k: Shape, out: Nhwc): boolean {
  if (k.length > 4) return false;
  const b = broadcastShape(out, k);
  return b !== undefined && sameShape(b, out);
}

function encodeLinear(step: LinearStep, ctx: DeltaEncodeContext): EncodedStep {
  const { node } = step;
  const call = step.call as LinearCall;
  const op = call.op;
  const out = nhwc(ctx.shape(step.output), `${op}'s output delta`);
  const inputs = step.inputs;
  const delta = (i: number, role: string): ValueId => {
    const id = inputs[i];
    if (id === undefined || id === null || !ctx.isDelta(id)) throw new NoNativeForm(`node '${node}' (${op}): ${role} is not a delta`);
    return id;
  };
  const constant = (i: number, role: string): ValueId => {
    const id = inputs[i];
    if (id === undefined || id === null || ctx.isDelta(id)) throw new NoNativeForm(`node '${node}' (${op}): ${role} is not a constant`);
    return id;
  };
  const linear = (code: number, operands: readonly (ValueId | null)[], attrs: Parameters<typeof encodedStep>[4] = {}): EncodedStep =>
    encodedStep(STEP_KIND_CODE.linear, code, node, [...operands, step.output], attrs);
  const scale = (
    x: ValueId,
    k: ValueId | null,
    mode: number,
    sign: number,
    strides: Int32Array = NO_STRIDES,
    mul: Float64Array = NO_MUL,
  ): EncodedStep => linear(LINEAR_OP_CODE.Scale, [x, k], { ints: [mode], floats: [sign], i32: [strides], f64: [mul] });

  switch (call.op) {
    case 'Conv2D':
    case 'ConvTranspose2D': {
      const x = delta(0, 'x');
      const w = constant(1, 'the weight');
      const xs = ctx.shape(x);
      const g =
        call.op === 'Conv2D' ? conv2dGeometry(op, call.attrs, xs, ctx.shape(w)) : convTranspose2dGeometry(op, call.attrs, xs, ctx.shape(w));
      expectShape(op, out, [g.batch, g.outH, g.outW, g.outC]);
      const code = call.op === 'Conv2D' ? LINEAR_OP_CODE.Conv2D : LINEAR_OP_CODE.ConvTranspose2D;
      return linear(code, [x, w], { ints: [g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.padTop, g.padLeft, g.groups] });
    }
    case 'AvgPool2D': {
      const x = delta(0, 'x');
      const [pt, pl, pb, pr] = pool2dGeometry(op, call.attrs, ctx.shape(x), out).pads;
      const { kernel, strides, countIncludePad } = call.attrs;
      return linear(LINEAR_OP_CODE.AvgPool2D, [x], {
        ints: [kernel[0], kernel[1], strides[0], strides[1], pt, pl, pb, pr, countIncludePad ? 1 : 0],
      });
    }
    case 'GlobalAvgPool': {
      const x = delta(0, 'x');
      const xs = nhwc(ctx.shape(x), 'x');
      expectShape(op, out, [xs[0], 1, 1, xs[3]]);
      return linear(LINEAR_OP_CODE.GlobalAvgPool, [x]);
    }
    case 'Identity': {
      const x = delta(0, 'x');
      expectShape(op, out, ctx.shape(x));
      return scale(x, null, 0, 1);
    }
    case 'BatchNorm': {
      const x = delta(0, 'x');
      const c = out[3];
      const data = (i: number, role: string): Float32Array => {
        const d = ctx.constant(constant(i, role));
        if (d === undefined || d.length !== c)
          throw new ShapeError(`BatchNorm: ${role} must be a constant of ${c} values, one per channel.`);
        return d;
      };
      const scaleData = data(1, 'scale');
      const variance = data(4, 'variance');
      expectShape(op, out, ctx.shape(x));
      // Folded in float64 like the dense kernel, so each element costs one multiply.
      const mul = new Float64Array(c);
      for (let ch = 0; ch < c; ch++) mul[ch] = scaleData[ch]! / Math.sqrt(variance[ch]! + call.attrs.epsilon);
      return scale(x, null, 3, 1, NO_STRIDES, mul);
    }
    case 'Add':
    case 'Sub': {
      const sign = op === 'Sub' ? -1 : 1;
      const [a, b] = [inputs[0], inputs[1]];
      if (a === undefined || a === null || b === undefined || b === null)
        throw new NoNativeForm(`node '${node}' (${op}): an operand is missing`);
      const [da, db] = [ctx.isDelta(a), ctx.isDelta(b)];
      const [sa, sb] = [ctx.shape(a), ctx.shape(b)];
      if (da && db && sameShape(sa, out) && sameShape(sb, out)) return linear(LINEAR_OP_CODE.AddDeltas, [a, b], { floats: [sign] });
      // A constant cancels in the difference: the varying operand passes through (negated for k - x).
      if (da && !db && sameShape(sa, out) && fitsOutput(sb, out)) return scale(a, null, 0, 1);
      if (db && !da && sameShape(sb, out) && fitsOutput(sa, out)) return scale(b, null, 0, sign);
      throw new NoNativeForm(
        `node '${node}' (${op}) of ${formatShape(sa)} and ${formatShape(sb)} into ${formatShape(out)} has no native delta form`,
      );
    }
    case 'Mul':
    case 'Div': {
      const [a, b] = [inputs[0], inputs[1]];
      if (a === undefined || a === null || b === undefined || b === null)
        throw new NoNativeForm(`node '${node}' (${op}): an operand is missing`);
      let x: ValueId;
      let k: ValueId;
      if (ctx.isDelta(a) && !ctx.isDelta(b)) [x, k] = [a, b];
      else if (op === 'Mul' && ctx.isDelta(b) && !ctx.isDelta(a)) [x, k] = [b, a];
      else throw new NoNativeForm(`node '${node}' (${op}) needs one varying operand and a constant${op === 'Div' ? ' divisor' : ''}`);
      const ks = ctx.shape(k);
      if (!sameShape(ctx.shape(x), out) || !fitsOutput(ks, out)) {
        throw new NoNativeForm(`node '${node}' (${op}): the constant ${formatShape(ks)} does not broadcast to ${formatShape(out)}`);
      }
      return scale(x, k, op === 'Mul' ? 1 : 2, 1, broadcastStrides(op, ks, out));
    }
    case 'Concat': {
      if (call.attrs.axis !== 3 && call.attrs.axis !== -1)
        throw new NoNativeForm(`node '${node}' (Concat) joins axis ${call.attrs.axis}; only channels have a native delta form`);
      const parts: ValueId[] = [];
      const offsets: number[] = [];
      let channels = 0;
      for (const id of inputs) {
        if (id === null || id === undefined) throw new NoNativeForm(`node '${node}' (Concat): an input is missing`);
        const s = ctx.shape(id);
        if (s.length !== 4 || s[0] !== out[0] || s[1] !== out[1] || s[2] !== out[2]) {
          throw new NoNativeForm(`node '${node}' (Concat): input ${formatShape(s)} does not match ${formatShape(out)} but in channels`);
        }
        if (ctx.isDelta(id)) {
          parts.push(id);
          offsets.push(channels);
        }
        channels += s[3]!;
      }
      expectShape(op, out, [out[0], out[1], out[2], channels]);
      return linear(LINEAR_OP_CODE.Concat, parts, { ints: offsets });
    }
    case 'Resize': {
      const x = delta(0, 'x');
      const [batch, inH, inW, c] = nhwc(ctx.shape(x), 'x');
      if (inH === 0 || inW === 0) throw new NoNativeForm(`node '${node}' (Resize): the input has an empty spatial axis`);
      const [outH, outW] = resizeOutputSize(call.attrs, inH, inW);
      expectShape(op, out, [batch, outH, outW, c]);
      const { rows, cols } = resizeTaps(call.attrs, inH, inW, outH, outW);
      return linear(LINEAR_OP_CODE.Resize, [x], {
        i32: [rows.lo, rows.hi, rows.range, cols.lo, cols.hi, cols.range],
        f64: [rows.weight, cols.weight],
      });
    }
    case 'Pad': {
      const x = delta(0, 'x');
      const p = call.attrs.pads;
      // Only H and W pads have a delta form (as in native-linear.ts).
      if (p.length !== 8 || p.some((v) => !Number.isInteger(v)) || p[0] !== 0 || p[3] !== 0 || p[4] !== 0 || p[7] !== 0) {
        throw new NoNativeForm(`node '${node}' (Pad) pads [${p.join(',')}]; only height and width have a native delta form`);
      }
      const [batch, inH, inW, c] = nhwc(ctx.shape(x), 'x');
      const outH = inH + p[1]! + p[5]!;
      const outW = inW + p[2]! + p[6]!;
      if (outH < 0 || outW < 0) throw new NoNativeForm(`node '${node}' (Pad) crops more than its input holds`);
      expectShape(op, out, [batch, outH, outW, c]);
      const rows = padAxis(inH, p[1]!, p[5]!, call.attrs.mode);
      const cols = padAxis(inW, p[2]!, p[6]!, call.attrs.mode);
      return linear(LINEAR_OP_CODE.Pad, [x], { i32: [rows.map, rows.start, rows.outputs, cols.map, cols.start, cols.outputs] });
    }
    default: {
      const unknown: never = call;
      throw new NoNativeForm(`node '${node}' (${String((unknown as { op: unknown }).op)}) has no native delta form`);
    }
  }
}
