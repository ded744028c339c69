import { UnsupportedOpError } from '@motiondelta/core';
import { makeNode } from '../../../ir/graph.js';
import type { ImportContext, OnnxNode } from '../context.js';
import { layoutOf } from './activation.js';
import { emitBroadcastBinary } from './elementwise.js';

const CHAIN_OPS = { Max: 'Max', Min: 'Min', Sum: 'Add', Mean: 'Add' } as const;

/**
 * Max, Min, Sum and Mean of any number of broadcasting inputs, as a chain of binary IR nodes
 * (Max, Min, or Add; Mean then multiplies by 1/n). The last node of the chain carries the ONNX
 * node's name and output; partial results get derived names.
 */
export function convertVariadic(node: OnnxNode, ctx: ImportContext): void {
  const op = CHAIN_OPS[node.opType as keyof typeof CHAIN_OPS];
  if (op === undefined) throw new UnsupportedOpError(node.opType, node.name);
  const names = node.proto.input.filter((n) => n !== '');
  const [output = ''] = node.proto.output;
  if (names.length === 0) throw new UnsupportedOpError(node.opType, node.name, 'it has no inputs; accepted: one or more');
  if (names.length === 1) {
    const layout = layoutOf(ctx, names[0]!, node);
    ctx.emit(makeNode(node.name, 'Identity', {}, [ctx.use(names[0]!, layout, node)], [output]));
    ctx.defineRuntime(output, layout, ctx.dims(names[0]!, node));
    return;
  }
  const mean = node.opType === 'Mean';
  let acc = names[0]!;
  for (let i = 1; i < names.length; i++) {
    const last = i === names.length - 1 && !mean;
    const out = last ? output : ctx.claimValueName(`${output}/partial_${i}`);
    emitBroadcastBinary(node, ctx, op, acc, names[i]!, out, last ? node.name : ctx.claimNodeName(`${node.name}/partial_${i}`));
    acc = out;
  }
  if (mean) {
    const scale = ctx.claimValueName(`${output}/1_over_${names.length}`);
    ctx.define(scale, { kind: 'float', dims: [], data: Float32Array.of(1 / names.length) });
    emitBroadcastBinary(node, ctx, 'Mul', acc, scale, output, node.name);
  }
}
