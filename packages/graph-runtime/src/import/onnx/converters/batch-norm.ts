import { UnsupportedOpError } from '@motiondelta/core';
import { makeNode } from '../../../ir/graph.js';
import type { ImportContext, OnnxNode } from '../context.js';

/** Inference-mode BatchNormalization; the simplification pass folds it into a neighbour later. */
export function convertBatchNormalization(node: OnnxNode, ctx: ImportContext): void {
  const [x = '', ...params] = node.proto.input;
  const dims = ctx.dims(x, node);
  if (dims.length !== 4 && dims.length !== 2) {
    throw new UnsupportedOpError(node.opType, node.name, `input '${x}' has rank ${dims.length}; accepted: 4 (NCHW) or 2 (NC)`);
  }
  if (node.attrs.int('training_mode', 0) !== 0) {
    throw new UnsupportedOpError(node.opType, node.name, 'training_mode=1 is not supported');
  }
  if (params.length !== 4) {
    throw new UnsupportedOpError(node.opType, node.name, `expected scale, B, mean and var inputs, got ${params.length}`);
  }
  const roles = ['scale', 'B', 'mean', 'var'];
  const channels = dims[1] ?? null;
  const paramIr = params.map((name, i) => {
    const value = ctx.floatConstant(name, node, roles[i]!);
    if (channels !== null && value.data.length !== channels) {
      throw new UnsupportedOpError(
        node.opType,
        node.name,
        `${roles[i]} '${name}' has ${value.data.length} values; the input has ${channels} channels`,
      );
    }
    return ctx.addConstant(name, { data: value.data, shape: [value.data.length] });
  });
  const [output = ''] = node.proto.output;
  ctx.emit(
    makeNode(node.name, 'BatchNorm', { epsilon: node.attrs.float('epsilon', 1e-5) }, [ctx.use(x, 'nhwc', node), ...paramIr], [output]),
  );
  ctx.defineRuntime(output, 'nhwc', dims);
}
