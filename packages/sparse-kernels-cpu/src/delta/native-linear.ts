import { DeltaBuffer, ShapeError, formatShape, sizeOf } from '@motiondelta/core';
import type { LinearDeltaCall, Tensor } from '@motiondelta/core';
import { broadcastShape, broadcastStrides } from './broadcast.js';
import { convTranspose2dGeometry } from './conv-transpose2d-geometry.js';
import { expectOutShape, expectTensorSize, requireConstant, requireDelta, sameShape } from './delta-checks.js';
import type { NativeDeltaAddon } from './native-delta-addon.js';
import { padAxis } from './pad-maps.js';
import type { PadAxis } from './pad-maps.js';
import { poolGeometry } from './pool-geometry.js';
import { resizeOutputSize, resizeTaps } from './resize-taps.js';
import type { AxisTaps } from './resize-taps.js';

/**
 * The linear delta ops other than Conv2D, validated and handed to the addon. Each returns the
 * started native call, or undefined when the call has no native form (Resize, Pad, an axis other
 * than channels, operand combinations that are not linear): the caller then delegates to the
 * fallback kernels, which compute it or reject it with the reference's own message.
 */
export type NativeStart = () => Promise<number>;

const NONE = new Float32Array(0);
const NO_STRIDES = new Int32Array(4);
const NO_MUL = new Float64Array(0);

export function nativeLinear(addon: NativeDeltaAddon, call: LinearDeltaCall, out: DeltaBuffer): NativeStart | undefined {
  const inputs = call.inputs;
  switch (call.op) {
    case 'ConvTranspose2D': {
      const x = requireDelta(call.op, inputs, 0, 'x');
      const w = requireConstant(call.op, inputs, 1, 'weight');
      const geom = convTranspose2dGeometry(call.attrs, x, w, out);
      return () => addon.deltaConvTranspose2d(x, w.data, geom, out);
    }
    case 'AvgPool2D': {
      const x = requireDelta(call.op, inputs, 0, 'x');
      const geom = poolGeometry(call.op, call.attrs, x, out);
      return () => addon.deltaAvgPool2d(x, geom, out);
    }
    case 'GlobalAvgPool': {
      const x = requireDelta(call.op, inputs, 0, 'x');
      expectOutShape(call.op, out, [x.shape[0], 1, 1, x.shape[3]]);
      return () => addon.deltaGlobalAvgPool(x, out);
    }
    case 'Identity': {
      const x = requireDelta(call.op, inputs, 0, 'x');
      expectOutShape(call.op, out, x.shape);
      return () => addon.deltaScale(x, out, 0, 1, NONE, NO_STRIDES, NO_MUL);
    }
    case 'BatchNorm': {
      const x = requireDelta(call.op, inputs, 0, 'x');
      const scale = requireConstant(call.op, inputs, 1, 'scale');
      const variance = requireConstant(call.op, inputs, 4, 'variance');
      const c = x.channels;
      for (const [role, t] of [
        ['scale', scale],
        ['variance', variance],
      ] as const) {
        if (t.data.length !== c)
          throw new ShapeError(`BatchNorm: ${role} has shape ${formatShape(t.shape)}; expected ${c} values, one per channel.`);
      }
      expectOutShape(call.op, out, x.shape);
      // Folded in float64 like the dense kernel, so each element costs one multiply.
      const mul = new Float64Array(c);
      for (let ch = 0; ch < c; ch++) mul[ch] = scale.data[ch]! / Math.sqrt(variance.data[ch]! + call.attrs.epsilon);
      return () => addon.deltaScale(x, out, 3, 1, NONE, NO_STRIDES, mul);
    }
    case 'Add':
    case 'Sub':
      return addSub(addon, call.op, inputs[0], inputs[1], out);
    case 'Mul':
    case 'Div':
      return mulDiv(addon, call.op, inputs[0], inputs[1], out);
    case 'Concat':
      return concat(addon, call.attrs.axis, inputs, out);
    case 'Resize': {
      const x = requireDelta(call.op, inputs, 0, 'x');
      const [batch, inH, inW, c] = x.shape;
      if (inH === 0 || inW === 0) return undefined;
      const [outH, outW] = resizeOutputSize(call.attrs, inH, inW);
      expectOutShape(call.op, out, [batch, outH, outW, c]);
      const { rows, cols } = cachedTaps(call.attrs, inH, inW, outH, outW);
      return () => addon.deltaResize(x, rows.lo, rows.hi, rows.weight, rows.range, cols.lo, cols.hi, cols.weight, cols.range, out);
    }
    case 'Pad': {
      const x = requireDelta(call.op, inputs, 0, 'x');
      const pads = call.attrs.pads;
      // Only H and W pads have a delta form; anything else goes to the fallback, which rejects it.
      if (pads.length !== 8 || pads.some((p) => !Number.isInteger(p)) || pads[0] !== 0 || pads[3] !== 0 || pads[4] !== 0 || pads[7] !== 0)
        return undefined;
      const [batch, inH, inW, c] = x.shape;
      const outH = inH + pads[1]! + pads[5]!;
      const outW = inW + pads[2]! + pads[6]!;
      if (outH < 0 || outW < 0) return undefined;
      expectOutShape(call.op, out, [batch, outH, outW, c]);
      const { rows, cols } = cachedPadAxes(call.attrs, inH, inW);
      return () => addon.deltaPad(x, rows.map, rows.start, rows.outputs, cols.map, cols.start, cols.outputs, out);
    }
    default:
      return undefined;
  }
}

/** Axis tables per Pad node (its attrs object) and input size: built once, reused every frame. */
const padCache = new WeakMap<object, Map<string, { rows: PadAxis; cols: PadAxis }>>();

function cachedPadAxes(
  attrs: { readonly pads: readonly number[]; readonly mode: 'constant' | 'reflect' | 'edge' },
  inH: number,
  inW: number,
): { rows: PadAxis; cols: PadAxis } {
  let byShape = padCache.get(attrs);
  if (!byShape) {
    byShape = new Map();
    padCache.set(attrs, byShape);
  }
  const key = `${inH}x${inW}`;
  let axes = byShape.get(key);
  if (!axes) {
    const p = attrs.pads;
    axes = { rows: padAxis(inH, p[1]!, p[5]!, attrs.mode), cols: padAxis(inW, p[2]!, p[6]!, attrs.mode) };
    byShape.set(key, axes);
  }
  return axes;
}

type Operand = DeltaBuffer | Tensor | undefined;

function isConstant(t: Operand): t is Tensor {
  return t !== undefined && !(t instanceof DeltaBuffer);
}

/** A constant that broadcasts to the output without enlarging it. */
function fitsOutput(k: Tensor, out: DeltaBuffer): boolean {
  if (k.shape.length > 4 || k.data.length !== sizeOf(k.shape)) return false;
  const b = broadcastShape(out.shape, k.shape);
  return b !== undefined && sameShape(b, out.shape);
}

function addSub(addon: NativeDeltaAddon, op: 'Add' | 'Sub', a: Operand, b: Operand, out: DeltaBuffer): NativeStart | undefined {
  const sign = op === 'Sub' ? -1 : 1;
  if (a instanceof DeltaBuffer && b instanceof DeltaBuffer) {
    if (!sameShape(a.shape, out.shape) || !sameShape(b.shape, out.shape)) return undefined;
    return () => addon.deltaAddDeltas(a, b, sign, out);
  }
  // A constant cancels in the difference: the varying operand passes through (negated for k - x).
  if (a instanceof DeltaBuffer && isConstant(b) && sameShape(a.shape, out.shape) && fitsOutput(b, out)) {
    return () => addon.deltaScale(a, out, 0, 1, NONE, NO_STRIDES, NO_MUL);
  }
  if (b instanceof DeltaBuffer && isConstant(a) && sameShape(b.shape, out.shape) && fitsOutput(a, out)) {
    return () => addon.deltaScale(b, out, 0, sign, NONE, NO_STRIDES, NO_MUL);
  }
  return undefined;
}

function mulDiv(addon: NativeDeltaAddon, op: 'Mul' | 'Div', a: Operand, b: Operand, out: DeltaBuffer): NativeStart | undefined {
  let x: DeltaBuffer;
  let k: Tensor;
  if (a instanceof DeltaBuffer && isConstant(b)) {
    x = a;
    k = b;
  } else if (op === 'Mul' && b instanceof DeltaBuffer && isConstant(a)) {
    x = b;
    k = a;
  } else {
    return undefined;
  }
  if (!sameShape(x.shape, out.shape) || !fitsOutput(k, out)) return undefined;
  expectTensorSize(op, 'constant', k);
  const strides = broadcastStrides(op, k.shape, out.shape);
  return () => addon.deltaScale(x, out, op === 'Mul' ? 1 : 2, 1, k.data, strides, NO_MUL);
}

function concat(addon: NativeDeltaAddon, axis: number, inputs: readonly Operand[], out: DeltaBuffer): NativeStart | undefined {
  if ((axis !== 3 && axis !== -1) || inputs.length === 0) return undefined;
  const [batch, h, w] = out.shape;
  const parts: DeltaBuffer[] = [];
  const offsets: number[] = [];
  let channels = 0;
  for (const t of inputs) {
    if (t === undefined) return undefined;
    const s = t.shape;
    if (s.length !== 4 || s[0] !== batch || s[1] !== h || s[2] !== w) return undefined;
    if (t instanceof DeltaBuffer) {
      parts.push(t);
      offsets.push(channels);
    }
    channels += s[3]!;
  }
  expectOutShape('Concat', out, [batch, h, w, channels]);
  const offsetArray = Int32Array.from(offsets);
  return () => addon.deltaConcat(parts, offsetArray, out);
}

/** Tap tables per Resize node (its attrs object) and shape: built once, reused every frame. */
const tapCache = new WeakMap<object, Map<string, { rows: AxisTaps; cols: AxisTaps }>>();

function cachedTaps(
  attrs: Parameters<typeof resizeTaps>[0],
  inH: number,
  inW: number,
  outH: number,
  outW: number,
): { rows: AxisTaps; cols: AxisTaps } {
  let byShape = tapCache.get(attrs);
  if (!byShape) {
    byShape = new Map();
    tapCache.set(attrs, byShape);
  }
  const key = `${inH}x${inW}>${outH}x${outW}`;
  let taps = byShape.get(key);
  if (!taps) {
    taps = resizeTaps(attrs, inH, inW, outH, outW);
    byShape.set(key, taps);
  }
  return taps;
}
