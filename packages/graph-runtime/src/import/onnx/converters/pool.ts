import { UnsupportedOpError } from '@motiondelta/core';
import { makeNode } from '../../../ir/graph.js';
import type { ImportContext, OnnxNode } from '../context.js';
import { readWindow, windowOutputHW } from '../spatial.js';

function requireRank4(node: OnnxNode, ctx: ImportContext, input: string): void {
  const rank = ctx.rank(input, node);
  if (rank !== 4) {
    throw new UnsupportedOpError(node.opType, node.name, `only 2-D pooling (4-D input) is supported; input '${input}' has rank ${rank}`);
  }
}

function convertWindowPool(node: OnnxNode, ctx: ImportContext, op: 'MaxPool2D' | 'AvgPool2D'): void {
  const [x = ''] = node.proto.input;
  requireRank4(node, ctx, x);
  if (node.proto.output.length > 1 && node.proto.output[1] !== '') {
    throw new UnsupportedOpError(node.opType, node.name, 'the Indices output is not supported');
  }
  const kernel = node.attrs.ints('kernel_shape');
  if (kernel === undefined || kernel.length !== 2) {
    throw new UnsupportedOpError(node.opType, node.name, `kernel_shape [${kernel?.join(',') ?? ''}] must have two values (2-D pooling)`);
  }
  const window = readWindow(node, [kernel[0]!, kernel[1]!]);
  if (window.dilations[0] !== 1 || window.dilations[1] !== 1) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `dilations [${window.dilations.join(',')}] are not supported; pooling accepts [1,1] only`,
    );
  }
  const ceilMode = node.attrs.int('ceil_mode', 0) !== 0;
  const countIncludePad = op === 'AvgPool2D' && node.attrs.int('count_include_pad', 0) !== 0;
  const inDims = ctx.dims(x, node);
  const [outH, outW] = windowOutputHW(window, inDims[2] ?? null, inDims[3] ?? null, ceilMode);
  const xIr = ctx.use(x, 'nhwc', node);
  const [output = ''] = node.proto.output;
  ctx.emit(
    makeNode(
      node.name,
      op,
      { kernel: window.kernel, strides: window.strides, pads: window.pads, autoPad: window.autoPad, ceilMode, countIncludePad },
      [xIr],
      [output],
    ),
  );
  ctx.defineRuntime(output, 'nhwc', [inDims[0] ?? null, inDims[1] ?? null, outH, outW]);
}

export function convertMaxPool(node: OnnxNode, ctx: ImportContext): void {
  convertWindowPool(node, ctx, 'MaxPool2D');
}

export function convertAveragePool(node: OnnxNode, ctx: ImportContext): void {
  convertWindowPool(node, ctx, 'AvgPool2D');
}

export function convertGlobalAveragePool(node: OnnxNode, ctx: ImportContext): void {
  const [x = ''] = node.proto.input;
  requireRank4(node, ctx, x);
  const inDims = ctx.dims(x, node);
  const [output = ''] = node.proto.output;
  ctx.emit(makeNode(node.name, 'GlobalAvgPool', {}, [ctx.use(x, 'nhwc', node)], [output]));
  ctx.defineRuntime(output, 'nhwc', [inDims[0] ?? null, inDims[1] ?? null, 1, 1]);
}
