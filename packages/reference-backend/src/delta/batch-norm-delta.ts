import type { DeltaBuffer, Tensor } from '@motiondelta/core';
import { ShapeError, formatShape } from '@motiondelta/core';
import { expectOperandShape } from './add-sub-delta.js';
import { requireConstant, requireDelta } from './delta-inputs.js';

const OP = 'BatchNorm';

/**
 * Inference batch normalization of a delta: only the per-channel scale
 * `scale / sqrt(variance + epsilon)` survives the difference; bias and mean cancel.
 */
export function batchNormDelta(
  attrs: { readonly epsilon: number },
  inputs: readonly (DeltaBuffer | Tensor | undefined)[],
  out: DeltaBuffer,
): void {
  const x = requireDelta(OP, inputs, 0, 'x');
  const scale = requireConstant(OP, inputs, 1, 'scale');
  const variance = requireConstant(OP, inputs, 4, 'variance');
  const c = x.channels;
  for (const [role, t] of [
    ['scale', scale],
    ['variance', variance],
  ] as const) {
    if (t.data.length !== c) {
      throw new ShapeError(`${OP}: ${role} has shape ${formatShape(t.shape)}; expected ${c} values, one per channel.`);
    }
  }
  expectOperandShape(OP, 'x', x, out);
  // Folded once per call in float64, like the dense kernel, so each element costs one multiply.
  const mul = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) mul[ch] = scale.data[ch]! / Math.sqrt(variance.data[ch]! + attrs.epsilon);
  out.clear();
  const xv = x.values;
  const ov = out.values;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i]!;
    out.activate(p);
    const base = p * c;
    for (let ch = 0; ch < c; ch++) ov[base + ch] = xv[base + ch]! * mul[ch]!;
  }
}
