import { ShapeError, expectRank, formatShape, resizeOutputSize, resizeTaps } from '@motiondelta/core';
import { elementwiseEntry } from '../wgsl/elementwise-entry.js';
import { u32Literal as u } from '../wgsl/literals.js';
import { bindingsWgsl, expectShape, inputShape, type KernelPlan, type ShapedCall } from './kernel-plan.js';

/**
 * Resize (nearest or bilinear) of H and W, sampling with core's `resizeTaps` (the taps every
 * backend shares) held in `aux`: per output row then per output column, [lo, hi, weight bits].
 */
export function planResize(call: ShapedCall & { op: 'Resize' }): KernelPlan {
  const x = inputShape(call, 0, 'x');
  expectRank(call.op, 'input x', x, 4, 'NHWC');
  const [batch, inH, inW, c] = x as [number, number, number, number];
  const [outH, outW] = resizeOutputSize(call.attrs, inH, inW);
  expectShape(call.op, call.outputShape, [batch, outH, outW, c]);
  if (inH === 0 || inW === 0)
    throw new ShapeError(`${call.op}: input ${formatShape(x)} has an empty spatial axis; nothing to resample from.`);
  const { rows, cols } = resizeTaps(call.attrs, inH, inW, outH, outW);
  const aux = new Int32Array(3 * (outH + outW));
  const bits = new Float32Array(aux.buffer);
  for (let k = 0; k < outH; k++) {
    aux[3 * k] = rows.lo[k]!;
    aux[3 * k + 1] = rows.hi[k]!;
    bits[3 * k + 2] = rows.weight[k]!;
  }
  for (let k = 0; k < outW; k++) {
    const o = 3 * (outH + k);
    aux[o] = cols.lo[k]!;
    aux[o + 1] = cols.hi[k]!;
    bits[o + 2] = cols.weight[k]!;
  }
  const total = batch * outH * outW * c;
  const body = `
  let ch = i % ${u(c)};
  let pix = i / ${u(c)};
  let ox = pix % ${u(outW)};
  let oy = (pix / ${u(outW)}) % ${u(outH)};
  let n = pix / ${u(outW * outH)};
  let r = 3u * oy;
  let q = 3u * (${u(outH)} + ox);
  let r0 = (n * ${u(inH)} + u32(aux[r])) * ${u(inW)};
  let r1 = (n * ${u(inH)} + u32(aux[r + 1u])) * ${u(inW)};
  let wy = bitcast<f32>(aux[r + 2u]);
  let c0 = u32(aux[q]);
  let c1 = u32(aux[q + 1u]);
  let wx = bitcast<f32>(aux[q + 2u]);
  let p00 = in0[(r0 + c0) * ${u(c)} + ch];
  let p01 = in0[(r0 + c1) * ${u(c)} + ch];
  let p10 = in0[(r1 + c0) * ${u(c)} + ch];
  let p11 = in0[(r1 + c1) * ${u(c)} + ch];
  let top = p00 + wx * (p01 - p00);
  let bottom = p10 + wx * (p11 - p10);
  out[i] = top + wy * (bottom - top);`;
  return { code: `${bindingsWgsl(1, true)}\n${elementwiseEntry(total, body)}`, threads: total, inputs: [0], aux };
}
