import type { Tensor } from '@motiondelta/core';
import { expectOutputShape, expectRank, requireInput } from '@motiondelta/core';
import type { KernelCall } from '@motiondelta/core';

/** Mean over H and W of an NHWC tensor, to [N, 1, 1, C]; summed in float64. */
export function globalAvgPoolKernel(call: KernelCall<'GlobalAvgPool'>): Tensor {
  const x = requireInput(call, 0, 'x');
  expectRank(call.op, 'input x', x.shape, 4, 'NHWC');
  const [batch, h, w, c] = x.shape as [number, number, number, number];
  expectOutputShape(call.op, call.outputShape, [batch, 1, 1, c]);
  const xd = x.data;
  const out = new Float32Array(batch * c);
  const acc = new Float64Array(c);
  const pixels = h * w;
  for (let n = 0; n < batch; n++) {
    acc.fill(0);
    for (let p = 0, base = n * pixels * c; p < pixels; p++, base += c) {
      for (let ch = 0; ch < c; ch++) acc[ch]! += xd[base + ch]!;
    }
    for (let ch = 0; ch < c; ch++) out[n * c + ch] = pixels > 0 ? acc[ch]! / pixels : 0;
  }
  return { data: out, shape: call.outputShape };
}
