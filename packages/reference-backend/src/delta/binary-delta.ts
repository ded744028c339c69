import { DeltaBuffer, ShapeError, UnsupportedOpError, formatShape } from '@motiondelta/core';
import type { BinaryState, Tensor } from '@motiondelta/core';
import { broadcastShapes, broadcastStrides } from '@motiondelta/core';
import { DELTA_NODE, expectOutShape, expectStateSize, expectTensorSize } from './delta-inputs.js';
import { emitWithTruncation } from './truncate.js';

type BinaryOp = 'Add' | 'Sub' | 'Mul' | 'Div';

/** One operand as the kernel reads it: its current values and NHWC strides in the output's frame. */
interface Operand {
  readonly data: Float32Array;
  readonly s0: number;
  readonly s1: number;
  readonly s2: number;
  readonly s3: number;
}

/**
 * Elementwise Add/Sub/Mul/Div whose result is not a linear function of one delta (a product of
 * two varying tensors, or operands of different broadcast shapes). Varying operands accumulate
 * their deltas; every output pixel an active operand pixel maps to through broadcasting is a
 * candidate (all of them when a single-pixel operand such as a squeeze-excite gate changed), and
 * candidates are recomputed from the accumulated operands and emitted with truncation.
 */
export function binaryDelta(
  op: BinaryOp,
  a: DeltaBuffer | Tensor,
  b: DeltaBuffer | Tensor,
  state: BinaryState,
  threshold: number,
  out: DeltaBuffer,
): void {
  if (!(a instanceof DeltaBuffer) && !(b instanceof DeltaBuffer)) {
    throw new UnsupportedOpError(op, DELTA_NODE, 'a binary delta op needs at least one varying (DeltaBuffer) operand; both are constant');
  }
  for (const [role, t] of [
    ['A', a],
    ['B', b],
  ] as const) {
    if (t.shape.length > 4) throw new ShapeError(`${op}: operand ${role} ${formatShape(t.shape)} has rank above 4; the output is NHWC.`);
    if (!(t instanceof DeltaBuffer)) expectTensorSize(op, `constant ${role}`, t);
  }
  expectOutShape(op, out, broadcastShapes(op, a.shape, b.shape));
  expectStateSize(op, 'emitted', state.emitted, out.shape);
  const opA = prepare(op, 'A', a, state.accumulated[0], out);
  const opB = prepare(op, 'B', b, state.accumulated[1], out);

  out.clear();
  if (a instanceof DeltaBuffer) markCandidates(a, state.accumulated[0], out);
  if (b instanceof DeltaBuffer) markCandidates(b, state.accumulated[1], out);

  const [, h, w, c] = out.shape;
  const plane = h * w;
  const ov = out.values;
  for (let i = 0; i < out.count; i++) {
    const q = out.active[i]!;
    const n = Math.floor(q / plane);
    const rest = q - n * plane;
    const y = Math.floor(rest / w);
    const x = rest - y * w;
    const aBase = n * opA.s0 + y * opA.s1 + x * opA.s2;
    const bBase = n * opB.s0 + y * opB.s1 + x * opB.s2;
    const oBase = q * c;
    const ad = opA.data;
    const bd = opB.data;
    const sa = opA.s3;
    const sb = opB.s3;
    // One loop per op keeps the switch out of the per-element path, as in the dense kernel.
    switch (op) {
      case 'Add':
        for (let ch = 0; ch < c; ch++) ov[oBase + ch] = ad[aBase + ch * sa]! + bd[bBase + ch * sb]!;
        break;
      case 'Sub':
        for (let ch = 0; ch < c; ch++) ov[oBase + ch] = ad[aBase + ch * sa]! - bd[bBase + ch * sb]!;
        break;
      case 'Mul':
        for (let ch = 0; ch < c; ch++) ov[oBase + ch] = ad[aBase + ch * sa]! * bd[bBase + ch * sb]!;
        break;
      case 'Div':
        for (let ch = 0; ch < c; ch++) ov[oBase + ch] = ad[aBase + ch * sa]! / bd[bBase + ch * sb]!;
        break;
    }
  }
  emitWithTruncation(out, state.emitted, threshold);
}

/** A varying operand reads its accumulated values, a constant its own data. */
function prepare(op: string, role: string, t: DeltaBuffer | Tensor, accumulated: Float32Array, out: DeltaBuffer): Operand {
  let data: Float32Array;
  if (t instanceof DeltaBuffer) {
    expectStateSize(op, `accumulated ${role}`, accumulated, t.shape);
    data = accumulated;
  } else {
    data = t.data;
  }
  const [s0, s1, s2, s3] = broadcastStrides(t.shape, out.shape) as [number, number, number, number];
  return { data, s0, s1, s2, s3 };
}

/**
 * Adds a varying operand's deltas to its accumulated values and marks the output pixels each
 * active pixel reaches: along N, H and W, an operand axis of size 1 under a larger output axis
 * reaches every index of it, otherwise only its own index. Channels never matter for the mask.
 */
function markCandidates(d: DeltaBuffer, accumulated: Float32Array, out: DeltaBuffer): void {
  const [dn, dh, dw, c] = d.shape;
  const [on, oh, ow] = out.shape;
  const plane = dh * dw;
  const dv = d.values;
  for (let i = 0; i < d.count; i++) {
    const p = d.active[i]!;
    const base = p * c;
    for (let ch = 0; ch < c; ch++) accumulated[base + ch]! += dv[base + ch]!;
    const n = Math.floor(p / plane);
    const rest = p - n * plane;
    const y = Math.floor(rest / dw);
    const x = rest - y * dw;
    const nAll = dn !== on;
    const yAll = dh !== oh;
    const xAll = dw !== ow;
    for (let nn = nAll ? 0 : n, n1 = nAll ? on : n + 1; nn < n1; nn++) {
      for (let yy = yAll ? 0 : y, y1 = yAll ? oh : y + 1; yy < y1; yy++) {
        const row = (nn * oh + yy) * ow;
        for (let xx = xAll ? 0 : x, x1 = xAll ? ow : x + 1; xx < x1; xx++) out.activate(row + xx);
      }
    }
  }
}
