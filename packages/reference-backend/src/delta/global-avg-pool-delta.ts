import type { DeltaBuffer, Tensor } from '@motiondelta/core';
import { expectOutShape, requireDelta } from './delta-inputs.js';

/**
 * Global average pooling of a delta: the mean of a frame difference is the sum of its active
 * pixels over H*W. The single output pixel of a batch entry is active iff any of its input pixels is.
 */
export function globalAvgPoolDelta(inputs: readonly (DeltaBuffer | Tensor | undefined)[], out: DeltaBuffer): void {
  const x = requireDelta('GlobalAvgPool', inputs, 0, 'x');
  const [batch, h, w, c] = x.shape;
  expectOutShape('GlobalAvgPool', out, [batch, 1, 1, c]);
  out.clear();
  const plane = h * w;
  const xv = x.values;
  const ov = out.values;
  for (let i = 0; i < x.count; i++) {
    const p = x.active[i]!;
    const n = Math.floor(p / plane);
    out.activate(n);
    const xBase = p * c;
    const oBase = n * c;
    for (let ch = 0; ch < c; ch++) ov[oBase + ch]! += xv[xBase + ch]! / plane;
  }
}
