import { UnsupportedOpError } from '@motiondelta/core';
import { makeNode } from '../../../ir/graph.js';
import type { ImportContext, OnnxNode } from '../context.js';
import { isFullyKnown } from '../dims.js';
import { nhwcAxisOf } from '../permute.js';
import { layoutOf } from './activation.js';

/**
 * Softmax over one stored axis, or for LogSoftmax x - log(sum(exp(x))) over it: the Reduce kind
 * `logSumExp` subtracts the maximum first, so large logits stay finite (log(softmax(x)) would
 * give -inf where softmax underflows).
 */
function emitNormalise(node: OnnxNode, ctx: ImportContext, input: string, storedAxis: number, output: string): void {
  if (node.opType !== 'LogSoftmax') {
    ctx.emit(makeNode(node.name, 'Softmax', { axis: storedAxis }, [input], [output]));
    return;
  }
  const lse = ctx.claimValueName(`${output}/log_sum_exp`);
  ctx.emit(
    makeNode(
      ctx.claimNodeName(`${node.name}/log_sum_exp`),
      'Reduce',
      { kind: 'logSumExp', axes: [storedAxis], keepDims: true },
      [input],
      [lse],
    ),
  );
  ctx.emit(makeNode(node.name, 'Sub', {}, [input, lse], [output]));
}

function emitSingleAxis(node: OnnxNode, ctx: ImportContext, axis: number): void {
  const [x = ''] = node.proto.input;
  const [output = ''] = node.proto.output;
  const dims = ctx.dims(x, node);
  const layout = layoutOf(ctx, x, node);
  const storedAxis = layout === 'nhwc' && dims.length === 4 ? nhwcAxisOf(axis) : axis;
  emitNormalise(node, ctx, ctx.use(x, layout, node), storedAxis, output);
  ctx.defineRuntime(output, layout, dims);
}

/** Softmax and LogSoftmax, with the semantics of the model's opset (joint axes before 13). */
export function convertSoftmax(node: OnnxNode, ctx: ImportContext): void {
  const [x = ''] = node.proto.input;
  const dims = ctx.dims(x, node);
  const rank = dims.length;
  const rawAxis = node.attrs.int('axis', ctx.opset < 13 ? 1 : -1);
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
  if (axis < 0 || axis >= rank) {
    throw new UnsupportedOpError(node.opType, node.name, `axis ${rawAxis} is out of range for rank ${rank}`);
  }
  if (ctx.opset >= 13 || axis === rank - 1) {
    emitSingleAxis(node, ctx, axis);
    return;
  }
  // Before opset 13 Softmax normalises jointly over every axis from `axis` on. That is a
  // single-axis softmax when at most one of those axes is longer than 1.
  const trailing = dims.slice(axis);
  if (trailing.every((d) => d !== null)) {
    const longer = trailing.flatMap((d, i) => (d !== 1 ? [axis + i] : []));
    if (longer.length <= 1) {
      emitSingleAxis(node, ctx, longer[0] ?? rank - 1);
      return;
    }
  }
  // Otherwise flatten to 2-D, normalise the rows, and restore the shape.
  if (!isFullyKnown(dims)) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `opset ${ctx.opset} softmax over axes ${axis}..${rank - 1} of an input with unknown dims [${dims.join(',')}] cannot be expressed; ` +
        'accepted: axis = last, or known dims',
    );
  }
  const [output = ''] = node.proto.output;
  const flat = ctx.claimValueName(`${output}/flat`);
  const normalised = ctx.claimValueName(`${output}/flat_softmax`);
  ctx.emit(makeNode(ctx.claimNodeName(`${node.name}/flatten`), 'Flatten', { axis }, [ctx.use(x, 'plain', node)], [flat]));
  emitNormalise(node, ctx, flat, 1, normalised);
  ctx.emit(makeNode(ctx.claimNodeName(`${node.name}/reshape`), 'Reshape', { shape: [...dims] }, [normalised], [output]));
  ctx.defineRuntime(output, 'plain', dims);
}
