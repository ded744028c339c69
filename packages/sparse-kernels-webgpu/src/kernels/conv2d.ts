import { conv2dGeometry, convTranspose2dGeometry, type Conv2DAttrs, type ConvTranspose2DAttrs } from '@motiondelta/core';
import { activationWgsl } from '../wgsl/activation.js';
import { elementwiseEntry } from '../wgsl/elementwise-entry.js';
import { i32Literal as i, u32Literal as u } from '../wgsl/literals.js';
import { bindingsWgsl, expectChannels, expectShape, inputShape, type KernelPlan, type ShapedCall } from './kernel-plan.js';

/**
 * Grouped, strided, dilated convolution (depthwise = groups equal to Cin), NHWC input, weight
 * [kh, kw, Cin/groups, Cout], optional bias, fused activation: one thread per output element.
 */
export function planConv2d(call: ShapedCall & { op: 'Conv2D'; attrs: Conv2DAttrs }): KernelPlan {
  const g = conv2dGeometry(call.op, call.attrs, inputShape(call, 0, 'x'), inputShape(call, 1, 'weight'));
  expectChannels(call.op, 'bias', call.inputs[2], g.outC);
  expectShape(call.op, call.outputShape, [g.batch, g.outH, g.outW, g.outC]);
  const hasBias = call.inputs[2] !== undefined;
  const coutPerGroup = g.outC / g.groups;
  const total = g.batch * g.outH * g.outW * g.outC;
  const body = `
  let co = i % ${u(g.outC)};
  let pix = i / ${u(g.outC)};
  let ox = i32(pix % ${u(g.outW)});
  let oy = i32((pix / ${u(g.outW)}) % ${u(g.outH)});
  let n = pix / ${u(g.outW * g.outH)};
  let cin0 = (co / ${u(coutPerGroup)}) * ${u(g.cinPerGroup)};
  var acc = ${hasBias ? 'in2[co]' : '0.0'};
  for (var ky = 0i; ky < ${i(g.kh)}; ky++) {
    let iy = oy * ${i(g.sh)} - ${i(g.padTop)} + ky * ${i(g.dh)};
    if (iy < 0i || iy >= ${i(g.inH)}) { continue; }
    for (var kx = 0i; kx < ${i(g.kw)}; kx++) {
      let ix = ox * ${i(g.sw)} - ${i(g.padLeft)} + kx * ${i(g.dw)};
      if (ix < 0i || ix >= ${i(g.inW)}) { continue; }
      let xb = ((n * ${u(g.inH)} + u32(iy)) * ${u(g.inW)} + u32(ix)) * ${u(g.inC)} + cin0;
      let wb = u32(ky * ${i(g.kw)} + kx) * ${u(g.cinPerGroup * g.outC)} + co;
      for (var ci = 0u; ci < ${u(g.cinPerGroup)}; ci++) {
        acc += in0[xb + ci] * in1[wb + ci * ${u(g.outC)}];
      }
    }
  }
  out[i] = md_act(acc, co);`;
  return {
    code: `${bindingsWgsl(hasBias ? 3 : 2, false)}\n${activationWgsl(call.attrs.activation)}\n${elementwiseEntry(total, body)}`,
    threads: total,
    inputs: hasBias ? [0, 1, 2] : [0, 1],
  };
}

/**
 * Transposed convolution, weight [kh, kw, Cin, Cout/groups], gathered per output element: output
 * row oy reads input row iy where oy + padTop = iy * stride + ky * dilation.
 */
export function planConvTranspose2d(call: ShapedCall & { op: 'ConvTranspose2D'; attrs: ConvTranspose2DAttrs }): KernelPlan {
  const g = convTranspose2dGeometry(call.op, call.attrs, inputShape(call, 0, 'x'), inputShape(call, 1, 'weight'));
  expectChannels(call.op, 'bias', call.inputs[2], g.outC);
  expectShape(call.op, call.outputShape, [g.batch, g.outH, g.outW, g.outC]);
  const hasBias = call.inputs[2] !== undefined;
  const total = g.batch * g.outH * g.outW * g.outC;
  const body = `
  let co = i % ${u(g.outC)};
  let pix = i / ${u(g.outC)};
  let ox = i32(pix % ${u(g.outW)});
  let oy = i32((pix / ${u(g.outW)}) % ${u(g.outH)});
  let n = pix / ${u(g.outW * g.outH)};
  let grp = co / ${u(g.coutPerGroup)};
  let cin0 = grp * ${u(g.cinPerGroup)};
  let cog = co % ${u(g.coutPerGroup)};
  var acc = ${hasBias ? 'in2[co]' : '0.0'};
  for (var ky = 0i; ky < ${i(g.kh)}; ky++) {
    let ty = oy + ${i(g.padTop)} - ky * ${i(g.dh)};
    if (ty < 0i || ty % ${i(g.sh)} != 0i) { continue; }
    let iy = ty / ${i(g.sh)};
    if (iy >= ${i(g.inH)}) { continue; }
    for (var kx = 0i; kx < ${i(g.kw)}; kx++) {
      let tx = ox + ${i(g.padLeft)} - kx * ${i(g.dw)};
      if (tx < 0i || tx % ${i(g.sw)} != 0i) { continue; }
      let ix = tx / ${i(g.sw)};
      if (ix >= ${i(g.inW)}) { continue; }
      let xb = ((n * ${u(g.inH)} + u32(iy)) * ${u(g.inW)} + u32(ix)) * ${u(g.inC)} + cin0;
      let wb = (u32(ky * ${i(g.kw)} + kx) * ${u(g.inC)} + cin0) * ${u(g.coutPerGroup)} + cog;
      for (var ci = 0u; ci < ${u(g.cinPerGroup)}; ci++) {
        acc += in0[xb + ci] * in1[wb + ci * ${u(g.coutPerGroup)}];
      }
    }
  }
  out[i] = md_act(acc, co);`;
  return {
    code: `${bindingsWgsl(hasBias ? 3 : 2, false)}\n${activationWgsl(call.attrs.activation)}\n${elementwiseEntry(total, body)}`,
    threads: total,
    inputs: hasBias ? [0, 1, 2] : [0, 1],
  };
}
