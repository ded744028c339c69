import { ShapeError, formatShape } from '@motiondelta/core';
import type { DeltaBuffer, Tensor } from '@motiondelta/core';
import { expectStateSize } from './delta-inputs.js';

/**
 * Input sparsification: a pixel is active where max_c |x - reference| > threshold. The reference
 * moves only at active pixels, so a change below the threshold is kept as residue and emitted once
 * it adds up. This is the one delta kernel that reads the whole frame: comparing is its job.
 */
export function sparsify(x: Tensor, reference: Float32Array, threshold: number, out: DeltaBuffer): void {
  if (x.data.length !== out.values.length) {
    throw new ShapeError(
      `sparsify: input ${formatShape(x.shape)} (${x.data.length} values) does not match the output DeltaBuffer ${formatShape(out.shape)}.`,
    );
  }
  expectStateSize('sparsify', 'reference', reference, out.shape);
  out.clear();
  const c = out.channels;
  const xd = x.data;
  const values = out.values;
  for (let p = 0, base = 0; p < out.pixels; p++, base += c) {
    let maxAbs = 0;
    for (let ch = 0; ch < c; ch++) {
      const d = Math.abs(xd[base + ch]! - reference[base + ch]!);
      if (d > maxAbs) maxAbs = d;
    }
    if (!(maxAbs > threshold)) continue;
    out.activate(p);
    for (let ch = 0; ch < c; ch++) {
      const v = xd[base + ch]!;
      values[base + ch] = v - reference[base + ch]!;
      reference[base + ch] = v;
    }
  }
}
