import { UnsupportedOpError, formatShape } from '@motiondelta/core';
import type { AutoPad, Conv2DAttrs, Tensor } from '@motiondelta/core';
import type { LayerCall, LayersImportContext } from './layers-context.js';

/** Keras `padding`: 'same' is TF SAME (odd pixel at the end), 'valid' pads nothing. */
export function kerasPadding(call: LayerCall): AutoPad {
  const padding = call.config.string('padding', 'valid');
  if (padding === 'same') return 'same-upper';
  if (padding === 'valid') return 'valid';
  throw new UnsupportedOpError(call.layer.className, call.layer.name, `padding '${padding}' (accepted: same, valid)`);
}

export function requireChannelsLast(call: LayerCall): void {
  const format = call.config.string('data_format', 'channels_last');
  if (format !== 'channels_last') {
    throw new UnsupportedOpError(call.layer.className, call.layer.name, `data_format '${format}' (only channels_last is accepted)`);
  }
}

function convAttrs(call: LayerCall, kernel: Tensor, groups: number, pointwise = false): Omit<Conv2DAttrs, 'activation'> {
  return {
    kernel: [kernel.shape[0]!, kernel.shape[1]!],
    strides: pointwise ? [1, 1] : call.config.pair('strides', [1, 1]),
    dilations: pointwise ? [1, 1] : call.config.pair('dilation_rate', [1, 1]),
    pads: [0, 0, 0, 0],
    autoPad: pointwise ? 'valid' : kerasPadding(call),
    groups,
  };
}

function biasInputs(call: LayerCall, ctx: LayersImportContext): string[] {
  return call.config.bool('use_bias', true) ? [ctx.constant(`${call.layer.name}/bias`, ctx.requireWeight(call, 'bias', 1))] : [];
}

/** Conv2D: Keras kernels are [kh, kw, Cin/groups, Cout], the IR layout already. */
export function convertConv2D(call: LayerCall, ctx: LayersImportContext): string {
  requireChannelsLast(call);
  const x = ctx.single(call);
  const kernel = ctx.requireWeight(call, 'kernel', 4);
  const w = ctx.constant(`${call.layer.name}/kernel`, kernel);
  const groups = call.config.number('groups', 1);
  const bias = biasInputs(call, ctx);
  return ctx.withActivation(call, (activation, name) =>
    ctx.builder.add(name, 'Conv2D', { ...convAttrs(call, kernel, groups), ...(activation && { activation }) }, [x, w, ...bias]),
  );
}

/** A depthwise kernel [kh, kw, C, mult] is, byte for byte, a C-group conv weight [kh, kw, 1, C*mult]. */
function depthwiseWeight(call: LayerCall, ctx: LayersImportContext): { name: string; tensor: Tensor; channels: number } {
  const k = ctx.requireWeight(call, 'depthwise_kernel', 4);
  const [kh, kw, c, mult] = k.shape as [number, number, number, number];
  const tensor = { data: k.data, shape: [kh, kw, 1, c * mult] };
  return { name: ctx.constant(`${call.layer.name}/depthwise_kernel`, tensor), tensor, channels: c };
}

export function convertDepthwiseConv2D(call: LayerCall, ctx: LayersImportContext): string {
  requireChannelsLast(call);
  const x = ctx.single(call);
  const dw = depthwiseWeight(call, ctx);
  const bias = biasInputs(call, ctx);
  return ctx.withActivation(call, (activation, name) =>
    ctx.builder.add(name, 'Conv2D', { ...convAttrs(call, dw.tensor, dw.channels), ...(activation && { activation }) }, [
      x,
      dw.name,
      ...bias,
    ]),
  );
}

/** SeparableConv2D = depthwise (strides, dilation, padding) then a 1x1 conv with the bias. */
export function convertSeparableConv2D(call: LayerCall, ctx: LayersImportContext): string {
  requireChannelsLast(call);
  const x = ctx.single(call);
  const dw = depthwiseWeight(call, ctx);
  const depthwise = ctx.builder.add(`${call.name}/depthwise`, 'Conv2D', convAttrs(call, dw.tensor, dw.channels), [x, dw.name]);
  const pw = ctx.requireWeight(call, 'pointwise_kernel', 4);
  const pwName = ctx.constant(`${call.layer.name}/pointwise_kernel`, pw);
  const bias = biasInputs(call, ctx);
  return ctx.withActivation(call, (activation, name) =>
    ctx.builder.add(name, 'Conv2D', { ...convAttrs(call, pw, 1, true), ...(activation && { activation }) }, [depthwise, pwName, ...bias]),
  );
}

/**
 * Conv2DTranspose. Keras makes out = in*s ('same') or in*s + max(k_eff - s, 0) ('valid'); both
 * crop a fixed amount from the full transposed output (in-1)*s + k_eff, independent of `in`.
 */
export function convertConv2DTranspose(call: LayerCall, ctx: LayersImportContext): string {
  requireChannelsLast(call);
  if (call.config.raw('output_padding') !== undefined && call.config.raw('output_padding') !== null) {
    throw new UnsupportedOpError(call.layer.className, call.layer.name, 'output_padding (only null is accepted)');
  }
  const x = ctx.single(call);
  const kernel = ctx.requireWeight(call, 'kernel', 4);
  const [kh, kw, cout, cin] = kernel.shape as [number, number, number, number];
  const data = new Float32Array(kernel.data.length);
  // Keras [kh, kw, Cout, Cin] -> IR [kh, kw, Cin, Cout].
  for (let p = 0; p < kh * kw; p++) {
    for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) data[(p * cin + i) * cout + o] = kernel.data[(p * cout + o) * cin + i]!;
  }
  const w = ctx.constant(`${call.layer.name}/kernel`, { data, shape: [kh, kw, cin, cout] });
  const strides = call.config.pair('strides', [1, 1]);
  const dilations = call.config.pair('dilation_rate', [1, 1]);
  const same = kerasPadding(call) === 'same-upper';
  const axis = (i: 0 | 1) => {
    const keff = ((i === 0 ? kh : kw) - 1) * dilations[i] + 1;
    const s = strides[i];
    if (keff < s) return { begin: 0, end: 0, extra: s - keff };
    if (!same) return { begin: 0, end: 0, extra: 0 };
    const total = keff - s;
    return { begin: Math.floor(total / 2), end: total - Math.floor(total / 2), extra: 0 };
  };
  const h = axis(0);
  const wd = axis(1);
  const bias = biasInputs(call, ctx);
  return ctx.withActivation(call, (activation, name) =>
    ctx.builder.add(
      name,
      'ConvTranspose2D',
      {
        kernel: [kh, kw],
        strides,
        dilations,
        pads: [h.begin, wd.begin, h.end, wd.end],
        outputPadding: [h.extra, wd.extra],
        groups: 1,
        ...(activation && { activation }),
      },
      [x, w, ...bias],
    ),
  );
}

/** Dense applies to the last axis of any rank: a batched MatMul, then the bias. */
export function convertDense(call: LayerCall, ctx: LayersImportContext): string {
  const x = ctx.single(call);
  const kernel = ctx.requireWeight(call, 'kernel', 2);
  const w = ctx.constant(`${call.layer.name}/kernel`, kernel);
  const bias = biasInputs(call, ctx);
  return ctx.withActivation(call, (activation, name) => {
    if (bias.length === 0) return ctx.builder.add(name, 'MatMul', activation ? { activation } : {}, [x, w]);
    const product = ctx.builder.add(`${name}/matmul`, 'MatMul', {}, [x, w]);
    return ctx.builder.add(name, 'Add', activation ? { activation } : {}, [product, bias[0]!]);
  });
}

/** Inference-mode BatchNormalization over the channel (last) axis. */
export function convertBatchNormalization(call: LayerCall, ctx: LayersImportContext): string {
  const axisRaw = call.config.raw('axis');
  const axis = Array.isArray(axisRaw) && axisRaw.length === 1 ? axisRaw[0] : (axisRaw ?? -1);
  if (axis !== -1 && axis !== 3) {
    throw new UnsupportedOpError(
      call.layer.className,
      call.layer.name,
      `axis ${JSON.stringify(axisRaw)} (only the channel axis, -1 or 3, is accepted)`,
    );
  }
  const x = ctx.single(call);
  const mean = ctx.requireWeight(call, 'moving_mean', 1);
  const variance = ctx.requireWeight(call, 'moving_variance', 1);
  const channels = mean.shape[0]!;
  if (variance.shape[0] !== channels) {
    throw new UnsupportedOpError(
      call.layer.className,
      call.layer.name,
      `moving_variance ${formatShape(variance.shape)} differs from moving_mean ${formatShape(mean.shape)}`,
    );
  }
  const scale = ctx.vectorOr(call, 'gamma', channels, 1, call.config.bool('scale', true));
  const bias = ctx.vectorOr(call, 'beta', channels, 0, call.config.bool('center', true));
  const inputs = [
    x,
    scale,
    bias,
    ctx.constant(`${call.layer.name}/moving_mean`, mean),
    ctx.constant(`${call.layer.name}/moving_variance`, variance),
  ];
  return ctx.builder.add(call.name, 'BatchNorm', { epsilon: call.config.number('epsilon', 1e-3) }, inputs);
}
