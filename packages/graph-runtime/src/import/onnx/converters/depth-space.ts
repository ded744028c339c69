import { UnsupportedOpError } from '@motiondelta/core';
import { makeNode } from '../../../ir/graph.js';
import type { ImportContext, OnnxNode } from '../context.js';

/** DepthToSpace (DCR, the default, or CRD) and SpaceToDepth of a 4-D NCHW tensor, run NHWC. */
export function convertDepthSpace(node: OnnxNode, ctx: ImportContext): void {
  const [x = ''] = node.proto.input;
  const [output = ''] = node.proto.output;
  const dims = ctx.dims(x, node);
  if (dims.length !== 4) throw new UnsupportedOpError(node.opType, node.name, `input has rank ${dims.length}; accepted: 4 (NCHW)`);
  const b = node.attrs.int('blocksize', 0);
  if (!Number.isSafeInteger(b) || b < 1) throw new UnsupportedOpError(node.opType, node.name, `blocksize ${b} must be a whole number >= 1`);
  const [n, c, h, w] = dims;
  const xIr = ctx.use(x, 'nhwc', node);
  if (node.opType === 'DepthToSpace') {
    const mode = node.attrs.string('mode', 'DCR');
    if (mode !== 'DCR' && mode !== 'CRD') throw new UnsupportedOpError(node.opType, node.name, `mode '${mode}'; accepted: DCR, CRD`);
    ctx.emit(makeNode(node.name, 'DepthToSpace', { blockSize: b, mode }, [xIr], [output]));
    ctx.defineRuntime(output, 'nhwc', [n ?? null, c == null ? null : c / (b * b), h == null ? null : h * b, w == null ? null : w * b]);
    return;
  }
  ctx.emit(makeNode(node.name, 'SpaceToDepth', { blockSize: b }, [xIr], [output]));
  ctx.defineRuntime(output, 'nhwc', [n ?? null, c == null ? null : c * b * b, h == null ? null : h / b, w == null ? null : w / b]);
}
