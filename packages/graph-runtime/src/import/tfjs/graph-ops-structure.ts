import { UnsupportedOpError, formatShape } from '@motiondelta/core';
import type { ReduceKind } from '@motiondelta/core';
import { requireNhwc } from './graph-ops-conv.js';
import { convertMean } from './graph-ops-layout.js';
import type { TfNode } from './graph-def.js';
import type { GraphImportContext } from './graph-context.js';

/**
 * TF.js graph ops that select, rearrange or reduce values: Mean/Max/Min/Sum/Prod, Slice,
 * StridedSlice, Split/SplitV, DepthToSpace/SpaceToDepth. TF tensors are NHWC already, so axes
 * pass through; the graph importer knows no static shapes, so every size must come from constants.
 */

/** "To the end of the axis" in Slice ends: clamped to the axis by the IR (ONNX semantics). */
const TO_END = Number.MAX_SAFE_INTEGER;

const REDUCE_KINDS: Readonly<Record<string, ReduceKind>> = { Mean: 'mean', Max: 'max', Min: 'min', Sum: 'sum', Prod: 'prod' };

/** Reductions over constant axes (`keep_dims`); Mean over H and W stays a GlobalAvgPool (it has a delta form). */
export function convertReduce(node: TfNode, ctx: GraphImportContext): void {
  const kind = REDUCE_KINDS[node.op];
  if (kind === undefined) throw new UnsupportedOpError(node.op, node.name);
  const axes = [...ctx.intConst(node, 1, 'reduction axes').data];
  const spatial = [...axes].sort((a, b) => a - b);
  if (kind === 'mean' && ((spatial[0] === 1 && spatial[1] === 2) || (spatial[0] === -3 && spatial[1] === -2)) && spatial.length === 2) {
    convertMean(node, ctx);
    return;
  }
  const keepDims = ctx.attrs(node).bool('keep_dims', false);
  ctx.define(node.name, ctx.builder.add(node.name, 'Reduce', { kind, axes, keepDims }, [ctx.input(node, 0)]));
}

/** Slice(x, begin, size): `size` -1 takes the rest of the axis. */
export function convertSlice(node: TfNode, ctx: GraphImportContext): void {
  const begin = [...ctx.intConst(node, 1, 'begin').data];
  const size = [...ctx.intConst(node, 2, 'size').data];
  if (size.length !== begin.length || begin.some((b) => b < 0) || size.some((s) => s < -1)) {
    throw new UnsupportedOpError(
      node.op,
      node.name,
      `begin ${formatShape(begin)} and size ${formatShape(size)} (accepted: one value per axis, begin >= 0, size >= -1)`,
    );
  }
  const attrs = {
    starts: begin,
    ends: begin.map((b, i) => (size[i] === -1 ? TO_END : b + size[i]!)),
    axes: begin.map((_, i) => i),
    steps: begin.map(() => 1),
  };
  ctx.define(node.name, ctx.builder.add(node.name, 'Slice', attrs, [ctx.input(node, 0)]));
}

/**
 * StridedSlice with constant begin/end/strides, begin_mask, end_mask and shrink_axis_mask (a
 * shrunk axis is sliced to one index, then squeezed). ellipsis_mask and new_axis_mask need the
 * input's rank, which the importer does not know: they are unsupported.
 */
export function convertStridedSlice(node: TfNode, ctx: GraphImportContext): void {
  const a = ctx.attrs(node);
  const begin = [...ctx.intConst(node, 1, 'begin').data];
  const end = [...ctx.intConst(node, 2, 'end').data];
  const strides = [...ctx.intConst(node, 3, 'strides').data];
  for (const mask of ['ellipsis_mask', 'new_axis_mask']) {
    if (a.int(mask, 0) !== 0) throw new UnsupportedOpError(node.op, node.name, `${mask} ${a.int(mask, 0)} (accepted: 0)`);
  }
  if (end.length !== begin.length || strides.length !== begin.length || strides.some((s) => s === 0)) {
    throw new UnsupportedOpError(
      node.op,
      node.name,
      `begin ${formatShape(begin)}, end ${formatShape(end)}, strides ${formatShape(strides)} (accepted: one value per axis, non-zero strides)`,
    );
  }
  const beginMask = a.int('begin_mask', 0);
  const endMask = a.int('end_mask', 0);
  const shrinkMask = a.int('shrink_axis_mask', 0);
  const starts: number[] = [];
  const ends: number[] = [];
  const steps: number[] = [];
  const shrunk: number[] = [];
  begin.forEach((b, i) => {
    const bit = 1 << i;
    if (shrinkMask & bit) {
      // One index; -1 ends at 0, which for a positive step means "to the end".
      starts.push(b);
      ends.push(b === -1 ? TO_END : b + 1);
      steps.push(1);
      shrunk.push(i);
      return;
    }
    const step = strides[i]!;
    steps.push(step);
    starts.push(beginMask & bit ? (step > 0 ? 0 : TO_END) : b);
    ends.push(endMask & bit ? (step > 0 ? TO_END : -TO_END) : end[i]!);
  });
  const attrs = { starts, ends, axes: begin.map((_, i) => i), steps };
  if (shrunk.length === 0) {
    ctx.define(node.name, ctx.builder.add(node.name, 'Slice', attrs, [ctx.input(node, 0)]));
    return;
  }
  const sliced = ctx.builder.add(`${node.name}/slice`, 'Slice', attrs, [ctx.input(node, 0)]);
  ctx.define(node.name, ctx.builder.add(node.name, 'Squeeze', { axes: shrunk }, [sliced]));
}

/**
 * Split (axis, value; `num_split` equal parts) and SplitV (value, size_splits, axis), as one Slice
 * per output: output 0 is the node's name, output i is `name:i`. Parts after a -1 in size_splits
 * are placed from the end of the axis, so no length needs to be known; an equal Split takes the
 * axis length from the import's shape probe.
 */
export function convertSplit(node: TfNode, ctx: GraphImportContext): void {
  const v = node.op === 'SplitV';
  const axisConst = ctx.intConst(node, v ? 2 : 0, 'axis');
  ctx.expectSize(node, 'axis', axisConst.shape, 1, 'a scalar');
  const axis = axisConst.data[0]!;
  const x = ctx.input(node, v ? 0 : 1);
  let sizes: number[];
  if (v) {
    sizes = [...ctx.intConst(node, 1, 'size_splits').data];
  } else {
    const parts = ctx.attrs(node).int('num_split', 1);
    sizes = parts === 1 ? [-1] : equalParts(node, ctx, x, axis, parts);
  }
  const inferred = sizes.indexOf(-1);
  if (sizes.some((s) => s < -1 || !Number.isInteger(s)) || sizes.filter((s) => s === -1).length > 1 || sizes.length === 0) {
    throw new UnsupportedOpError(node.op, node.name, `size_splits ${formatShape(sizes)} (accepted: sizes >= 0, at most one -1)`);
  }
  // Bounds of each part: from the start up to the -1, from the end after it.
  const after = (i: number): number => sizes.slice(i + 1).reduce((s, d) => s + d, 0);
  sizes.forEach((size, i) => {
    const fromEnd = inferred >= 0 && i > inferred;
    const start = fromEnd ? -(after(i) + size) : sizes.slice(0, i).reduce((s, d) => s + d, 0);
    const end = fromEnd || i === inferred ? (after(i) === 0 ? TO_END : -after(i)) : start + size;
    const name = i === 0 ? node.name : `${node.name}:${i}`;
    const attrs = { starts: [start], ends: [end], axes: [axis], steps: [1] };
    ctx.define(name, ctx.builder.add(i === 0 ? node.name : `${node.name}/${i}`, 'Slice', attrs, [x]));
  });
}

/**
 * Sizes of an equal split: the axis length comes from the import's shape probe (the partial graph
 * planned for two input sizes), and must be the same under both, i.e. not depend on the input size.
 */
function equalParts(node: TfNode, ctx: GraphImportContext, x: string, axis: number, parts: number): number[] {
  const lengths = ctx.prober.shapes(node).map((shapes) => {
    const shape = shapes.get(x);
    if (shape === undefined) return undefined;
    const a = axis < 0 ? axis + shape.length : axis;
    return shape[a];
  });
  const [length] = lengths;
  if (length === undefined || lengths[1] !== length) {
    throw new UnsupportedOpError(
      node.op,
      node.name,
      `an equal split into ${parts} parts needs a static length of axis ${axis}, and that length depends on the input size; accepted: SplitV with size_splits`,
    );
  }
  if (!Number.isInteger(parts) || parts < 1 || length % parts !== 0) {
    throw new UnsupportedOpError(node.op, node.name, `num_split ${parts} does not divide the length ${length} of axis ${axis}`);
  }
  return new Array<number>(parts).fill(length / parts);
}

/** DepthToSpace (TF's order is DCR) and SpaceToDepth, NHWC only. */
export function convertDepthSpace(node: TfNode, ctx: GraphImportContext): void {
  const a = ctx.attrs(node);
  requireNhwc(node, a);
  const blockSize = a.int('block_size');
  const x = ctx.input(node, 0);
  if (node.op === 'DepthToSpace') ctx.define(node.name, ctx.builder.add(node.name, 'DepthToSpace', { blockSize, mode: 'DCR' }, [x]));
  else ctx.define(node.name, ctx.builder.add(node.name, 'SpaceToDepth', { blockSize }, [x]));
}
