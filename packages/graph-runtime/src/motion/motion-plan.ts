import { UnsupportedOpError, resizeTaps, type Conv2DAttrs, type Pool2DAttrs, type ResizeAttrs, type Tensor } from '@motiondelta/core';
import type { Graph } from '../ir/graph.js';
import type { ActivationStep, DeltaPlan, LinearStep, StepInput } from '../delta/delta-plan.js';

/** A positive rational number, reduced. */
export interface Fraction {
  readonly num: number;
  readonly den: number;
}

/** How far a value's producer writes outside its viewport, in the value's pixels. */
export interface Ring {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

/**
 * How a value keeps what motion mode needs between frames (docs/architecture/motion.md):
 * - `input`: the graph input; its sparsify reference, over the viewport.
 * - `store`: a linear value with its own accumulator over the viewport plus ring (partial sums in
 *   the ring, full values with bias in the viewport), because it has a ring, is not pointwise, or
 *   is a graph output.
 * - `fused`: like `store`, but the accumulator is the consuming activation's accumulated input
 *   (the value's only consumer), so it costs nothing beyond delta mode's state except the ring.
 * - `pointwise`: a linear value computed pixel by pixel from aligned inputs; it needs no memory:
 *   entering and leaving pixels are fixed up with the op's constant offset.
 * - `activation`: the output of a non-linear elementwise node; its last emitted values.
 */
export type ValueRole = 'input' | 'store' | 'fused' | 'pointwise' | 'activation';

/** Geometry and role of one delta value of the plan. */
export interface MotionValue {
  readonly name: string;
  /** Viewport shape `[1, H, W, C]`. */
  readonly shape: readonly [number, number, number, number];
  /** Input pixels per pixel of this value, per axis. */
  readonly scaleY: Fraction;
  readonly scaleX: Fraction;
  readonly ring: Ring;
  /** Per-channel constant the producer adds (conv bias, BatchNorm shift, added constant), if any. */
  readonly bias: Float32Array | undefined;
  readonly role: ValueRole;
  readonly isOutput: boolean;
}

export type MotionStep =
  | { readonly kind: 'input'; readonly value: string; readonly threshold: number }
  | {
      readonly kind: 'linear';
      readonly step: LinearStep;
      /** Attributes for the kernel: pads grown by the ring, so the output covers viewport + ring. */
      readonly attrs: LinearStep['attrs'];
      /** Output shape of the kernel (viewport + ring). */
      readonly extShape: readonly [number, number, number, number];
      /** Whether the kernel writes viewport + ring (or fused: into the activation's own buffer). */
      readonly ext: boolean;
    }
  | { readonly kind: 'activation'; readonly step: ActivationStep; readonly fused: boolean };

/** The delta plan specialised for motion mode on one viewport size. */
export interface MotionPlan {
  readonly delta: DeltaPlan;
  readonly values: ReadonlyMap<string, MotionValue>;
  readonly steps: readonly MotionStep[];
  /** Viewport offsets are multiples of this (input pixels) so every value moves by whole pixels. */
  readonly totalStride: number;
  readonly input: string;
  readonly outputs: readonly string[];
}

const ONE: Fraction = { num: 1, den: 1 };
const NO_RING: Ring = { top: 0, left: 0, bottom: 0, right: 0 };

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return Math.abs(a);
}
function fraction(num: number, den: number): Fraction {
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}
const times = (f: Fraction, k: number): Fraction => fraction(f.num * k, f.den);
const over = (f: Fraction, k: number): Fraction => fraction(f.num, f.den * k);
const sameFraction = (a: Fraction, b: Fraction): boolean => a.num === b.num && a.den === b.den;

/** Ring of a window op along one axis: outputs outside the viewport that viewport inputs reach. */
function axisRing(inSize: number, outSize: number, padBegin: number, kernel: number, stride: number, dilation: number): [number, number] {
  const extent = (kernel - 1) * dilation;
  const begin = Math.max(0, Math.ceil((extent - padBegin) / stride));
  const end = Math.max(0, Math.floor((inSize - 1 + padBegin) / stride) - outSize + 1);
  return [begin, end];
}

/**
 * Specialises a delta plan for motion mode: per value, its scale relative to the input, its ring
 * (how far a padded window op writes outside the viewport), its constant offset and how it keeps
 * state; per linear window op, the grown pads that make its kernel write the ring too.
 *
 * @throws UnsupportedOpError for nodes motion mode cannot run (the message says why).
 */
export function planMotion(graph: Graph, delta: DeltaPlan): MotionPlan {
  const values = new Map<string, MotionValue>();
  const steps: MotionStep[] = [];
  const constants = graph.constants;
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const consumers = new Map<string, string[]>();
  const use = (value: string, step: string): void => {
    consumers.set(value, [...(consumers.get(value) ?? []), step]);
  };
  for (const step of delta.steps) {
    if (step.kind === 'linear') for (const i of step.inputs) if (i.kind === 'delta') use(i.value, 'linear');
    if (step.kind === 'activation') use(step.input, 'activation');
  }
  const imageInputs = graph.inputs.filter((i) => delta.steps.some((s) => s.kind === 'sparsify' && s.source === i.name));
  if (graph.inputs.length !== 1 || imageInputs.length !== 1) {
    throw new UnsupportedOpError(
      '(graph inputs)',
      graph.inputs.map((i) => i.name).join(', '),
      'motion mode needs exactly one NHWC image input',
    );
  }
  const input = imageInputs[0]!.name;
  const layouts = new Map<string, { scaleY: Fraction; scaleX: Fraction }>();
  const shapeOf = (name: string, shape: readonly number[]): [number, number, number, number] => {
    if (shape.length !== 4 || shape[0] !== 1) {
      throw new UnsupportedOpError('(shape)', name, `motion mode needs batch-1 NHWC values, '${name}' is [${shape.join(',')}]`);
    }
    return [1, shape[1]!, shape[2]!, shape[3]!];
  };
  const put = (v: Omit<MotionValue, 'isOutput'>): void => {
    values.set(v.name, { ...v, isOutput: outputs.has(v.name) });
    layouts.set(v.name, { scaleY: v.scaleY, scaleX: v.scaleX });
  };

  for (const step of delta.steps) {
    switch (step.kind) {
      case 'sparsify': {
        if (step.source !== input) throw new UnsupportedOpError('(island)', step.node, 'motion mode runs no dense islands');
        put({
          name: input,
          shape: shapeOf(input, step.outputShape),
          scaleY: ONE,
          scaleX: ONE,
          ring: NO_RING,
          bias: undefined,
          role: 'input',
        });
        steps.push({ kind: 'input', value: input, threshold: step.threshold });
        break;
      }
      case 'densify':
        if (!values.has(step.source) || step.source === input) {
          throw new UnsupportedOpError('(output)', step.node, `motion mode cannot output '${step.source}'`);
        }
        break;
      case 'linear': {
        const varying = step.inputs.filter((i): i is Extract<StepInput, { kind: 'delta' }> => i.kind === 'delta');
        const first = layouts.get(varying[0]?.value ?? '');
        if (!first) throw new UnsupportedOpError(step.op, step.node, 'motion mode needs a varying first input');
        for (const v of varying) {
          const l = layouts.get(v.value)!;
          if (!sameFraction(l.scaleY, first.scaleY) || !sameFraction(l.scaleX, first.scaleX)) {
            throw new UnsupportedOpError(step.op, step.node, 'inputs on different pixel grids');
          }
        }
        const inShape = values.get(varying[0]!.value)!.shape;
        const shape = shapeOf(step.output, step.outputShape);
        const geo = linearGeometry(step, inShape, shape, constants, first);
        const single = consumers.get(step.output);
        const needsStore = !geo.pointwise || ringArea(geo.ring) > 0 || outputs.has(step.output);
        const role: ValueRole = !needsStore
          ? 'pointwise'
          : single?.length === 1 && single[0] === 'activation' && !outputs.has(step.output)
            ? 'fused'
            : 'store';
        put({ name: step.output, shape, scaleY: geo.scaleY, scaleX: geo.scaleX, ring: geo.ring, bias: geo.bias, role });
        const extShape: [number, number, number, number] = [
          1,
          shape[1] + geo.ring.top + geo.ring.bottom,
          shape[2] + geo.ring.left + geo.ring.right,
          shape[3],
        ];
        steps.push({ kind: 'linear', step, attrs: geo.attrs, extShape, ext: ringArea(geo.ring) > 0 || role === 'fused' });
        break;
      }
      case 'activation': {
        const source = values.get(step.input)!;
        put({
          name: step.output,
          shape: shapeOf(step.output, step.outputShape),
          scaleY: source.scaleY,
          scaleX: source.scaleX,
          ring: NO_RING,
          bias: undefined,
          role: 'activation',
        });
        steps.push({ kind: 'activation', step, fused: source.role === 'fused' });
        break;
      }
      case 'maxpool':
        throw new UnsupportedOpError(
          'MaxPool2D',
          step.node,
          'motion mode does not run max pooling yet (its padding is -inf, not a partial sum)',
        );
      case 'binary':
        throw new UnsupportedOpError(step.op, step.node, 'motion mode does not run products of two varying tensors yet');
      case 'island':
        throw new UnsupportedOpError(
          step.resolved.node.op,
          step.node,
          'motion mode runs no dense islands (the node has no per-pixel delta form)',
        );
    }
  }
  let totalStride = 1;
  for (const v of values.values()) {
    for (const f of [v.scaleY, v.scaleX]) totalStride = (totalStride * f.num) / gcd(totalStride, f.num);
  }
  return { delta, values, steps, totalStride, input, outputs: graph.outputs.map((o) => o.name) };
}

function ringArea(r: Ring): number {
  return r.top + r.left + r.bottom + r.right;
}

interface LinearGeometry {
  readonly scaleY: Fraction;
  readonly scaleX: Fraction;
  readonly ring: Ring;
  readonly pointwise: boolean;
  readonly bias: Float32Array | undefined;
  readonly attrs: LinearStep['attrs'];
}

function linearGeometry(
  step: LinearStep,
  inShape: readonly number[],
  outShape: readonly number[],
  constants: ReadonlyMap<string, Tensor>,
  scale: { scaleY: Fraction; scaleX: Fraction },
): LinearGeometry {
  const unsupported = (why: string): never => {
    throw new UnsupportedOpError(step.op, step.node, `motion mode: ${why}`);
  };
  const channels = outShape[3]!;
  const constant = (i: number): Tensor | undefined => {
    const input = step.inputs[i];
    return input?.kind === 'constant' ? constants.get(input.value) : undefined;
  };
  // A constant operand must be the same at every pixel (a per-channel vector), or the network
  // would not commute with moving the viewport.
  const perChannel = (t: Tensor): Float32Array => {
    const spatial = t.shape.slice(0, -1).every((d) => d === 1);
    if (!spatial || (t.data.length !== 1 && t.data.length !== channels)) unsupported('a constant operand that varies across pixels');
    return t.data.length === channels ? new Float32Array(t.data) : new Float32Array(channels).fill(t.data[0]!);
  };
  const same = {
    scaleY: scale.scaleY,
    scaleX: scale.scaleX,
    ring: NO_RING,
    pointwise: true,
    attrs: step.attrs,
    bias: undefined as Float32Array | undefined,
  };

  switch (step.op) {
    case 'Conv2D':
    case 'AvgPool2D': {
      const a = step.attrs as Conv2DAttrs | Pool2DAttrs;
      const dil = 'dilations' in a ? a.dilations : ([1, 1] as const);
      if (step.op === 'AvgPool2D') {
        const p = a as Pool2DAttrs;
        if (p.ceilMode) unsupported('average pooling in ceil mode');
        if (!p.countIncludePad && p.pads.some((v) => v > 0))
          unsupported('padded average pooling that excludes the padding from its divisor');
      }
      const [pt, pl] = a.pads;
      const [rt, rb] = axisRing(inShape[1]!, outShape[1]!, pt, a.kernel[0], a.strides[0], dil[0]);
      const [rl, rr] = axisRing(inShape[2]!, outShape[2]!, pl, a.kernel[1], a.strides[1], dil[1]);
      const ring = { top: rt, left: rl, bottom: rb, right: rr };
      const extH = outShape[1]! + rt + rb;
      const extW = outShape[2]! + rl + rr;
      const grow = (inSize: number, begin: number, extOut: number, k: number, s: number, d: number): [number, number] => {
        const b = begin;
        const e = Math.max(0, (extOut - 1) * s + (k - 1) * d + 1 - inSize - b);
        return [b, e];
      };
      const [gt, gb] = grow(inShape[1]!, pt + rt * a.strides[0], extH, a.kernel[0], a.strides[0], dil[0]);
      const [gl, gr] = grow(inShape[2]!, pl + rl * a.strides[1], extW, a.kernel[1], a.strides[1], dil[1]);
      const attrs = { ...a, autoPad: 'explicit', pads: [gt, gl, gb, gr] } as LinearStep['attrs'];
      const size = (inSize: number, b: number, e: number, k: number, s: number, d: number): number =>
        Math.floor((inSize + b + e - (k - 1) * d - 1) / s) + 1;
      if (
        size(inShape[1]!, gt, gb, a.kernel[0], a.strides[0], dil[0]) !== extH ||
        size(inShape[2]!, gl, gr, a.kernel[1], a.strides[1], dil[1]) !== extW
      ) {
        unsupported(`window geometry of ${inShape[1]}x${inShape[2]} -> ${outShape[1]}x${outShape[2]} has no exact ring`);
      }
      const pointwise = a.kernel[0] === 1 && a.kernel[1] === 1 && a.pads.every((v) => v === 0);
      const biasTensor = step.op === 'Conv2D' ? constant(2) : undefined;
      return {
        scaleY: times(scale.scaleY, a.strides[0]),
        scaleX: times(scale.scaleX, a.strides[1]),
        ring,
        pointwise,
        bias: biasTensor ? new Float32Array(biasTensor.data) : undefined,
        attrs,
      };
    }
    case 'Resize': {
      const r = step.attrs as ResizeAttrs;
      const [inH, inW] = [inShape[1]!, inShape[2]!];
      const [outH, outW] = [outShape[1]!, outShape[2]!];
      const ky = outH / inH;
      const kx = outW / inW;
      if (r.mode !== 'nearest' || !Number.isInteger(ky) || !Number.isInteger(kx)) unsupported('only nearest upsampling by integer factors');
      const { rows, cols } = resizeTaps(r, inH, inW, outH, outW);
      const aligned = (taps: { lo: Int32Array; hi: Int32Array }, k: number): boolean =>
        taps.lo.every((v, o) => v === Math.floor(o / k) && taps.hi[o] === v);
      if (!aligned(rows, ky) || !aligned(cols, kx)) unsupported('nearest upsampling whose taps are not floor(output / factor)');
      return { ...same, scaleY: over(scale.scaleY, ky), scaleX: over(scale.scaleX, kx) };
    }
    case 'BatchNorm': {
      const [s, b, m, v] = [constant(1), constant(2), constant(3), constant(4)];
      if (!s || !b || !m || !v) return unsupported('BatchNorm parameters must be constants');
      const eps = (step.attrs as { epsilon: number }).epsilon;
      const scaleV = perChannel(s);
      const [shift, mean, variance] = [perChannel(b), perChannel(m), perChannel(v)];
      const bias = new Float32Array(channels);
      for (let c = 0; c < channels; c++) bias[c] = shift[c]! - (scaleV[c]! * mean[c]!) / Math.sqrt(variance[c]! + eps);
      return { ...same, bias };
    }
    case 'Add':
    case 'Sub': {
      const c0 = constant(0);
      const c1 = constant(1);
      if (c0 && c1) return unsupported('two constant operands');
      if (!c0 && !c1) return { ...same, bias: undefined };
      const c = perChannel((c0 ?? c1)!);
      // x - c offsets by -c; c - x (and c + x, x + c) by +c.
      if (step.op === 'Sub' && c1) for (let i = 0; i < c.length; i++) c[i] = -c[i]!;
      return { ...same, bias: c };
    }
    case 'Mul':
    case 'Div': {
      const c = constant(1) ?? constant(0);
      if (c) perChannel(c);
      return { ...same, bias: undefined };
    }
    case 'Concat':
    case 'Identity':
      return { ...same, bias: undefined };
    default:
      return unsupported(`${step.op} has no motion form yet`);
  }
}

/** A value's window (viewport plus ring) shape, `[1, H, W, C]`. */
export function windowShape(v: MotionValue): [number, number, number, number] {
  return [1, v.shape[1] + v.ring.top + v.ring.bottom, v.shape[2] + v.ring.left + v.ring.right, v.shape[3]];
}
