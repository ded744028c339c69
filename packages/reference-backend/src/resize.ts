import { ShapeError, formatShape, resizeOutputSize, resizeTaps } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { expectOutputShape, expectRank, requireInput } from '@motiondelta/core';
import type { KernelCall } from '@motiondelta/core';

/**
 * ONNX Resize on the H and W axes of an NHWC tensor, `nearest` or `linear` (bilinear, clamped to
 * the edge), sampling with core's `resizeTaps`: the one definition of which pixels every backend
 * reads (float32 source coordinates, as onnxruntime computes them).
 */
export function resizeKernel(call: KernelCall<'Resize'>): Tensor {
  const { op, attrs } = call;
  const x = requireInput(call, 0, 'x');
  expectRank(op, 'input x', x.shape, 4, 'NHWC');
  const [batch, inH, inW, c] = x.shape as [number, number, number, number];
  const [outH, outW] = resizeOutputSize(attrs, inH, inW);
  expectOutputShape(op, call.outputShape, [batch, outH, outW, c]);
  if (inH === 0 || inW === 0) {
    throw new ShapeError(`${op}: input ${formatShape(x.shape)} has an empty spatial axis; nothing to resample from.`);
  }
  const { rows, cols } = resizeTaps(attrs, inH, inW, outH, outW);
  const xd = x.data;
  const out = new Float32Array(batch * outH * outW * c);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    const plane = n * inH;
    for (let oy = 0; oy < outH; oy++) {
      const r0 = (plane + rows.lo[oy]!) * inW;
      const r1 = (plane + rows.hi[oy]!) * inW;
      const wy = rows.weight[oy]!;
      for (let ox = 0; ox < outW; ox++) {
        const c0 = cols.lo[ox]!;
        const c1 = cols.hi[ox]!;
        const wx = cols.weight[ox]!;
        const p00 = (r0 + c0) * c;
        const p01 = (r0 + c1) * c;
        const p10 = (r1 + c0) * c;
        const p11 = (r1 + c1) * c;
        for (let ch = 0; ch < c; ch++, o++) {
          const top = xd[p00 + ch]! + wx * (xd[p01 + ch]! - xd[p00 + ch]!);
          const bottom = xd[p10 + ch]! + wx * (xd[p11 + ch]! - xd[p10 + ch]!);
          out[o] = top + wy * (bottom - top);
        }
      }
    }
  }
  return { data: out, shape: call.outputShape };
}
