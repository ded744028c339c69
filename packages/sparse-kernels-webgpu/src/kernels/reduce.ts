import { ShapeError, formatShape, normalizeAxis, reduceGeometry, type ReduceKind } from '@motiondelta/core';
import { elementwiseEntry } from '../wgsl/elementwise-entry.js';
import { u32Literal as u } from '../wgsl/literals.js';
import { contiguousStrides } from '../wgsl/strided-index.js';
import { bindingsWgsl, expectShape, inputShape, type KernelPlan, type ShapedCall } from './kernel-plan.js';

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Infinities and NaN at run time (WGSL refuses non-finite constant expressions). */
const SPECIALS = `
fn md_inf(negative: bool) -> f32 { var bits = select(0x7f800000u, 0xff800000u, negative); return bitcast<f32>(bits); }
fn md_nan() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
`;

/**
 * Reduce over any axes of a tensor of any rank: one thread per output element, looping over its
 * group (nested loops over the reduced axes, unrolled at generation). Empty groups give the
 * reduction's identity, as the reference does (NaN for mean, -inf for max, logSum, logSumExp).
 */
export function planReduce(call: ShapedCall & { op: 'Reduce' }): KernelPlan {
  const x = inputShape(call, 0, 'x');
  const { reduced, outShape, groupSize } = reduceGeometry(call.op, x, call.attrs);
  expectShape(call.op, call.outputShape, outShape);
  const strides = contiguousStrides(x);
  const kept = x.map((_, k) => k).filter((k) => !reduced[k]);
  const summed = x.map((_, k) => k).filter((k) => reduced[k]);
  const kind = call.attrs.kind;
  const lines = ['  var rem = i;', '  var base = 0u;'];
  for (let j = kept.length - 1; j >= 0; j--) {
    const axis = kept[j]!;
    lines.push(`  { let c = rem % ${u(x[axis]!)}; rem = rem / ${u(x[axis]!)}; base += c * ${u(strides[axis]!)}; }`);
  }
  const loop = (body: string): string => {
    let code = `let off = base${summed.map((a) => ` + r${a} * ${u(strides[a]!)}`).join('')};\n${body}`;
    for (const a of [...summed].reverse()) code = `for (var r${a} = 0u; r${a} < ${u(x[a]!)}; r${a}++) {\n${code}\n}`;
    return code;
  };
  if (kind === 'logSumExp') {
    lines.push(
      '  var top = md_inf(true);',
      loop('let v = in0[off]; if (v > top) { top = v; }'),
      '  if (abs(top) == md_inf(false)) { out[i] = top; return; }',
      '  var acc = 0.0;',
      loop('acc += exp(in0[off] - top);'),
      '  out[i] = log(acc) + top;',
    );
  } else {
    lines.push(`  var acc = ${identity(kind)};`, loop(combine(kind)), `  out[i] = ${finish(kind, groupSize)};`);
  }
  const total = size(outShape);
  return { code: `${bindingsWgsl(1, false)}\n${SPECIALS}\n${elementwiseEntry(total, lines.join('\n'))}`, threads: total, inputs: [0] };
}

function identity(kind: Exclude<ReduceKind, 'logSumExp'>): string {
  if (kind === 'max') return 'md_inf(true)';
  if (kind === 'min') return 'md_inf(false)';
  return kind === 'prod' ? '1.0' : '0.0';
}

function combine(kind: Exclude<ReduceKind, 'logSumExp'>): string {
  switch (kind) {
    case 'mean':
    case 'sum':
    case 'logSum':
      return 'acc += in0[off];';
    case 'max':
      // NaN propagates, as in the reference.
      return 'let v = in0[off]; if (v > acc || v != v) { acc = v; }';
    case 'min':
      return 'let v = in0[off]; if (v < acc || v != v) { acc = v; }';
    case 'prod':
      return 'acc *= in0[off];';
    case 'l1':
      return 'acc += abs(in0[off]);';
    case 'l2':
    case 'sumSquare':
      return 'let v = in0[off]; acc += v * v;';
  }
}

function finish(kind: Exclude<ReduceKind, 'logSumExp'>, groupSize: number): string {
  switch (kind) {
    case 'mean':
      return groupSize === 0 ? 'md_nan()' : `acc / f32(${u(groupSize)})`;
    case 'l2':
      return 'sqrt(acc)';
    case 'logSum':
      return 'select(log(acc), md_inf(true), acc == 0.0)';
    default:
      return 'acc';
  }
}

/** Softmax along one axis: one thread per row (all other coordinates), max subtracted first. */
export function planSoftmax(call: ShapedCall & { op: 'Softmax' }): KernelPlan {
  const x = inputShape(call, 0, 'x');
  if (call.outputShape.length !== x.length || call.outputShape.some((d, k) => d !== x[k])) {
    throw new ShapeError(`Softmax: output ${formatShape(call.outputShape)} differs from input ${formatShape(x)}.`);
  }
  if (x.length === 0) {
    return { code: `${bindingsWgsl(1, false)}\n${elementwiseEntry(1, '  out[i] = 1.0;')}`, threads: 1, inputs: [0] };
  }
  const axis = normalizeAxis(call.op, call.attrs.axis, x.length);
  const length = x[axis]!;
  const inner = size(x.slice(axis + 1));
  const outer = size(x.slice(0, axis));
  const body = `
  let base = (i / ${u(Math.max(inner, 1))}) * ${u(length * inner)} + i % ${u(Math.max(inner, 1))};
  var top = in0[base];
  for (var k = 1u; k < ${u(length)}; k++) { top = max(top, in0[base + k * ${u(inner)}]); }
  var sum = 0.0;
  for (var k = 0u; k < ${u(length)}; k++) {
    let e = exp(in0[base + k * ${u(inner)}] - top);
    out[base + k * ${u(inner)}] = e;
    sum += e;
  }
  for (var k = 0u; k < ${u(length)}; k++) { out[base + k * ${u(inner)}] = out[base + k * ${u(inner)}] / sum; }`;
  const rows = length === 0 ? 0 : outer * inner;
  return { code: `${bindingsWgsl(1, false)}\n${elementwiseEntry(rows, body)}`, threads: rows, inputs: [0] };
}
