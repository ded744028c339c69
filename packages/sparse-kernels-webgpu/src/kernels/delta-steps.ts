import {
  ShapeError,
  broadcastStrides,
  formatShape,
  pool2dGeometry,
  type ActivationSpec,
  type Pool2DAttrs,
  type Shape,
} from '@motiondelta/core';
import { activationWgsl } from '../wgsl/activation.js';
import { f32Literal, i32Literal as i, u32Literal as u } from '../wgsl/literals.js';
import { deltaPlan, pixelCoords, tiledDeltaPlan, truncateWgsl } from './delta-plan.js';
import type { KernelPlan } from './kernel-plan.js';

/**
 * WGSL kernels of the delta step kinds. A delta lives on the device as two buffers: its values
 * (NHWC, meaningful at active pixels only) and its mask (one f32 per pixel, 1 where active).
 * (`active` is a WGSL keyword: the flag is `on`.) Per-pixel kernels (accumulate, activation) run
 * over the active tiles of their input only (see active-tiles.ts); the others run over every
 * output pixel, consulting the masks, and are skipped whole when no input tile is active.
 */

const size = (s: Shape): number => s.reduce((a, b) => a * b, 1);
const pixelsOf = (s: Shape): number => s[0]! * s[1]! * s[2]!;

function plan(reads: readonly string[], writes: readonly string[], threads: number, body: string, extra = ''): KernelPlan {
  return deltaPlan(reads, writes, threads, body, extra);
}

/**
 * Sparsify, one thread per pixel: active where max_c |x - reference| > threshold; there the delta
 * is x - reference and the reference takes x.
 */
export function sparsifyPlan(shape: Shape, threshold: number): KernelPlan {
  const c = shape[3]!;
  const body = `
  let base = i * ${u(c)};
  var d = 0.0;
  for (var ch = 0u; ch < ${u(c)}; ch++) { d = max(d, abs(x[base + ch] - reference[base + ch])); }
  let on = d > ${f32Literal(threshold)};
  mask[i] = select(0.0, 1.0, on);
  if (!on) { return; }
  for (var ch = 0u; ch < ${u(c)}; ch++) {
    let v = x[base + ch];
    vals[base + ch] = v - reference[base + ch];
    reference[base + ch] = v;
  }`;
  return plan(['x'], ['reference', 'vals', 'mask'], size(shape) / Math.max(c, 1), body);
}

/** Accumulate, one thread per pixel of the delta's active tiles: target += delta where the pixel is active. */
export function accumulatePlan(shape: Shape): KernelPlan {
  const c = shape[3]!;
  const body = `
  if (mask[i] == 0.0) { return; }
  let base = i * ${u(c)};
  for (var ch = 0u; ch < ${u(c)}; ch++) { sum[base + ch] = sum[base + ch] + vals[base + ch]; }`;
  // Over the input's active tiles only. (`target` is a WGSL keyword.)
  return tiledDeltaPlan(['vals', 'mask'], ['sum'], pixelsOf(shape), body);
}

/**
 * Activation with accumulate-and-truncate, one thread per pixel of the input's active tiles: at active input pixels
 * accumulated += delta and y = act(accumulated); emitted where max_c |y - emitted| > threshold.
 */
export function activationPlan(shape: Shape, activation: ActivationSpec, threshold: number): KernelPlan {
  const c = shape[3]!;
  const body = `
  let base = i * ${u(c)};
  if (in_mask[i] == 0.0) { mask[i] = 0.0; return; }
  var d = 0.0;
  var nan = false;
  for (var ch = 0u; ch < ${u(c)}; ch++) {
    let a = accumulated[base + ch] + in_vals[base + ch];
    accumulated[base + ch] = a;
    let e = abs(md_act(a, ch) - emitted[base + ch]);
    nan = nan || e != e;
    d = max(d, e);
  }
  // Emitted unless the change is at most the threshold: a NaN change is emitted, as in the reference.
  let on = nan || d > ${f32Literal(threshold)};
  mask[i] = select(0.0, 1.0, on);
  if (!on) { return; }
  for (var ch = 0u; ch < ${u(c)}; ch++) {
    let y = md_act(accumulated[base + ch], ch);
    vals[base + ch] = y - emitted[base + ch];
    emitted[base + ch] = y;
  }`;
  // Over the input's active tiles only: elsewhere nothing is accumulated and nothing emitted.
  return tiledDeltaPlan(
    ['in_vals', 'in_mask'],
    ['accumulated', 'emitted', 'vals', 'mask'],
    pixelsOf(shape),
    body,
    activationWgsl(activation),
  );
}

/**
 * Max pooling on a delta, after the input delta was accumulated into `accumulated`: one thread per
 * output pixel; a window holding an active input pixel is recomputed from the accumulated input
 * and emitted with truncation.
 */
export function maxPoolDeltaPlan(attrs: Pool2DAttrs, inShape: Shape, outShape: Shape, threshold: number): KernelPlan {
  const g = pool2dGeometry('MaxPool2D', attrs, inShape, outShape);
  const [padTop, padLeft] = g.pads;
  const [kh, kw] = attrs.kernel;
  const [sh, sw] = attrs.strides;
  const c = g.channels;
  const body = `  let q = i;${pixelCoords(g.outH, g.outW)}
  let base = q * ${u(c)};
  let ys = oy * ${i(sh)} - ${i(padTop)};
  let xs = ox * ${i(sw)} - ${i(padLeft)};
  let y0 = max(ys, 0i);
  let y1 = min(ys + ${i(kh)}, ${i(g.inH)});
  let x0 = max(xs, 0i);
  let x1 = min(xs + ${i(kw)}, ${i(g.inW)});
  var touched = false;
  for (var iy = y0; iy < y1; iy++) {
    for (var ix = x0; ix < x1; ix++) {
      touched = touched || in_mask[(n * ${u(g.inH)} + u32(iy)) * ${u(g.inW)} + u32(ix)] != 0.0;
    }
  }
  if (!touched) { mask[q] = 0.0; return; }
  for (var ch = 0u; ch < ${u(c)}; ch++) { vals[base + ch] = ${LOWEST}; }
  for (var iy = y0; iy < y1; iy++) {
    for (var ix = x0; ix < x1; ix++) {
      let xb = ((n * ${u(g.inH)} + u32(iy)) * ${u(g.inW)} + u32(ix)) * ${u(c)};
      for (var ch = 0u; ch < ${u(c)}; ch++) {
        let v = accumulated[xb + ch];
        if (v > vals[base + ch]) { vals[base + ch] = v; }
      }
    }
  }
${truncateWgsl(c, threshold)}`;
  return plan(['in_mask', 'accumulated'], ['emitted', 'vals', 'mask'], g.batch * g.outH * g.outW, body);
}

/** The lowest float32: a max pool window over no input pixel yields it (as the dense kernel). */
const LOWEST = '-3.4028234663852886e38';

/** An operand of a binary step: a varying one (its accumulated state and its delta's mask) or a constant. */
export type BinaryOperand = { readonly varying: boolean; readonly shape: Shape };

/**
 * Elementwise Add/Sub/Mul/Div on accumulated operands, after their deltas were accumulated: one
 * thread per output pixel. A pixel is recomputed where a varying operand's pixel that broadcasts
 * to it is active (an operand of size 1 on an axis reaches every output along it), then emitted
 * with truncation. Bindings: per operand its data (accumulated or constant), then per varying
 * operand its mask.
 */
export function binaryDeltaPlan(
  op: 'Add' | 'Sub' | 'Mul' | 'Div',
  a: BinaryOperand,
  b: BinaryOperand,
  outShape: Shape,
  threshold: number,
): KernelPlan {
  for (const [role, o] of [['A', a] as const, ['B', b] as const]) {
    if (o.shape.length > 4) throw new ShapeError(`${op}: operand ${role} ${formatShape(o.shape)} has rank above 4; the output is NHWC.`);
    if (o.varying && o.shape.length !== 4) throw new ShapeError(`${op}: varying operand ${role} ${formatShape(o.shape)} is not NHWC.`);
  }
  const [on, oh, ow, c] = outShape as [number, number, number, number];
  const sa = broadcastStrides(a.shape, outShape) as [number, number, number, number];
  const sb = broadcastStrides(b.shape, outShape) as [number, number, number, number];
  const touched = [a, b].flatMap((o, k) => {
    if (!o.varying) return [];
    const [dn, dh, dw] = o.shape as [number, number, number, number];
    // The operand's pixel reaching output (n, oy, ox): index 0 along its broadcast axes.
    const p = `(${dn === on ? 'n' : '0u'} * ${u(dh)} + ${dh === oh ? 'u32(oy)' : '0u'}) * ${u(dw)} + ${dw === ow ? 'u32(ox)' : '0u'}`;
    return [`m${k}[${p}] != 0.0`];
  });
  const expr = { Add: '+', Sub: '-', Mul: '*', Div: '/' }[op];
  const body = `  let q = i;${pixelCoords(oh, ow)}
  let base = q * ${u(c)};
  if (!(${touched.join(' || ')})) { mask[q] = 0.0; return; }
  let ab = n * ${u(sa[0])} + u32(oy) * ${u(sa[1])} + u32(ox) * ${u(sa[2])};
  let bb = n * ${u(sb[0])} + u32(oy) * ${u(sb[1])} + u32(ox) * ${u(sb[2])};
  for (var ch = 0u; ch < ${u(c)}; ch++) { vals[base + ch] = d0[ab + ch * ${u(sa[3])}] ${expr} d1[bb + ch * ${u(sb[3])}]; }
${truncateWgsl(c, threshold)}`;
  const masks = [a, b].flatMap((o, k) => (o.varying ? [`m${k}`] : []));
  return plan(['d0', 'd1', ...masks], ['emitted', 'vals', 'mask'], on * oh * ow, body);
}
