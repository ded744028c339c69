import { UnsupportedOpError, type ActivationSpec } from '@motiondelta/core';
import { makeNode } from '../../../ir/graph.js';
import type { ImportContext, Layout, OnnxNode } from '../context.js';
import { emitBroadcastPRelu } from './prelu-broadcast.js';

/** The layout an elementwise op keeps: the input's own (constants count as plain). */
export function layoutOf(ctx: ImportContext, name: string, node: OnnxNode): Layout {
  const value = ctx.get(name, node);
  return value.kind === 'runtime' ? value.layout : 'plain';
}

/** Emits `activation` on the node's first input, in that input's layout unless `layout` is given. */
export function emitActivation(node: OnnxNode, ctx: ImportContext, activation: ActivationSpec, layout?: Layout): void {
  const [x = ''] = node.proto.input;
  const keep = layout ?? layoutOf(ctx, x, node);
  const xIr = ctx.use(x, keep, node);
  const [output = ''] = node.proto.output;
  ctx.emit(makeNode(node.name, 'Activation', { activation }, [xIr], [output]));
  ctx.defineRuntime(output, keep, ctx.dims(x, node));
}

/** Activations with attributes only (no tensor inputs besides x). */
export function convertSimpleActivation(node: OnnxNode, ctx: ImportContext): void {
  const a = node.attrs;
  switch (node.opType) {
    case 'Relu':
      return emitActivation(node, ctx, { kind: 'relu' });
    case 'Sigmoid':
      return emitActivation(node, ctx, { kind: 'sigmoid' });
    case 'Tanh':
      return emitActivation(node, ctx, { kind: 'tanh' });
    case 'HardSwish':
      return emitActivation(node, ctx, { kind: 'hardSwish' });
    case 'LeakyRelu':
      return emitActivation(node, ctx, { kind: 'leakyRelu', alpha: a.float('alpha', 0.01) });
    case 'HardSigmoid':
      return emitActivation(node, ctx, { kind: 'hardSigmoid', alpha: a.float('alpha', 0.2), beta: a.float('beta', 0.5) });
    default:
      throw new UnsupportedOpError(node.opType, node.name);
  }
}

function scalarInput(node: OnnxNode, ctx: ImportContext, name: string | undefined, role: string, fallback: number): number {
  if (name === undefined || name === '') return fallback;
  const value = ctx.floatConstant(name, node, role);
  if (value.data.length !== 1) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `its ${role} input '${name}' must be a scalar, it has ${value.data.length} values`,
    );
  }
  return value.data[0]!;
}

export function convertClip(node: OnnxNode, ctx: ImportContext): void {
  let min: number;
  let max: number;
  if (ctx.opset < 11) {
    // Before opset 11 the bounds were attributes, defaulting to the float range.
    min = node.attrs.float('min', -Infinity);
    max = node.attrs.float('max', Infinity);
  } else {
    min = scalarInput(node, ctx, node.proto.input[1], 'min', -Infinity);
    max = scalarInput(node, ctx, node.proto.input[2], 'max', Infinity);
  }
  emitActivation(node, ctx, { kind: 'clip', min, max });
}

export function convertPRelu(node: OnnxNode, ctx: ImportContext): void {
  const [x = '', slopeName = ''] = node.proto.input;
  const slope = ctx.floatConstant(slopeName, node, 'slope');
  const rank = ctx.rank(x, node);
  // Before opset 7, a 1-D slope of C values ran along the channel axis (1), not the last one.
  const dims = ctx.opset < 7 && slope.dims.length === 1 && rank > 2 ? [...slope.dims, ...new Array<number>(rank - 2).fill(1)] : slope.dims;
  const padded = [...new Array<number>(Math.max(0, rank - dims.length)).fill(1), ...dims];
  const varying = padded.flatMap((d, i) => (d !== 1 ? [i] : []));
  // The IR slope runs along the stored last axis: channels of an NHWC tensor, the last axis otherwise.
  const channelAxis = rank === 4 ? 1 : rank - 1;
  if (padded.length === rank && (varying.length > 1 || (varying.length === 1 && varying[0] !== channelAxis))) {
    // Not along the axis the IR's prelu runs on: composed from relu, Min, Mul and Add instead.
    emitBroadcastPRelu(node, ctx, Float32Array.from(slope.data), padded);
    return;
  }
  if (padded.length !== rank) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `slope '${slopeName}' of shape [${slope.dims.join(',')}] on a rank-${rank} input is not supported; ` +
        'accepted: one value, or one value per channel (e.g. [C,1,1] for NCHW input)',
    );
  }
  emitActivation(node, ctx, { kind: 'prelu', slope: Float32Array.from(slope.data) }, rank === 4 ? 'nhwc' : 'plain');
}
