import { UnsupportedOpError, sliceGeometry } from '@motiondelta/core';
import { makeNode } from '../../../ir/graph.js';
import type { ImportContext, OnnxNode } from '../context.js';
import type { Dims } from '../dims.js';
import { nhwcAxisOf } from '../permute.js';
import { layoutOf } from './activation.js';

/**
 * Slice: starts/ends/axes as attributes before opset 10, then constant inputs with steps. The
 * IR's Slice has ONNX semantics, so values go through unchanged; only axes are rewritten for an
 * NHWC input, which stays NHWC.
 */
export function convertSlice(node: OnnxNode, ctx: ImportContext): void {
  const [x = '', startsIn = '', endsIn = '', axesIn = '', stepsIn = ''] = node.proto.input;
  let starts: readonly number[];
  let ends: readonly number[];
  let axes: readonly number[] | undefined;
  let steps: readonly number[] | undefined;
  if (ctx.opset < 10) {
    starts = node.attrs.ints('starts') ?? [];
    ends = node.attrs.ints('ends') ?? [];
    axes = node.attrs.ints('axes');
  } else {
    starts = ctx.intConstant(startsIn, node, 'starts');
    ends = ctx.intConstant(endsIn, node, 'ends');
    axes = axesIn === '' ? undefined : ctx.intConstant(axesIn, node, 'axes');
    steps = stepsIn === '' ? undefined : ctx.intConstant(stepsIn, node, 'steps');
  }
  const rank = ctx.rank(x, node);
  const onnxAxes = (axes ?? starts.map((_, i) => i)).map((a) => (a < 0 ? a + rank : a));
  const lengths = [ends.length, onnxAxes.length, steps?.length ?? starts.length];
  if (lengths.some((n) => n !== starts.length) || onnxAxes.some((a) => !Number.isInteger(a) || a < 0 || a >= rank)) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `starts [${starts.join(',')}], ends [${ends.join(',')}], axes [${(axes ?? []).join(',')}] and steps [${(steps ?? []).join(',')}] ` +
        `must have one value per sliced axis, each axis in ${-rank}..${rank - 1}`,
    );
  }
  emitSlice(node, ctx, x, node.proto.output[0] ?? '', node.name, {
    starts,
    ends,
    axes: onnxAxes,
    steps: steps ?? starts.map(() => 1),
  });
}

/**
 * Split into Slices, one per output (the IR's nodes have one output each): sizes from the `split`
 * attribute (before opset 13) or constant input, else equal parts (`num_outputs` since opset 18,
 * the last part smaller when the axis does not divide).
 */
export function convertSplit(node: OnnxNode, ctx: ImportContext): void {
  const [x = '', splitIn = ''] = node.proto.input;
  const outputs = node.proto.output;
  const dims = ctx.dims(x, node);
  const rank = dims.length;
  const rawAxis = node.attrs.int('axis', 0);
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
  if (axis < 0 || axis >= rank) throw new UnsupportedOpError(node.opType, node.name, `axis ${rawAxis} is out of range for rank ${rank}`);
  let sizes: readonly number[] | undefined =
    ctx.opset < 13 ? node.attrs.ints('split') : splitIn === '' ? undefined : ctx.intConstant(splitIn, node, 'split');
  const dim = dims[axis];
  if (sizes === undefined || sizes.length === 0) {
    if (dim === null || dim === undefined) {
      throw new UnsupportedOpError(
        node.opType,
        node.name,
        `an equal split of axis ${rawAxis}, whose length is unknown at import, cannot be expressed; accepted: split sizes, or a known length`,
      );
    }
    const parts = ctx.opset >= 18 && node.attrs.has('num_outputs') ? node.attrs.int('num_outputs', outputs.length) : outputs.length;
    const chunk = Math.ceil(dim / parts);
    sizes = Array.from({ length: parts }, (_, i) => Math.max(0, Math.min(chunk, dim - i * chunk)));
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  if (sizes.length !== outputs.length || sizes.some((s) => !Number.isInteger(s) || s < 0) || (dim != null && total !== dim)) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `split sizes [${sizes.join(',')}] must be ${outputs.length} whole numbers >= 0 (one per output) adding up to the length of axis ${rawAxis} (${dim ?? 'unknown'})`,
    );
  }
  let offset = 0;
  sizes.forEach((size, i) => {
    const output = outputs[i]!;
    if (output !== '') {
      const name = i === 0 ? node.name : ctx.claimNodeName(`${node.name}/${i}`);
      emitSlice(node, ctx, x, output, name, { starts: [offset], ends: [offset + size], axes: [axis], steps: [1] });
    }
    offset += size;
  });
}

interface OnnxSlice {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  /** ONNX axes, normalized. */
  readonly axes: readonly number[];
  readonly steps: readonly number[];
}

function emitSlice(node: OnnxNode, ctx: ImportContext, x: string, output: string, name: string, s: OnnxSlice): void {
  const dims = ctx.dims(x, node);
  const nhwc = dims.length === 4 && layoutOf(ctx, x, node) === 'nhwc';
  // Output dims where the input's are known: the IR's own rules, one axis at a time.
  const outDims: Dims = dims.map((d, axis) => {
    const i = s.axes.indexOf(axis);
    if (i < 0 || d === null) return d;
    const one = { starts: [s.starts[i]!], ends: [s.ends[i]!], axes: [0], steps: [s.steps[i]!] };
    return sliceGeometry(`${ctx.location}: node '${node.name}' (${node.opType})`, [d], one).outShape[0]!;
  });
  const attrs = { starts: [...s.starts], ends: [...s.ends], axes: nhwc ? s.axes.map(nhwcAxisOf) : [...s.axes], steps: [...s.steps] };
  ctx.emit(makeNode(name, 'Slice', attrs, [ctx.use(x, nhwc ? 'nhwc' : 'plain', node)], [output]));
  ctx.defineRuntime(output, nhwc ? 'nhwc' : 'plain', outDims);
}
