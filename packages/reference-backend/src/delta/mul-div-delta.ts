import { DeltaBuffer, UnsupportedOpError } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { broadcastStrides } from '@motiondelta/core';
import { expectConstantBroadcast, expectOperandShape } from './add-sub-delta.js';
import { DELTA_NODE, describe } from './delta-inputs.js';

/**
 * Mul/Div of a delta by a constant broadcast to the output (scalar, per channel, per pixel, or any
 * numpy-compatible shape): d(x * c) = dx * c and d(x / c) = dx / c. `c / x` and a product of two
 * varying tensors are not linear; they belong to the `binary` kernel and are rejected here.
 */
export function mulDivDelta(op: 'Mul' | 'Div', inputs: readonly (DeltaBuffer | Tensor | undefined)[], out: DeltaBuffer): void {
  const a = inputs[0];
  const b = inputs[1];
  let x: DeltaBuffer;
  let k: Tensor;
  if (a instanceof DeltaBuffer && b !== undefined && !(b instanceof DeltaBuffer)) {
    x = a;
    k = b;
  } else if (op === 'Mul' && b instanceof DeltaBuffer && a !== undefined && !(a instanceof DeltaBuffer)) {
    x = b;
    k = a;
  } else {
    throw new UnsupportedOpError(
      op,
      DELTA_NODE,
      `a linear ${op} needs ${op === 'Div' ? 'a varying dividend and a constant divisor' : 'one varying and one constant operand'}, got A = ${describe(a)} and B = ${describe(b)}; use the binary delta kernel otherwise`,
    );
  }
  expectOperandShape(op, x === a ? 'A' : 'B', x, out);
  expectConstantBroadcast(op, k === a ? 'A' : 'B', k, out);
  const [s0, s1, s2, s3] = broadcastStrides(k.shape, out.shape) as [number, number, number, number];
  const [, h, w, c] = out.shape;
  out.clear();
  const kd = k.data;
  const xv = x.values;
  const ov = out.values;
  const plane = h * w;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i]!;
    out.activate(p);
    const n = Math.floor(p / plane);
    const rest = p - n * plane;
    const y = Math.floor(rest / w);
    const kBase = n * s0 + y * s1 + (rest - y * w) * s2;
    const base = p * c;
    if (op === 'Mul') for (let ch = 0; ch < c; ch++) ov[base + ch] = xv[base + ch]! * kd[kBase + ch * s3]!;
    else for (let ch = 0; ch < c; ch++) ov[base + ch] = xv[base + ch]! / kd[kBase + ch * s3]!;
  }
}
