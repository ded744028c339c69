import { DeltaBuffer, ShapeError, UnsupportedOpError, formatShape } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { broadcastShapes } from '@motiondelta/core';
import { DELTA_NODE, describe, expectOutShape, expectTensorSize, sameShape } from './delta-inputs.js';
import { copyDelta } from './copy-delta.js';

/**
 * Add/Sub of deltas. Two varying operands of the output's shape: the output mask is the union,
 * with 0 standing for an inactive operand. One varying operand and a constant: the constant
 * cancels in the difference, so the delta passes through (negated for `constant - x`).
 * A varying operand that broadcasts to a larger output is not linear-delta material in this
 * form (one input pixel would fan out over many output pixels): the planner routes such sums to
 * the `binary` kernel, and this kernel rejects them with a ShapeError.
 */
export function addSubDelta(op: 'Add' | 'Sub', inputs: readonly (DeltaBuffer | Tensor | undefined)[], out: DeltaBuffer): void {
  const a = inputs[0];
  const b = inputs[1];
  if (a instanceof DeltaBuffer && b instanceof DeltaBuffer) {
    expectOperandShape(op, 'A', a, out);
    expectOperandShape(op, 'B', b, out);
    sumOfDeltas(a, b, op === 'Sub' ? -1 : 1, out);
    return;
  }
  if (a instanceof DeltaBuffer && b !== undefined && !(b instanceof DeltaBuffer)) {
    expectOperandShape(op, 'A', a, out);
    expectConstantBroadcast(op, 'B', b, out);
    copyDelta(a, 1, out);
    return;
  }
  if (b instanceof DeltaBuffer && a !== undefined && !(a instanceof DeltaBuffer)) {
    expectOperandShape(op, 'B', b, out);
    expectConstantBroadcast(op, 'A', a, out);
    copyDelta(b, op === 'Sub' ? -1 : 1, out);
    return;
  }
  throw new UnsupportedOpError(
    op,
    DELTA_NODE,
    `a linear ${op} needs two varying operands or one varying and one constant, got A = ${describe(a)} and B = ${describe(b)}`,
  );
}

function sumOfDeltas(a: DeltaBuffer, b: DeltaBuffer, signB: 1 | -1, out: DeltaBuffer): void {
  out.clear();
  const c = out.channels;
  const ov = out.values;
  const av = a.values;
  const bv = b.values;
  for (let i = 0; i < a.count; i++) {
    const p = a.active[i]!;
    out.activate(p);
    const base = p * c;
    for (let ch = 0; ch < c; ch++) ov[base + ch] = av[base + ch]!;
  }
  // `activate` zeroed pixels only b touches, so adding b completes the union in one pass.
  for (let i = 0; i < b.count; i++) {
    const p = b.active[i]!;
    out.activate(p);
    const base = p * c;
    for (let ch = 0; ch < c; ch++) ov[base + ch]! += signB * bv[base + ch]!;
  }
}

/** A varying operand of a linear elementwise op must have the output's shape exactly. */
export function expectOperandShape(op: string, role: string, x: DeltaBuffer, out: DeltaBuffer): void {
  if (!sameShape(x.shape, out.shape)) {
    throw new ShapeError(
      `${op}: varying operand ${role} ${formatShape(x.shape)} differs from the output ${formatShape(out.shape)}; a broadcast varying operand goes through the binary delta kernel.`,
    );
  }
}

/** A constant operand must broadcast to the output without enlarging it. */
export function expectConstantBroadcast(op: string, role: string, t: Tensor, out: DeltaBuffer): void {
  expectTensorSize(op, `constant ${role}`, t);
  if (t.shape.length > 4) throw new ShapeError(`${op}: constant ${role} ${formatShape(t.shape)} has rank above 4; the output is NHWC.`);
  expectOutShape(op, out, broadcastShapes(op, out.shape, t.shape));
}
