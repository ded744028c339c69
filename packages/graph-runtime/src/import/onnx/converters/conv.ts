import { UnsupportedOpError, type Pads2D, type Pair } from '@motiondelta/core';
import { makeNode } from '../../../ir/graph.js';
import type { ImportContext, OnnxNode } from '../context.js';
import { permuteData } from '../permute.js';
import { readWindow, windowOutputHW } from '../spatial.js';

/** ONNX Conv weight [O, I/g, kh, kw] -> IR [kh, kw, I/g, O]. */
const CONV_WEIGHT_PERM = [2, 3, 1, 0];
/** ONNX ConvTranspose weight [I, O/g, kh, kw] -> IR [kh, kw, I, O/g]. */
const CONV_TRANSPOSE_WEIGHT_PERM = [2, 3, 0, 1];

function requireRank4(node: OnnxNode, ctx: ImportContext, input: string): void {
  const rank = ctx.rank(input, node);
  if (rank !== 4) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `only 2-D convolutions (4-D input) are supported; input '${input}' has rank ${rank}`,
    );
  }
}

function weightAndBias(
  node: OnnxNode,
  ctx: ImportContext,
  perm: readonly number[],
  outChannels: (dims: readonly number[]) => number,
): { weight: string; bias: string; dims: readonly number[] } {
  const [, weightName = '', biasName = ''] = node.proto.input;
  const weight = ctx.floatConstant(weightName, node, 'weight');
  if (weight.dims.length !== 4) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `weight '${weightName}' has rank ${weight.dims.length}; a 2-D convolution needs rank 4`,
    );
  }
  const permuted = permuteData(weight.data, weight.dims, perm);
  const weightIr = ctx.addConstant(`${weightName}/hwio`, { data: permuted.data, shape: permuted.dims });
  let biasIr = '';
  if (biasName !== '') {
    const bias = ctx.floatConstant(biasName, node, 'bias');
    const expected = outChannels(weight.dims);
    if (bias.data.length !== expected) {
      throw new UnsupportedOpError(
        node.opType,
        node.name,
        `bias '${biasName}' has ${bias.data.length} values; expected ${expected} (one per output channel)`,
      );
    }
    biasIr = ctx.use(biasName, 'plain', node);
  }
  return { weight: weightIr, bias: biasIr, dims: weight.dims };
}

export function convertConv(node: OnnxNode, ctx: ImportContext): void {
  const [x = ''] = node.proto.input;
  requireRank4(node, ctx, x);
  const { weight, bias, dims: w } = weightAndBias(node, ctx, CONV_WEIGHT_PERM, (d) => d[0]!);
  const window = readWindow(node, [w[2]!, w[3]!]);
  const groups = node.attrs.int('group', 1);
  const inDims = ctx.dims(x, node);
  const inChannels = inDims[1];
  if (inChannels != null && inChannels !== w[1]! * groups) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `input '${x}' has ${inChannels} channels but weight [${w.join(',')}] with group ${groups} expects ${w[1]! * groups}`,
    );
  }
  const [outH, outW] = windowOutputHW(window, inDims[2] ?? null, inDims[3] ?? null, false);
  const xIr = ctx.use(x, 'nhwc', node);
  const [output = ''] = node.proto.output;
  ctx.emit(makeNode(node.name, 'Conv2D', { ...window, groups }, [xIr, weight, bias], [output]));
  ctx.defineRuntime(output, 'nhwc', [inDims[0] ?? null, w[0]!, outH, outW]);
}

export function convertConvTranspose(node: OnnxNode, ctx: ImportContext): void {
  const [x = ''] = node.proto.input;
  requireRank4(node, ctx, x);
  const groups = node.attrs.int('group', 1);
  const { weight, bias, dims: w } = weightAndBias(node, ctx, CONV_TRANSPOSE_WEIGHT_PERM, (d) => d[1]! * groups);
  const window = readWindow(node, [w[2]!, w[3]!]);
  const outputPaddingAttr = node.attrs.ints('output_padding') ?? [0, 0];
  if (outputPaddingAttr.length !== 2) {
    throw new UnsupportedOpError(node.opType, node.name, `output_padding [${outputPaddingAttr.join(',')}] must have two values`);
  }
  const inDims = ctx.dims(x, node);
  const inHW: [number | null, number | null] = [inDims[2] ?? null, inDims[3] ?? null];
  const outputShape = node.attrs.ints('output_shape');
  const pads: number[] = [...window.pads];
  const outputPadding: number[] = [...outputPaddingAttr];
  const outHW: (number | null)[] = [null, null];
  for (const i of [0, 1] as const) {
    const stride = window.strides[i];
    const span = (window.kernel[i] - 1) * window.dilations[i] + 1;
    // The full transposed output before cropping is (in-1)*stride + span + output_padding.
    let total: number | null = null;
    if (outputShape !== undefined) {
      const wanted = outputShape[outputShape.length - 2 + i];
      const size = inHW[i];
      if (wanted === undefined || size === null) {
        throw new UnsupportedOpError(
          node.opType,
          node.name,
          `output_shape [${outputShape.join(',')}] can only be honoured when the input's height and width are known at import time`,
        );
      }
      total = (size - 1) * stride + span + outputPadding[i]! - wanted;
    } else if (window.autoPad === 'same-upper' || window.autoPad === 'same-lower') {
      // Output is in*stride, so the crop does not depend on the input size.
      total = span + outputPadding[i]! - stride;
    }
    if (total !== null) {
      if (total < 0) {
        outputPadding[i] = outputPadding[i]! - total;
        total = 0;
      }
      const small = Math.floor(total / 2);
      const upper = outputShape !== undefined ? window.autoPad === 'same-upper' : window.autoPad !== 'same-lower';
      // ONNX: SAME_UPPER puts the odd pixel at the end, SAME_LOWER (and NOTSET with output_shape) at the start.
      pads[i] = upper ? small : total - small;
      pads[i + 2] = total - pads[i]!;
    }
    const size = inHW[i];
    outHW[i] = size === null ? null : (size - 1) * stride + span + outputPadding[i]! - pads[i]! - pads[i + 2]!;
  }
  const xIr = ctx.use(x, 'nhwc', node);
  const [output = ''] = node.proto.output;
  ctx.emit(
    makeNode(
      node.name,
      'ConvTranspose2D',
      {
        kernel: window.kernel,
        strides: window.strides,
        dilations: window.dilations,
        pads: [pads[0]!, pads[1]!, pads[2]!, pads[3]!] satisfies Pads2D,
        outputPadding: [outputPadding[0]!, outputPadding[1]!] satisfies Pair,
        groups,
      },
      [xIr, weight, bias],
      [output],
    ),
  );
  ctx.defineRuntime(output, 'nhwc', [inDims[0] ?? null, w[1]! * groups, outHW[0]!, outHW[1]!]);
}
