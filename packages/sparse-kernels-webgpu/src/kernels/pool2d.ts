import { expectRank, pool2dGeometry, type Pool2DAttrs } from '@motiondelta/core';
import { elementwiseEntry } from '../wgsl/elementwise-entry.js';
import { i32Literal as i, u32Literal as u } from '../wgsl/literals.js';
import { bindingsWgsl, expectShape, inputShape, type KernelPlan, type ShapedCall } from './kernel-plan.js';

/** The lowest float32: what a max pool window that covers no input pixel yields (as onnxruntime). */
const LOWEST = '-3.4028234663852886e38';

/**
 * Max or average pooling with ONNX divisor rules (see the reference backend): one thread per
 * output element, positions outside the input never read.
 */
export function planPool2d(call: ShapedCall & { op: 'MaxPool2D' | 'AvgPool2D'; attrs: Pool2DAttrs }): KernelPlan {
  const g = pool2dGeometry(call.op, call.attrs, inputShape(call, 0, 'x'), call.outputShape);
  const [padTop, padLeft, padBottom, padRight] = g.pads;
  const [kh, kw] = call.attrs.kernel;
  const [sh, sw] = call.attrs.strides;
  const max = call.op === 'MaxPool2D';
  const c = g.channels;
  const total = g.batch * g.outH * g.outW * c;
  const divisor = call.attrs.countIncludePad
    ? `max(0i, min(ys + ${i(kh)}, ${i(g.inH + padBottom)}) - ys) * max(0i, min(xs + ${i(kw)}, ${i(g.inW + padRight)}) - xs)`
    : '(y1 - y0) * (x1 - x0)';
  const body = `
  let ch = i % ${u(c)};
  let pix = i / ${u(c)};
  let ox = i32(pix % ${u(g.outW)});
  let oy = i32((pix / ${u(g.outW)}) % ${u(g.outH)});
  let n = pix / ${u(g.outW * g.outH)};
  let ys = oy * ${i(sh)} - ${i(padTop)};
  let xs = ox * ${i(sw)} - ${i(padLeft)};
  let y0 = max(ys, 0i);
  let y1 = min(ys + ${i(kh)}, ${i(g.inH)});
  let x0 = max(xs, 0i);
  let x1 = min(xs + ${i(kw)}, ${i(g.inW)});
  var acc = ${max ? LOWEST : '0.0'};
  for (var iy = y0; iy < y1; iy++) {
    for (var ix = x0; ix < x1; ix++) {
      let v = in0[((n * ${u(g.inH)} + u32(iy)) * ${u(g.inW)} + u32(ix)) * ${u(c)} + ch];
      ${max ? 'if (v > acc) { acc = v; }' : 'acc += v;'}
    }
  }
  ${max ? 'out[i] = acc;' : `let count = ${divisor};\n  out[i] = select(0.0, acc / f32(count), count > 0i);`}`;
  return { code: `${bindingsWgsl(1, false)}\n${elementwiseEntry(total, body)}`, threads: total, inputs: [0] };
}

/** Mean over H and W, NHWC -> [N, 1, 1, C]: one thread per output element. */
export function planGlobalAvgPool(call: ShapedCall & { op: 'GlobalAvgPool' }): KernelPlan {
  const x = inputShape(call, 0, 'x');
  expectRank(call.op, 'input x', x, 4, 'NHWC');
  const [batch, h, w, c] = x as [number, number, number, number];
  expectShape(call.op, call.outputShape, [batch, 1, 1, c]);
  const pixels = h * w;
  const total = batch * c;
  const body = `
  let ch = i % ${u(c)};
  let base = (i / ${u(c)}) * ${u(pixels * c)} + ch;
  var acc = 0.0;
  for (var p = 0u; p < ${u(pixels)}; p++) { acc += in0[base + p * ${u(c)}]; }
  out[i] = ${pixels > 0 ? `acc / f32(${u(pixels)})` : '0.0'};`;
  return { code: `${bindingsWgsl(1, false)}\n${elementwiseEntry(total, body)}`, threads: total, inputs: [0] };
}
