import { ModelFormatError, UnsupportedOpError, formatShape } from '@motiondelta/core';
import type { ActivationSpec, AutoPad, Conv2DAttrs, Pads2D, Pair, Tensor } from '@motiondelta/core';
import { RELU, RELU6, SIGMOID, TANH } from './activations.js';
import type { AttrReader, TfNode } from './graph-def.js';
import type { GraphImportContext } from './graph-context.js';

/** Throws unless the node computes on NHWC data; NCHW graphs need a layout pass we do not have. */
export function requireNhwc(node: TfNode, a: AttrReader): void {
  const format = a.string('data_format', 'NHWC');
  if (format !== 'NHWC') throw new UnsupportedOpError(node.op, node.name, `data_format '${format}' (only NHWC is accepted)`);
}

/** TF writes strides, dilations and pool sizes as [1, h, w, 1]. */
export function spatialPair(node: TfNode, a: AttrReader, attr: string, fallback?: readonly number[]): Pair {
  const v = a.ints(attr, fallback);
  if (v.length !== 4 || v[0] !== 1 || v[3] !== 1) {
    throw new UnsupportedOpError(node.op, node.name, `${attr} ${formatShape(v)} (accepted: [1, h, w, 1])`);
  }
  return [v[1]!, v[2]!];
}

export interface TfPadding {
  readonly autoPad: AutoPad;
  readonly pads: Pads2D;
}

/** TF `padding` (SAME / VALID / EXPLICIT with `explicit_paddings`) as IR AutoPad plus pads. */
export function tfPadding(node: TfNode, a: AttrReader): TfPadding {
  const padding = a.string('padding');
  if (padding === 'SAME') return { autoPad: 'same-upper', pads: [0, 0, 0, 0] };
  if (padding === 'VALID') return { autoPad: 'valid', pads: [0, 0, 0, 0] };
  if (padding === 'EXPLICIT') {
    // [n_begin, n_end, h_begin, h_end, w_begin, w_end, c_begin, c_end]
    const p = a.ints('explicit_paddings');
    if (p.length !== 8 || p[0] !== 0 || p[1] !== 0 || p[6] !== 0 || p[7] !== 0) {
      throw new UnsupportedOpError(node.op, node.name, `explicit_paddings ${formatShape(p)} (accepted: 8 values, zero on N and C)`);
    }
    return { autoPad: 'explicit', pads: [p[2]!, p[4]!, p[3]!, p[5]!] };
  }
  throw new UnsupportedOpError(node.op, node.name, `padding '${padding}' (accepted: SAME, VALID, EXPLICIT)`);
}

/**
 * The `fused_ops` of _FusedConv2D / FusedDepthwiseConv2dNative / _FusedMatMul: a bias add and an
 * optional activation, whose extra operands follow the filter in the node's inputs.
 */
export function fusedOps(node: TfNode, ctx: GraphImportContext, firstArg: number): { bias?: string; activation?: ActivationSpec } {
  const a = ctx.attrs(node);
  const ops = a.strings('fused_ops');
  let arg = firstArg;
  let bias: string | undefined;
  let activation: ActivationSpec | undefined;
  for (const op of ops) {
    if (activation !== undefined) throw new UnsupportedOpError(node.op, node.name, `fused op '${op}' after an activation`);
    switch (op) {
      case 'BiasAdd':
        bias = ctx.input(node, arg++);
        break;
      case 'Relu':
        activation = RELU;
        break;
      case 'Relu6':
        activation = RELU6;
        break;
      case 'Sigmoid':
        activation = SIGMOID;
        break;
      case 'Tanh':
        activation = TANH;
        break;
      case 'LeakyRelu':
        activation = { kind: 'leakyRelu', alpha: a.float('leakyrelu_alpha', 0.2) };
        break;
      case 'Elu':
        activation = { kind: 'elu', alpha: 1 };
        break;
      case 'Prelu':
        activation = { kind: 'prelu', slope: Float32Array.from(ctx.requireFloatConst(node, arg++, 'PReLU alpha').data) };
        break;
      default:
        throw new UnsupportedOpError(
          node.op,
          node.name,
          `fused op '${op}' (accepted: BiasAdd, Relu, Relu6, Elu, Sigmoid, Tanh, LeakyRelu, Prelu)`,
        );
    }
  }
  return { ...(bias !== undefined && { bias }), ...(activation !== undefined && { activation }) };
}

function filterOf(node: TfNode, ctx: GraphImportContext): Tensor {
  const filter = ctx.requireFloatConst(node, 1, 'filter');
  if (filter.shape.length !== 4) {
    throw new ModelFormatError(
      `${ctx.location}: node '${node.name}' (${node.op}) filter has shape ${formatShape(filter.shape)}; expected [kh, kw, in, out].`,
    );
  }
  return filter;
}

/** Conv2D, DepthwiseConv2dNative and their fused forms. */
export function convertConv(node: TfNode, ctx: GraphImportContext, depthwise: boolean, fused: boolean): void {
  const a = ctx.attrs(node);
  requireNhwc(node, a);
  const x = ctx.input(node, 0);
  const filter = filterOf(node, ctx);
  const [kh, kw, cin, mult] = filter.shape as [number, number, number, number];
  // TF's depthwise filter [kh, kw, C, mult] has output channel c*mult+m, which is exactly a grouped
  // conv with C groups of one input channel: the same bytes read as [kh, kw, 1, C*mult].
  const weight = depthwise
    ? ctx.builder.addConstant(`${node.name}/weight`, { data: filter.data, shape: [kh, kw, 1, cin * mult] })
    : ctx.input(node, 1);
  const { bias, activation } = fused ? fusedOps(node, ctx, 2) : {};
  const { autoPad, pads } = tfPadding(node, a);
  const attrs: Conv2DAttrs = {
    kernel: [kh, kw],
    strides: spatialPair(node, a, 'strides'),
    dilations: spatialPair(node, a, 'dilations', [1, 1, 1, 1]),
    pads,
    autoPad,
    // A TF Conv2D filter whose in-dimension is smaller than the input's channels is a grouped conv;
    // the input's channel count is not known here, so grouped (non-depthwise) convs import as groups=1.
    groups: depthwise ? cin : 1,
    ...(activation !== undefined && { activation }),
  };
  const inputs = bias !== undefined ? [x, weight, bias] : [x, weight];
  ctx.define(node.name, ctx.builder.add(node.name, 'Conv2D', attrs, inputs));
}

/**
 * Conv2DBackpropInput is the gradient of a conv whose input had shape `input_sizes`: its output is
 * that shape, and its own input has the forward conv's output size, so pads follow from both.
 */
export function convertConvBackpropInput(node: TfNode, ctx: GraphImportContext): void {
  const a = ctx.attrs(node);
  requireNhwc(node, a);
  // Only the spatial sizes matter; Keras computes the batch from the input's shape at run time.
  const sizes = ctx.intConstWithRuntime(node, 0, 'input_sizes', [0]);
  ctx.expectSize(node, 'input_sizes', sizes.shape, 4, '4 values [N, H, W, C]');
  const filter = filterOf(node, ctx);
  const [kh, kw, cout, cin] = filter.shape as [number, number, number, number];
  if (sizes.data[3] !== cout) {
    throw new ModelFormatError(
      `${ctx.location}: node '${node.name}' input_sizes has ${sizes.data[3]} channels but its filter makes ${cout}.`,
    );
  }
  const strides = spatialPair(node, a, 'strides');
  const dilations = spatialPair(node, a, 'dilations', [1, 1, 1, 1]);
  const padding = tfPadding(node, a);
  const axis = (i: 0 | 1) => {
    const out = sizes.data[1 + i]!;
    const k = i === 0 ? kh : kw;
    const keff = (k - 1) * dilations[i] + 1;
    const s = strides[i];
    let begin: number;
    let inSize: number;
    if (padding.autoPad === 'same-upper') {
      inSize = Math.ceil(out / s);
      begin = Math.floor(Math.max((inSize - 1) * s + keff - out, 0) / 2);
    } else {
      begin = padding.pads[i];
      const end = padding.pads[i + 2]!;
      inSize = Math.floor((out + begin + end - keff) / s) + 1;
    }
    const full = (inSize - 1) * s + keff;
    const end = full - begin - out;
    return { begin, end: Math.max(end, 0), extra: Math.max(-end, 0) };
  };
  const h = axis(0);
  const w = axis(1);
  const weight = new Float32Array(filter.data.length);
  // TF filter [kh, kw, out, in] -> IR [kh, kw, Cin, Cout]: swap the last two axes.
  for (let p = 0; p < kh * kw; p++) {
    for (let o = 0; o < cout; o++) {
      for (let i = 0; i < cin; i++) weight[(p * cin + i) * cout + o] = filter.data[(p * cout + o) * cin + i]!;
    }
  }
  const weightName = ctx.builder.addConstant(`${node.name}/weight`, { data: weight, shape: [kh, kw, cin, cout] });
  const out = ctx.builder.add(
    node.name,
    'ConvTranspose2D',
    { kernel: [kh, kw], strides, dilations, pads: [h.begin, w.begin, h.end, w.end], outputPadding: [h.extra, w.extra], groups: 1 },
    [ctx.input(node, 2), weightName],
  );
  ctx.define(node.name, out);
}

/** MatMul and _FusedMatMul are 2-D in TF; Gemm carries the transposes and the fused bias. */
export function convertMatMul(node: TfNode, ctx: GraphImportContext, fused: boolean): void {
  const a = ctx.attrs(node);
  const { bias, activation } = fused ? fusedOps(node, ctx, 2) : {};
  const inputs = [ctx.input(node, 0), ctx.input(node, 1), ...(bias !== undefined ? [bias] : [])];
  const attrs = {
    alpha: 1,
    beta: 1,
    transA: a.bool('transpose_a', false),
    transB: a.bool('transpose_b', false),
    ...(activation !== undefined && { activation }),
  };
  ctx.define(node.name, ctx.builder.add(node.name, 'Gemm', attrs, inputs));
}
