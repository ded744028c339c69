import { UnsupportedOpError, formatShape } from '@motiondelta/core';
import type { TfNode } from './graph-def.js';
import type { GraphImportContext } from './graph-context.js';
import { INT_ARITHMETIC, foldArithmetic, isRuntimeDim, stridedSlice1d } from './folded-ints.js';
import type { FoldedInts, RuntimeDim } from './folded-ints.js';

/**
 * Shape arithmetic, folded at import time: `Shape` of a value becomes its static dimensions, and
 * the int32 ops that combine them (StridedSlice, Pack, ConcatV2, SparseToDense, integer
 * arithmetic, Cast, Identity) are evaluated, so a Reshape or a transposed convolution downstream reads constants.
 * Returns true when `node` was folded; false leaves it to the float converters.
 */
export function foldShapeArithmetic(node: TfNode, ctx: GraphImportContext): boolean {
  if (node.op === 'Shape') {
    foldShape(node, ctx);
    return true;
  }
  const inputs = node.inputs.map((_, i) => ctx.foldedInts(node, i));
  const all = inputs.every((x): x is FoldedInts => x !== undefined);
  if (!all || inputs.length === 0) return false;
  const arithmetic = INT_ARITHMETIC[node.op];
  let result: FoldedInts | undefined;
  if (arithmetic !== undefined && inputs.length === 2) {
    result = foldArithmetic(arithmetic, inputs[0]!, inputs[1]!);
    if (result === undefined) {
      throw new UnsupportedOpError(
        node.op,
        node.name,
        `integer operands of shapes ${formatShape(inputs[0]!.shape)} and ${formatShape(inputs[1]!.shape)} (accepted: equal lengths or one scalar, no division by 0)`,
      );
    }
  } else if (node.op === 'StridedSlice') {
    result = foldStridedSlice(node, ctx, inputs[0]!);
  } else if (node.op === 'Pack') {
    result = foldPack(node, ctx, inputs);
  } else if (node.op === 'ConcatV2') {
    result = foldConcat(node, inputs);
  } else if (node.op === 'SparseToDense') {
    result = foldSparseToDense(node, inputs);
  } else if (node.op === 'Identity' || node.op === 'StopGradient' || node.op === 'Snapshot') {
    result = inputs[0]!;
  } else if (node.op === 'Cast') {
    return foldCast(node, ctx, inputs[0]!);
  } else {
    return false;
  }
  ctx.defineFoldedInts(node.name, result);
  return true;
}

function foldShape(node: TfNode, ctx: GraphImportContext): void {
  const folded = ctx.foldedInts(node, 0);
  if (folded !== undefined) {
    ctx.defineFoldedInts(node.name, { shape: [folded.shape.length], data: [...folded.shape] });
    return;
  }
  const value = ctx.inputAllowingIntegers(node, 0);
  const [a, b] = ctx.prober.shapes(node);
  const s0 = a.get(value);
  const s1 = b.get(value);
  if (s0 === undefined || s1 === undefined) {
    throw new UnsupportedOpError(node.op, node.name, `the shape of '${value}' is not known at import time`);
  }
  const data = s0.map((d, axis): number | RuntimeDim => (d === s1[axis] ? d : { runtime: true, source: { value, axis } }));
  ctx.defineFoldedInts(node.name, { shape: [data.length], data });
}

function foldStridedSlice(node: TfNode, ctx: GraphImportContext, x: FoldedInts): FoldedInts {
  const a = ctx.attrs(node);
  if (a.int('ellipsis_mask', 0) !== 0 || a.int('new_axis_mask', 0) !== 0 || x.shape.length !== 1) {
    throw new UnsupportedOpError(
      node.op,
      node.name,
      `a slice of an integer tensor of shape ${formatShape(x.shape)} with ellipsis or new axes (accepted: a plain slice of a vector)`,
    );
  }
  const one = (index: number, what: string) => {
    const t = ctx.intConst(node, index, what);
    ctx.expectSize(node, what, t.shape, 1, 'one value (the tensor is a vector)');
    return t.data[0]!;
  };
  const masks = { begin: a.int('begin_mask', 0), end: a.int('end_mask', 0), shrink: a.int('shrink_axis_mask', 0) };
  const result = stridedSlice1d(x, one(1, 'begin'), one(2, 'end'), one(3, 'strides'), masks);
  if (typeof result === 'string') throw new UnsupportedOpError(node.op, node.name, result);
  return result;
}

/** Pack of integer scalars (or vectors, along axis 0) into a vector: how shapes are assembled. */
function foldPack(node: TfNode, ctx: GraphImportContext, inputs: readonly FoldedInts[]): FoldedInts {
  const axis = ctx.attrs(node).int('axis', 0);
  const first = inputs[0]!;
  if (axis !== 0 || first.shape.length > 1 || inputs.some((x) => formatShape(x.shape) !== formatShape(first.shape))) {
    throw new UnsupportedOpError(
      node.op,
      node.name,
      `a pack of integer tensors along axis ${axis} (accepted: equal scalars or vectors, axis 0)`,
    );
  }
  return { shape: [inputs.length, ...first.shape], data: inputs.flatMap((x) => [...x.data]) };
}

function foldConcat(node: TfNode, inputs: readonly FoldedInts[]): FoldedInts {
  const parts = inputs.slice(0, -1);
  const axis = inputs[inputs.length - 1]!;
  if (axis.data.length !== 1 || parts.some((x) => x.shape.length !== 1)) {
    throw new UnsupportedOpError(node.op, node.name, 'a concatenation of integer tensors other than vectors');
  }
  const data = parts.flatMap((x) => [...x.data]);
  return { shape: [data.length], data };
}

/**
 * SparseToDense of integer constants into a vector (ONNX-converted graphs build pads this way):
 * `default_value` everywhere, `sparse_values` at `sparse_indices`.
 */
function foldSparseToDense(node: TfNode, inputs: readonly FoldedInts[]): FoldedInts {
  const [indices, outputShape, values, fallback] = inputs as [FoldedInts, FoldedInts, FoldedInts, FoldedInts];
  const size = outputShape.data[0];
  const known = (x: FoldedInts) => !x.data.some(isRuntimeDim);
  if (outputShape.data.length !== 1 || typeof size !== 'number' || size > 1 << 16 || !known(indices) || fallback.data.length !== 1) {
    throw new UnsupportedOpError(node.op, node.name, 'a SparseToDense other than into a short vector of integer constants');
  }
  const data: (number | RuntimeDim)[] = Array.from({ length: size }, () => fallback.data[0]!);
  indices.data.forEach((index, k) => {
    const i = index as number;
    if (i < 0 || i >= size) throw new UnsupportedOpError(node.op, node.name, `index ${i} outside a vector of ${size}`);
    data[i] = values.data[values.data.length === 1 ? 0 : k]!;
  });
  return { shape: [size], data };
}

/** Cast of folded integers: to an integer type they stay folded; to float they become a constant. */
function foldCast(node: TfNode, ctx: GraphImportContext, x: FoldedInts): boolean {
  const to = ctx.attrs(node).type('DstT');
  if (to === 'DT_INT32' || to === 'DT_INT64') {
    ctx.defineFoldedInts(node.name, x);
    return true;
  }
  if (to !== 'DT_FLOAT' || x.data.some(isRuntimeDim)) return false;
  ctx.defineFloatConst(node.name, { data: Float32Array.from(x.data as number[]), shape: [...x.shape] });
  return true;
}

/**
 * Cast of computed data: float to float, or an integer graph input to float (sessions already
 * converted it), is the identity; anything that truncates to integers is not in the IR.
 */
export function convertCast(node: TfNode, ctx: GraphImportContext): void {
  const a = ctx.attrs(node);
  const to = a.type('DstT');
  const value = ctx.inputAllowingIntegers(node, 0);
  const from = ctx.integerInputDtype(value) ?? a.type('SrcT') ?? 'DT_FLOAT';
  const converts = to === 'DT_FLOAT' && (from === 'DT_FLOAT' || ctx.integerInputDtype(value) !== undefined);
  if (!converts) {
    throw new UnsupportedOpError(node.op, node.name, `a cast from ${from} to ${to ?? '?'} of computed values (accepted: to DT_FLOAT)`);
  }
  ctx.define(node.name, ctx.builder.add(node.name, 'Identity', {}, [value]));
}

/**
 * Pack of computed tensors: each gains the new axis, then they are concatenated along it (one
 * input is just the new axis).
 */
export function convertPack(node: TfNode, ctx: GraphImportContext): void {
  const axis = ctx.attrs(node).int('axis', 0);
  const parts = node.inputs.map((_, i) => ctx.builder.add(`${node.name}/expand_${i}`, 'Unsqueeze', { axes: [axis] }, [ctx.input(node, i)]));
  if (parts.length === 0) throw new UnsupportedOpError(node.op, node.name, 'a pack of no tensors');
  ctx.define(node.name, parts.length === 1 ? parts[0]! : ctx.builder.add(node.name, 'Concat', { axis }, parts));
}

/**
 * The target shape of a Reshape as IR attributes. A run-time entry (the batch, usually) becomes 0
 * (copy the input's dimension) when it is the input's own dimension at that position, which the
 * probe shapes tell; else -1 when it is the only unknown entry.
 */
export function reshapeTarget(node: TfNode, ctx: GraphImportContext, input: string): number[] {
  const target = ctx.foldedInts(node, 1);
  if (target === undefined) return [...ctx.intConst(node, 1, 'shape').data];
  // In the IR a 0 copies the input dimension (ONNX); in TF it is an empty dimension.
  if (target.data.includes(0)) {
    throw new UnsupportedOpError(node.op, node.name, `target shape ${describeFolded(target)} has an empty dimension`);
  }
  if (!target.data.some(isRuntimeDim)) return target.data as number[];
  const [a, b] = ctx.prober.shapes(node);
  const same = (position: number, dim: RuntimeDim) => {
    const source = dim.source;
    if (source === undefined) return false;
    return [a, b].every((shapes) => {
      const mine = shapes.get(input)?.[position];
      return mine !== undefined && mine === shapes.get(source.value)?.[source.axis];
    });
  };
  let unknown = target.data.some((d) => d === -1) ? 1 : 0;
  const shape = target.data.map((d, position) => {
    if (!isRuntimeDim(d)) return d;
    if (same(position, d)) return 0;
    unknown += 1;
    return -1;
  });
  if (unknown > 1) {
    throw new UnsupportedOpError(
      node.op,
      node.name,
      'its target shape has more than one entry known only at run time (the input size is left open); fix the input size',
    );
  }
  return shape;
}

/** `[?,16,2]`: run-time entries as `?`. */
function describeFolded(x: FoldedInts): string {
  return `[${x.data.map((d) => (isRuntimeDim(d) ? '?' : d)).join(',')}]`;
}
