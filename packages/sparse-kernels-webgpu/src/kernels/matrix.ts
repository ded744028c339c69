import {
  ShapeError,
  broadcastShapes,
  broadcastStrides,
  formatShape,
  gemmGeometry,
  matMulBatchOffsets,
  matMulGeometry,
  type GemmAttrs,
} from '@motiondelta/core';
import { activationWgsl } from '../wgsl/activation.js';
import { elementwiseEntry } from '../wgsl/elementwise-entry.js';
import { f32Literal, u32Literal as u } from '../wgsl/literals.js';
import { bindingsWgsl, expectShape, inputShape, type KernelPlan, type ShapedCall } from './kernel-plan.js';

/**
 * numpy MatMul with broadcast batch axes: one thread per output element, a dot product over k.
 * `aux` holds each batch's element offsets into A and B (core's `matMulBatchOffsets`).
 */
export function planMatMul(call: ShapedCall & { op: 'MatMul' }): KernelPlan {
  const g = matMulGeometry(call.op, inputShape(call, 0, 'A'), inputShape(call, 1, 'B'));
  expectShape(call.op, call.outputShape, g.outShape);
  const { m, k, n } = g;
  const offsets = matMulBatchOffsets(g);
  const batches = offsets.a.length;
  const aux = new Int32Array(2 * batches);
  for (let b = 0; b < batches; b++) {
    aux[2 * b] = offsets.a[b]!;
    aux[2 * b + 1] = offsets.b[b]!;
  }
  const total = batches * m * n;
  const body = `
  let col = i % ${u(n)};
  let row = (i / ${u(n)}) % ${u(m)};
  let batch = i / ${u(m * n)};
  let a0 = u32(aux[2u * batch]) + row * ${u(k)};
  let b0 = u32(aux[2u * batch + 1u]) + col;
  var acc = 0.0;
  for (var t = 0u; t < ${u(k)}; t++) { acc += in0[a0 + t] * in1[b0 + t * ${u(n)}]; }
  out[i] = md_act(acc, col);`;
  return {
    code: `${bindingsWgsl(2, true)}\n${activationWgsl(call.attrs.activation)}\n${elementwiseEntry(total, body)}`,
    threads: total,
    inputs: [0, 1],
    aux: aux.length === 0 ? new Int32Array(1) : aux,
  };
}

/** ONNX Gemm: alpha * A' * B' + beta * C (C broadcast to [M, N]), then the fused activation. */
export function planGemm(call: ShapedCall & { op: 'Gemm'; attrs: GemmAttrs }): KernelPlan {
  const { attrs } = call;
  const aShape = inputShape(call, 0, 'A');
  const bShape = inputShape(call, 1, 'B');
  const { m, k, n, a1, b1 } = gemmGeometry(call.op, attrs, aShape, bShape);
  expectShape(call.op, call.outputShape, [m, n]);
  const cShape = attrs.beta !== 0 ? call.inputs[2] : undefined;
  let cTerm = '';
  if (cShape !== undefined) {
    const broadcast = cShape.length <= 2 ? broadcastShapes(call.op, cShape, [m, n]) : [];
    if (broadcast.length !== 2 || broadcast[0] !== m || broadcast[1] !== n) {
      throw new ShapeError(`${call.op}: C ${formatShape(cShape)} does not broadcast to the output [${m},${n}].`);
    }
    const [rs, cs] = broadcastStrides(cShape, [m, n]) as [number, number];
    cTerm = ` + ${f32Literal(attrs.beta)} * in2[row * ${u(rs)} + col * ${u(cs)}]`;
  }
  const [ar, ac] = attrs.transA ? [1, a1] : [a1, 1];
  const [br, bc] = attrs.transB ? [1, b1] : [b1, 1];
  const total = m * n;
  const body = `
  let col = i % ${u(n)};
  let row = i / ${u(n)};
  var acc = 0.0;
  for (var t = 0u; t < ${u(k)}; t++) { acc += in0[row * ${u(ar)} + t * ${u(ac)}] * in1[t * ${u(br)} + col * ${u(bc)}]; }
  out[i] = md_act(${f32Literal(attrs.alpha)} * acc${cTerm}, col);`;
  const inputs = cShape !== undefined ? [0, 1, 2] : [0, 1];
  return {
    code: `${bindingsWgsl(inputs.length, false)}\n${activationWgsl(attrs.activation)}\n${elementwiseEntry(total, body)}`,
    threads: total,
    inputs,
  };
}
