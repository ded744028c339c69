import { UnsupportedOpError } from '@motiondelta/core';
import type { ReduceKind } from '@motiondelta/core';
import { makeNode } from '../../../ir/graph.js';
import type { ImportContext, OnnxNode } from '../context.js';
import type { Dims } from '../dims.js';
import { NCHW_TO_NHWC, nhwcAxisOf } from '../permute.js';
import { layoutOf } from './activation.js';

const REDUCE_KINDS: Readonly<Record<string, ReduceKind>> = {
  ReduceMean: 'mean',
  ReduceMax: 'max',
  ReduceMin: 'min',
  ReduceSum: 'sum',
  ReduceProd: 'prod',
  ReduceL1: 'l1',
  ReduceL2: 'l2',
  ReduceSumSquare: 'sumSquare',
  ReduceLogSum: 'logSum',
  ReduceLogSumExp: 'logSumExp',
};

/** The ONNX Reduce ops the importer converts. */
export const ONNX_REDUCE_OPS: readonly string[] = Object.keys(REDUCE_KINDS);

/**
 * ReduceMean/Max/Min/Sum/Prod/L1/L2/SumSquare/LogSum/LogSumExp. Axes come from the `axes` attribute
 * before opset 18 (ReduceSum: before 13) and from a constant second input since; no axes means
 * every axis, or none with `noop_with_empty_axes`.
 */
export function convertReduce(node: OnnxNode, ctx: ImportContext): void {
  const kind = REDUCE_KINDS[node.opType];
  if (kind === undefined) throw new UnsupportedOpError(node.opType, node.name);
  const [x = '', axesInput = ''] = node.proto.input;
  const rank = ctx.rank(x, node);
  const axesFromInput = node.opType === 'ReduceSum' ? ctx.opset >= 13 : ctx.opset >= 18;
  let axes: readonly number[] | undefined;
  if (axesFromInput) {
    if (node.attrs.has('axes')) {
      throw new UnsupportedOpError(node.opType, node.name, `opset ${ctx.opset} takes axes as its second input, not as an attribute`);
    }
    axes = axesInput === '' ? undefined : ctx.intConstant(axesInput, node, 'axes');
  } else {
    axes = node.attrs.ints('axes');
  }
  const noop = node.attrs.int('noop_with_empty_axes', 0) !== 0;
  const listed = axes === undefined || axes.length === 0 ? (noop ? [] : Array.from({ length: rank }, (_, i) => i)) : axes;
  emitReduce(node, ctx, kind, normalizeAxes(node, listed, rank), node.attrs.int('keepdims', 1) !== 0);
}

/** GlobalMaxPool: the maximum over every spatial axis, kept as 1s (NCHW [N,C,H,W] -> [N,C,1,1]). */
export function convertGlobalMaxPool(node: OnnxNode, ctx: ImportContext): void {
  const [x = ''] = node.proto.input;
  const rank = ctx.rank(x, node);
  if (rank < 3) throw new UnsupportedOpError(node.opType, node.name, `input has rank ${rank}; accepted: [N, C, spatial...] (rank >= 3)`);
  emitReduce(
    node,
    ctx,
    'max',
    Array.from({ length: rank - 2 }, (_, i) => i + 2),
    true,
  );
}

function normalizeAxes(node: OnnxNode, axes: readonly number[], rank: number): number[] {
  const out = axes.map((a) => (a < 0 ? a + rank : a));
  out.forEach((a, i) => {
    if (!Number.isInteger(a) || a < 0 || a >= rank) {
      throw new UnsupportedOpError(node.opType, node.name, `axis ${axes[i]} is out of range for rank ${rank}`);
    }
  });
  if (new Set(out).size !== out.length) throw new UnsupportedOpError(node.opType, node.name, `axes [${axes.join(',')}] repeat an axis`);
  return out;
}

/**
 * Emits a Reduce over ONNX axes `axes` (normalized). An NHWC input stays NHWC when the axes left
 * keep their ONNX order in storage (dims kept, or C reduced, or H and W both reduced); otherwise
 * it is read in ONNX order, so the output is laid out as ONNX shapes it.
 */
function emitReduce(node: OnnxNode, ctx: ImportContext, kind: ReduceKind, axes: readonly number[], keepDims: boolean): void {
  const [x = ''] = node.proto.input;
  const [output = ''] = node.proto.output;
  const dims = ctx.dims(x, node);
  const reduced = new Set(axes);
  const outDims: Dims = keepDims ? dims.map((d, i) => (reduced.has(i) ? 1 : d)) : dims.filter((_, i) => !reduced.has(i));
  let nhwc = dims.length === 4 && layoutOf(ctx, x, node) === 'nhwc';
  if (nhwc && !keepDims) {
    const keptOnnx = [0, 1, 2, 3].filter((a) => !reduced.has(a));
    const keptStored = NCHW_TO_NHWC.filter((a) => !reduced.has(a));
    nhwc = keptOnnx.every((a, i) => keptStored[i] === a);
  }
  const storedAxes = nhwc ? axes.map(nhwcAxisOf).sort((a, b) => a - b) : [...axes];
  ctx.emit(makeNode(node.name, 'Reduce', { kind, axes: storedAxes, keepDims }, [ctx.use(x, nhwc ? 'nhwc' : 'plain', node)], [output]));
  ctx.defineRuntime(output, nhwc ? 'nhwc' : 'plain', outDims);
}
