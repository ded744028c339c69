import { UnsupportedOpError } from '@motiondelta/core';
import { makeNode } from '../../../ir/graph.js';
import type { ImportContext, OnnxNode } from '../context.js';
import { broadcastDims } from '../dims.js';

export function convertGemm(node: OnnxNode, ctx: ImportContext): void {
  const [a = '', b = '', c = ''] = node.proto.input;
  const transA = node.attrs.int('transA', 0) !== 0;
  const transB = node.attrs.int('transB', 0) !== 0;
  const aDims = ctx.dims(a, node);
  const bDims = ctx.dims(b, node);
  if (aDims.length !== 2 || bDims.length !== 2) {
    throw new UnsupportedOpError(node.opType, node.name, `A and B must be 2-D; got ranks ${aDims.length} and ${bDims.length}`);
  }
  const [output = ''] = node.proto.output;
  const inputs = [ctx.use(a, 'plain', node), ctx.use(b, 'plain', node), c === '' ? '' : ctx.use(c, 'plain', node)];
  ctx.emit(
    makeNode(node.name, 'Gemm', { alpha: node.attrs.float('alpha', 1), beta: node.attrs.float('beta', 1), transA, transB }, inputs, [
      output,
    ]),
  );
  ctx.defineRuntime(output, 'plain', [aDims[transA ? 1 : 0] ?? null, bDims[transB ? 0 : 1] ?? null]);
}

export function convertMatMul(node: OnnxNode, ctx: ImportContext): void {
  const [a = '', b = ''] = node.proto.input;
  const aDims = ctx.dims(a, node);
  const bDims = ctx.dims(b, node);
  if (aDims.length === 0 || bDims.length === 0) {
    throw new UnsupportedOpError(node.opType, node.name, 'scalar operands are not allowed');
  }
  // Numpy rules: 1-D operands gain a unit axis that is dropped again from the result.
  const a2 = aDims.length === 1 ? [1, aDims[0]!] : aDims;
  const b2 = bDims.length === 1 ? [bDims[0]!, 1] : bDims;
  const batch = broadcastDims([a2.slice(0, -2), b2.slice(0, -2)]);
  const outDims = [...batch, ...(aDims.length === 1 ? [] : [a2[a2.length - 2]!]), ...(bDims.length === 1 ? [] : [b2[b2.length - 1]!])];
  const [output = ''] = node.proto.output;
  ctx.emit(makeNode(node.name, 'MatMul', {}, [ctx.use(a, 'plain', node), ctx.use(b, 'plain', node)], [output]));
  ctx.defineRuntime(output, 'plain', outDims);
}
