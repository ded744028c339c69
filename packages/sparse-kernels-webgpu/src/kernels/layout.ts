import { ShapeError, concatGeometry, depthSpaceShape, formatShape, padAxisMap, sliceGeometry, type OpCall } from '@motiondelta/core';
import { elementwiseEntry } from '../wgsl/elementwise-entry.js';
import { f32Literal, i32Literal, u32Literal as u } from '../wgsl/literals.js';
import { contiguousStrides, stridedOffsets } from '../wgsl/strided-index.js';
import { bindingsWgsl, expectShape, inputShape, type KernelPlan, type ShapedCall } from './kernel-plan.js';

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** `out[i] = in0[offset(i)]`, the offset a sum of coordinate * stride over the output's axes. */
function stridedCopy(outShape: readonly number[], strides: readonly number[]): KernelPlan {
  const total = size(outShape);
  const body = `${stridedOffsets(outShape, [strides])}\n  out[i] = in0[off0];`;
  return { code: `${bindingsWgsl(1, false)}\n${elementwiseEntry(total, body)}`, threads: total, inputs: [0] };
}

/** Reshape, Flatten, Squeeze, Unsqueeze, Identity: the same elements in the same order. */
export function planCopy(call: ShapedCall): KernelPlan {
  const x = inputShape(call, 0, 'x');
  if (size(x) !== size(call.outputShape)) {
    throw new ShapeError(
      `${call.op}: input ${formatShape(x)} and output ${formatShape(call.outputShape)} hold different numbers of elements.`,
    );
  }
  return stridedCopy([size(x)], [1]);
}

/** Transpose: output axis k walks input axis perm[k]. */
export function planTranspose(call: ShapedCall & { op: 'Transpose' }): KernelPlan {
  const x = inputShape(call, 0, 'x');
  const perm = call.attrs.perm;
  const valid = perm.length === x.length && [...perm].sort((a, b) => a - b).every((p, k) => p === k);
  if (!valid)
    throw new ShapeError(`Transpose: perm [${perm.join(',')}] is not a permutation of the ${x.length} axes of ${formatShape(x)}.`);
  const strides = contiguousStrides(x);
  const outShape = perm.map((p) => x[p]!);
  expectShape(call.op, call.outputShape, outShape);
  return stridedCopy(
    outShape,
    perm.map((p) => strides[p]!),
  );
}

/**
 * DepthToSpace (DCR, CRD) and SpaceToDepth as transposes of the 6-D views of input and output:
 * DCR reads x[n, h, w, i, j, c] into y[n, h, i, w, j, c], CRD reads x[n, h, w, c, i, j], and
 * SpaceToDepth reads x[n, h, i, w, j, c] into y[n, h, w, i, j, c].
 */
export function planDepthSpace(call: ShapedCall & { op: 'DepthToSpace' | 'SpaceToDepth' }): KernelPlan {
  const x = inputShape(call, 0, 'x');
  const toSpace = call.op === 'DepthToSpace';
  const b = call.attrs.blockSize;
  const outShape = depthSpaceShape(call.op, x, b, toSpace);
  expectShape(call.op, call.outputShape, outShape);
  const [n, h, w, c] = x as [number, number, number, number];
  if (toSpace) {
    const oc = c / (b * b);
    const crd = call.op === 'DepthToSpace' && call.attrs.mode === 'CRD';
    // Input view [n, h, w, i, j, c] (DCR) or [n, h, w, c, i, j] (CRD), contiguous.
    const view = crd ? [n, h, w, oc, b, b] : [n, h, w, b, b, oc];
    const s = contiguousStrides(view);
    // Output view [n, h, i, w, j, c]: strides of the input axes each output axis walks.
    const strides = crd ? [s[0]!, s[1]!, s[4]!, s[2]!, s[5]!, s[3]!] : [s[0]!, s[1]!, s[3]!, s[2]!, s[4]!, s[5]!];
    return stridedCopy([n, h, b, w, b, oc], strides);
  }
  const view = [n, h / b, b, w / b, b, c];
  const s = contiguousStrides(view);
  return stridedCopy([n, h / b, w / b, b, b, c], [s[0]!, s[1]!, s[3]!, s[2]!, s[4]!, s[5]!]);
}

/** Slice: output index k of each axis reads input index start + k * step. */
export function planSlice(call: ShapedCall & { op: 'Slice' }): KernelPlan {
  const x = inputShape(call, 0, 'x');
  const g = sliceGeometry(call.op, x, call.attrs);
  expectShape(call.op, call.outputShape, g.outShape);
  const strides = contiguousStrides(x);
  const total = size(g.outShape);
  const base = g.axes.reduce((acc, a, k) => acc + a.start * strides[k]!, 0);
  // Steps may be negative: offsets are signed.
  const lines = ['  var rem = i;', `  var off = ${i32Literal(base)};`];
  for (let k = g.outShape.length - 1; k >= 0; k--) {
    const d = g.outShape[k]!;
    lines.push(`  { let c = rem % ${u(d)}; rem = rem / ${u(d)}; off += i32(c) * ${i32Literal(g.axes[k]!.step * strides[k]!)}; }`);
  }
  lines.push('  out[i] = in0[u32(off)];');
  return { code: `${bindingsWgsl(1, false)}\n${elementwiseEntry(total, lines.join('\n'))}`, threads: total, inputs: [0] };
}

/** Pad (constant, reflect, edge) of any rank, through core's per-axis index maps held in `aux`. */
export function planPad(call: ShapedCall & { op: 'Pad' }): KernelPlan {
  const x = inputShape(call, 0, 'x');
  const { pads, mode, value } = call.attrs;
  const rank = x.length;
  if (pads.length !== 2 * rank || pads.some((p) => !Number.isInteger(p))) {
    throw new ShapeError(`Pad: pads [${pads.join(',')}] must be ${2 * rank} integers ([begin..., end...]) for input ${formatShape(x)}.`);
  }
  const outShape = x.map((d, k) => d + pads[k]! + pads[k + rank]!);
  if (outShape.some((d) => d < 0)) throw new ShapeError(`Pad: pads [${pads.join(',')}] crop more than input ${formatShape(x)} holds.`);
  expectShape(call.op, call.outputShape, outShape);
  const strides = contiguousStrides(x);
  // aux: per axis, the input offset each output coordinate reads (-1: the pad constant).
  const offsets: number[] = [];
  const starts: number[] = [];
  x.forEach((d, k) => {
    starts.push(offsets.length);
    for (const src of padAxisMap(call.op, d, pads[k]!, pads[k + rank]!, outShape[k]!, mode)) offsets.push(src < 0 ? -1 : src * strides[k]!);
  });
  const total = size(outShape);
  const lines = ['  var rem = i;', '  var off = 0i;', '  var inside = true;'];
  for (let k = rank - 1; k >= 0; k--) {
    const d = outShape[k]!;
    lines.push(
      `  { let c = rem % ${u(d)}; rem = rem / ${u(d)}; let o = aux[${u(starts[k]!)} + c]; inside = inside && o >= 0i; off += o; }`,
    );
  }
  lines.push(`  out[i] = select(${f32Literal(value)}, in0[u32(max(off, 0i))], inside);`);
  return {
    code: `${bindingsWgsl(1, true)}\n${elementwiseEntry(total, lines.join('\n'))}`,
    threads: total,
    inputs: [0],
    aux: Int32Array.from(offsets.length === 0 ? [0] : offsets),
  };
}

/**
 * Concat along any axis: the output's element (outer, a, inner) comes from the input whose slice
 * of the axis holds `a`. `aux` lists, per input, its first index on the axis.
 */
export function planConcat(call: ShapedCall & { op: 'Concat'; attrs: Extract<OpCall, { op: 'Concat' }>['attrs'] }): KernelPlan {
  const shapes = call.inputs.map((s, k) => {
    if (s === undefined) throw new ShapeError(`Concat: input ${k} is missing.`);
    return s;
  });
  const g = concatGeometry(call.op, call.attrs.axis, shapes);
  expectShape(call.op, call.outputShape, g.outShape);
  const axisTotal = g.outShape[g.axis]!;
  const total = size(g.outShape);
  const lines = [
    `  let inner = i % ${u(g.inner)};`,
    `  let a = (i / ${u(g.inner)}) % ${u(axisTotal)};`,
    `  let outer = i / ${u(g.inner * axisTotal)};`,
  ];
  let start = 0;
  shapes.forEach((s, k) => {
    const len = s[g.axis]!;
    if (len === 0) return;
    lines.push(
      `  if (a >= ${u(start)} && a < ${u(start + len)}) { out[i] = in${k}[(outer * ${u(len)} + a - ${u(start)}) * ${u(g.inner)} + inner]; return; }`,
    );
    start += len;
  });
  return {
    code: `${bindingsWgsl(shapes.length, false)}\n${elementwiseEntry(total, lines.join('\n'))}`,
    threads: total,
    inputs: shapes.map((_, k) => k),
  };
}
