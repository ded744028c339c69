import { depthSpaceShape, expectOutputShape, requireInput } from '@motiondelta/core';
import type { KernelCall, Tensor } from '@motiondelta/core';

/**
 * DepthToSpace (DCR and CRD) and SpaceToDepth on NHWC. Both walk the deep side [N,H,W,Cin] in
 * order and map each of its channels `k` to a block position `(i, j)` and a shallow channel `c`.
 */
export function depthSpaceKernel(call: KernelCall<'DepthToSpace' | 'SpaceToDepth'>): Tensor {
  const { op } = call;
  const x = requireInput(call, 0, 'x');
  const toSpace = call.op === 'DepthToSpace';
  const b = call.attrs.blockSize;
  const outShape = depthSpaceShape(op, x.shape, b, toSpace);
  expectOutputShape(op, call.outputShape, outShape);
  const crd = call.op === 'DepthToSpace' && call.attrs.mode === 'CRD';
  // Deep: [N, H, W, C*b*b]; shallow: [N, H*b, W*b, C].
  const [n, h, w, deepC] = toSpace ? (x.shape as [number, number, number, number]) : outShape;
  const c = deepC / (b * b);
  const out = new Float32Array(x.data.length);
  const xd = x.data;
  const shallowW = w * b;
  let deep = 0;
  for (let bi = 0; bi < n; bi++) {
    for (let y = 0; y < h; y++) {
      for (let xx = 0; xx < w; xx++) {
        for (let k = 0; k < deepC; k++, deep++) {
          let block: number;
          let ch: number;
          if (crd) {
            ch = Math.floor(k / (b * b));
            block = k % (b * b);
          } else {
            block = Math.floor(k / c);
            ch = k % c;
          }
          const i = Math.floor(block / b);
          const j = block % b;
          const shallow = ((bi * h * b + y * b + i) * shallowW + xx * b + j) * c + ch;
          if (toSpace) out[shallow] = xd[deep]!;
          else out[deep] = xd[shallow]!;
        }
      }
    }
  }
  return { data: out, shape: call.outputShape };
}
