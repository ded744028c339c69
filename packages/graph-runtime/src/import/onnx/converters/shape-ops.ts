import { UnsupportedOpError } from '@motiondelta/core';
import { makeNode, type GraphNode } from '../../../ir/graph.js';
import type { ImportContext, OnnxNode } from '../context.js';
import { isFullyKnown, type Dims } from '../dims.js';
import { permuteData, permuteDims } from '../permute.js';
import { layoutOf } from './activation.js';

/**
 * Reshape, Flatten, Transpose, Squeeze and Unsqueeze depend on the NCHW element order, so they
 * run on plain (NCHW) data; their outputs are plain. Applied to a constant they fold away.
 */

function normalizeAxis(node: OnnxNode, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new UnsupportedOpError(node.opType, node.name, `axis ${axis} is out of range for rank ${rank}`);
  }
  return a;
}

/** Emits the op on plain input, or folds it when the input is a float constant. */
function emitShapeOp(node: OnnxNode, ctx: ImportContext, outDims: Dims, build: (input: string, output: string) => GraphNode): void {
  const [x = ''] = node.proto.input;
  const [output = ''] = node.proto.output;
  const constant = ctx.constant(x, node);
  if (constant?.kind === 'float' && isFullyKnown(outDims)) {
    ctx.define(output, { kind: 'float', dims: outDims, data: constant.data });
    return;
  }
  const xIr = ctx.use(x, 'plain', node);
  ctx.emit(build(xIr, output));
  ctx.defineRuntime(output, 'plain', outDims);
}

export function convertReshape(node: OnnxNode, ctx: ImportContext): void {
  const [x = '', shapeName] = node.proto.input;
  const shape = ctx.opset < 5 ? (node.attrs.ints('shape') ?? []) : [...ctx.intConstant(shapeName ?? '', node, 'shape')];
  if (node.attrs.int('allowzero', 0) !== 0 && shape.includes(0)) {
    throw new UnsupportedOpError(node.opType, node.name, 'allowzero=1 with a zero in the target shape is not supported');
  }
  const inDims = ctx.dims(x, node);
  const outDims: (number | null)[] = shape.map((d, i) => (d === 0 ? (inDims[i] ?? null) : d === -1 ? null : d));
  const inferred = shape.indexOf(-1);
  if (inferred >= 0 && isFullyKnown(inDims)) {
    const known = outDims.filter((_, i) => i !== inferred);
    if (known.every((d) => d !== null)) {
      const total = inDims.reduce((p, d) => p * d, 1);
      const rest = (known as number[]).reduce((p, d) => p * d, 1);
      outDims[inferred] = rest === 0 ? 0 : total / rest;
    }
  }
  emitShapeOp(node, ctx, outDims, (i, o) => makeNode(node.name, 'Reshape', { shape }, [i], [o]));
}

export function convertFlatten(node: OnnxNode, ctx: ImportContext): void {
  const [x = ''] = node.proto.input;
  const inDims = ctx.dims(x, node);
  const rawAxis = node.attrs.int('axis', 1);
  const axis = rawAxis < 0 ? rawAxis + inDims.length : rawAxis;
  // Unlike most axes, Flatten's may equal the rank (everything goes into the first dimension).
  if (axis < 0 || axis > inDims.length) {
    throw new UnsupportedOpError(node.opType, node.name, `axis ${rawAxis} is out of range for rank ${inDims.length}`);
  }
  const product = (dims: Dims): number | null => dims.reduce<number | null>((p, d) => (p === null || d === null ? null : p * d), 1);
  const outDims = [product(inDims.slice(0, axis)), product(inDims.slice(axis))];
  emitShapeOp(node, ctx, outDims, (i, o) => makeNode(node.name, 'Flatten', { axis }, [i], [o]));
}

function readAxes(node: OnnxNode, ctx: ImportContext): number[] | undefined {
  if (ctx.opset < 13) return node.attrs.ints('axes');
  const name = node.proto.input[1];
  return name === undefined || name === '' ? undefined : [...ctx.intConstant(name, node, 'axes')];
}

export function convertSqueeze(node: OnnxNode, ctx: ImportContext): void {
  const [x = ''] = node.proto.input;
  const inDims = ctx.dims(x, node);
  let axes = readAxes(node, ctx)?.map((a) => normalizeAxis(node, a, inDims.length));
  if (axes === undefined) {
    if (!isFullyKnown(inDims)) {
      throw new UnsupportedOpError(node.opType, node.name, `without axes the input '${x}' must have known dims at import time`);
    }
    axes = inDims.flatMap((d, i) => (d === 1 ? [i] : []));
  }
  const squeezed = new Set(axes);
  const outDims = inDims.filter((_, i) => !squeezed.has(i));
  const sorted = [...squeezed].sort((p, q) => p - q);
  emitShapeOp(node, ctx, outDims, (i, o) => makeNode(node.name, 'Squeeze', { axes: sorted }, [i], [o]));
}

export function convertUnsqueeze(node: OnnxNode, ctx: ImportContext): void {
  const [x = ''] = node.proto.input;
  const inDims = ctx.dims(x, node);
  const raw = readAxes(node, ctx);
  if (raw === undefined) throw new UnsupportedOpError(node.opType, node.name, 'axes are required');
  const outRank = inDims.length + raw.length;
  const axes = [...new Set(raw.map((a) => normalizeAxis(node, a, outRank)))].sort((p, q) => p - q);
  const outDims: (number | null)[] = [];
  let next = 0;
  for (let i = 0; i < outRank; i++) outDims.push(axes.includes(i) ? 1 : (inDims[next++] ?? null));
  emitShapeOp(node, ctx, outDims, (i, o) => makeNode(node.name, 'Unsqueeze', { axes }, [i], [o]));
}

export function convertTranspose(node: OnnxNode, ctx: ImportContext): void {
  const [x = ''] = node.proto.input;
  const [output = ''] = node.proto.output;
  const inDims = ctx.dims(x, node);
  const rank = inDims.length;
  const perm = node.attrs.ints('perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (perm.length !== rank || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) {
    throw new UnsupportedOpError(node.opType, node.name, `perm [${perm.join(',')}] is not a permutation of ${rank} axes`);
  }
  const outDims = permuteDims(inDims, perm);
  const constant = ctx.constant(x, node);
  if (constant?.kind === 'float') {
    const permuted = permuteData(constant.data, constant.dims, perm);
    ctx.define(output, { kind: 'float', dims: permuted.dims, data: permuted.data });
    return;
  }
  ctx.emit(makeNode(node.name, 'Transpose', { perm }, [ctx.use(x, 'plain', node)], [output]));
  ctx.defineRuntime(output, 'plain', outDims);
}

/** Identity and inference-mode Dropout: the value passes through in whatever layout it has. */
export function convertIdentity(node: OnnxNode, ctx: ImportContext): void {
  const [x = ''] = node.proto.input;
  const [output = ''] = node.proto.output;
  if (node.opType === 'Dropout' && node.proto.input.length > 2 && node.proto.input[2] !== '') {
    const training = ctx.constant(node.proto.input[2]!, node);
    if (training === undefined || training.data.some((v) => v !== 0)) {
      throw new UnsupportedOpError(node.opType, node.name, 'training_mode must be a constant false');
    }
  }
  const constant = ctx.constant(x, node);
  if (constant !== undefined) {
    ctx.define(output, constant);
    return;
  }
  const layout = layoutOf(ctx, x, node);
  ctx.emit(makeNode(node.name, 'Identity', {}, [ctx.use(x, layout, node)], [output]));
  ctx.defineRuntime(output, layout, ctx.dims(x, node));
}
