import { UnsupportedOpError } from '@motiondelta/core';
import { makeNode } from '../../../ir/graph.js';
import type { ImportContext, OnnxNode } from '../context.js';
import { broadcastDims } from '../dims.js';

const BINARY_OPS = { Add: 'Add', Sub: 'Sub', Mul: 'Mul', Div: 'Div' } as const;

/**
 * Add/Sub/Mul/Div. When a 4-D operand is stored NHWC and the result is 4-D, the result stays
 * NHWC and every other operand is re-laid-out to broadcast the same way it did in NCHW.
 */
export function convertBinary(node: OnnxNode, ctx: ImportContext): void {
  const op = BINARY_OPS[node.opType as keyof typeof BINARY_OPS];
  if (op === undefined) throw new UnsupportedOpError(node.opType, node.name);
  const [a = '', b = ''] = node.proto.input;
  const [output = ''] = node.proto.output;
  emitBroadcastBinary(node, ctx, op, a, b, output, node.name);
}

/**
 * Emits one broadcasting binary node `output = op(a, b)` named `name` (a value of `node`'s): the
 * result stays NHWC when a 4-D operand is stored so, the other operand re-laid-out to broadcast
 * as it did in NCHW. Variadic ops (Max, Min, Sum, Mean) are chains of these.
 */
export function emitBroadcastBinary(
  node: OnnxNode,
  ctx: ImportContext,
  op: 'Add' | 'Sub' | 'Mul' | 'Div' | 'Max' | 'Min',
  a: string,
  b: string,
  output: string,
  name: string,
): void {
  const dims = broadcastDims([ctx.dims(a, node), ctx.dims(b, node)]);
  const operands = [ctx.get(a, node), ctx.get(b, node)];
  const nhwc = dims.length === 4 && operands.some((v) => v.kind === 'runtime' && v.layout === 'nhwc');
  const inputs = nhwc
    ? [ctx.useBroadcastNhwc(a, node), ctx.useBroadcastNhwc(b, node)]
    : [ctx.use(a, 'plain', node), ctx.use(b, 'plain', node)];
  ctx.emit(makeNode(name, op, {}, inputs, [output]));
  ctx.defineRuntime(output, nhwc ? 'nhwc' : 'plain', dims);
}
