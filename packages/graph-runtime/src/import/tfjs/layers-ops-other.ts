import { ModelFormatError, UnsupportedOpError, formatShape } from '@motiondelta/core';
import type { ActivationSpec, Pool2DAttrs } from '@motiondelta/core';
import { RELU } from './activations.js';
import { kerasPadding, requireChannelsLast } from './layers-ops-conv.js';
import type { LayerCall, LayersImportContext } from './layers-context.js';
import { resizeAttrsProblem } from '../../shape/resize-attrs.js';

export function convertActivationLayer(call: LayerCall, ctx: LayersImportContext): string {
  return ctx.activationNode(call.name, call.config.string('activation'), ctx.single(call), call.layer.name);
}

function activationLayer(call: LayerCall, ctx: LayersImportContext, activation: ActivationSpec): string {
  return ctx.builder.add(call.name, 'Activation', { activation }, [ctx.single(call)]);
}

/** Keras ReLU layer: relu, capped (max_value) or leaky (negative_slope); not both, no threshold. */
export function convertReLU(call: LayerCall, ctx: LayersImportContext): string {
  const max = call.config.optionalNumber('max_value');
  const slope = call.config.number('negative_slope', 0);
  const threshold = call.config.number('threshold', 0);
  if (threshold !== 0) throw new UnsupportedOpError('ReLU', call.layer.name, `threshold ${threshold} (only 0 is accepted)`);
  if (slope !== 0 && max !== null) throw new UnsupportedOpError('ReLU', call.layer.name, 'negative_slope together with max_value');
  const activation: ActivationSpec =
    slope !== 0 ? { kind: 'leakyRelu', alpha: slope } : max !== null ? { kind: 'clip', min: 0, max } : RELU;
  return activationLayer(call, ctx, activation);
}

export function convertLeakyReLU(call: LayerCall, ctx: LayersImportContext): string {
  return activationLayer(call, ctx, { kind: 'leakyRelu', alpha: call.config.number('alpha', 0.3) });
}

/** Keras ELU layer: `x < 0 ? alpha * (exp(x) - 1) : x`, alpha 1 by default. */
export function convertELU(call: LayerCall, ctx: LayersImportContext): string {
  return activationLayer(call, ctx, { kind: 'elu', alpha: call.config.number('alpha', 1) });
}

/** PReLU with one slope per channel (alpha shared over H and W); per-pixel slopes are unsupported. */
export function convertPReLU(call: LayerCall, ctx: LayersImportContext): string {
  const alpha = ctx.requireWeight(call, 'alpha');
  const channels = alpha.shape[alpha.shape.length - 1] ?? 1;
  if (alpha.data.length !== channels) {
    throw new UnsupportedOpError(
      'PReLU',
      call.layer.name,
      `alpha of shape ${formatShape(alpha.shape)} (only one slope per channel is accepted)`,
    );
  }
  return activationLayer(call, ctx, { kind: 'prelu', slope: Float32Array.from(alpha.data) });
}

/** Add and Multiply take any number of inputs: a chain, the last node named after the layer. */
export function convertMerge(call: LayerCall, ctx: LayersImportContext, op: 'Add' | 'Mul' | 'Sub'): string {
  const n = call.inputs.length;
  if (n < 2 || (op === 'Sub' && n !== 2)) {
    throw new ModelFormatError(
      `${ctx.location}: layer '${call.layer.name}' (${call.layer.className}) got ${n} inputs; expected ${op === 'Sub' ? 'exactly 2' : '2 or more'}.`,
    );
  }
  let acc = call.inputs[0]!;
  for (let i = 1; i < n; i++) {
    acc = ctx.builder.add(i === n - 1 ? call.name : `${call.name}/partial_${i}`, op, {}, [acc, call.inputs[i]!]);
  }
  return acc;
}

export function convertConcatenate(call: LayerCall, ctx: LayersImportContext): string {
  return ctx.builder.add(call.name, 'Concat', { axis: call.config.number('axis', -1) }, call.inputs);
}

/** tfjs-layers resizes with align_corners and half_pixel_centers off: asymmetric, floor. */
export function convertUpSampling2D(call: LayerCall, ctx: LayersImportContext): string {
  requireChannelsLast(call);
  const interpolation = call.config.string('interpolation', 'nearest');
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
    throw new UnsupportedOpError('UpSampling2D', call.layer.name, `interpolation '${interpolation}' (accepted: nearest, bilinear)`);
  }
  const [sh, sw] = call.config.pair('size', [2, 2]);
  const problem = resizeAttrsProblem({ scales: [sh, sw] });
  if (problem) throw new ModelFormatError(`${ctx.location}: layer '${call.layer.name}' (UpSampling2D) ${problem}.`);
  return ctx.builder.add(
    call.name,
    'Resize',
    { mode: interpolation === 'nearest' ? 'nearest' : 'linear', coordinateMode: 'asymmetric', nearestMode: 'floor', scales: [sh, sw] },
    [ctx.single(call)],
  );
}

/** Keras pooling excludes padding from averages; strides default to the pool size. */
export function convertPooling2D(call: LayerCall, ctx: LayersImportContext, op: 'MaxPool2D' | 'AvgPool2D'): string {
  requireChannelsLast(call);
  const kernel = call.config.pair('pool_size', [2, 2]);
  const attrs: Pool2DAttrs = {
    kernel,
    strides: call.config.pair('strides', kernel),
    pads: [0, 0, 0, 0],
    autoPad: kerasPadding(call),
    ceilMode: false,
    countIncludePad: false,
  };
  return ctx.builder.add(call.name, op, attrs, [ctx.single(call)]);
}

export function convertGlobalAveragePooling2D(call: LayerCall, ctx: LayersImportContext): string {
  requireChannelsLast(call);
  const x = ctx.single(call);
  if (call.config.bool('keepdims', false)) return ctx.builder.add(call.name, 'GlobalAvgPool', {}, [x]);
  const pooled = ctx.builder.add(`${call.name}/global_pool`, 'GlobalAvgPool', {}, [x]);
  return ctx.builder.add(call.name, 'Reshape', { shape: [0, -1] }, [pooled]);
}

/** ZeroPadding2D `padding`: n, [h, w] or [[top, bottom], [left, right]]. */
export function convertZeroPadding2D(call: LayerCall, ctx: LayersImportContext): string {
  requireChannelsLast(call);
  const raw = call.config.raw('padding');
  let top: number, bottom: number, left: number, right: number;
  if (Array.isArray(raw) && raw.length === 2 && raw.every((r) => Array.isArray(r) && r.length === 2)) {
    [[top, bottom], [left, right]] = raw as [[number, number], [number, number]];
  } else {
    const [h, w] = call.config.pair('padding', [1, 1]);
    [top, bottom, left, right] = [h, h, w, w];
  }
  return ctx.builder.add(call.name, 'Pad', { pads: [0, top, left, 0, 0, bottom, right, 0], mode: 'constant', value: 0 }, [
    ctx.single(call),
  ]);
}

export function convertFlatten(call: LayerCall, ctx: LayersImportContext): string {
  return ctx.builder.add(call.name, 'Flatten', { axis: 1 }, [ctx.single(call)]);
}

/** Keras target_shape leaves out the batch; 0 in the IR copies the batch dimension. */
export function convertReshapeLayer(call: LayerCall, ctx: LayersImportContext): string {
  const target = call.config.raw('target_shape');
  if (!Array.isArray(target) || !target.every((d) => Number.isInteger(d) && d !== 0)) {
    throw new ModelFormatError(
      `${ctx.location}: layer '${call.layer.name}' target_shape ${JSON.stringify(target)} must be a list of non-zero integers.`,
    );
  }
  return ctx.builder.add(call.name, 'Reshape', { shape: [0, ...(target as number[])] }, [ctx.single(call)]);
}

/** Dropout and noise layers do nothing at inference; an Identity keeps the layer's name. */
export function convertInferenceIdentity(call: LayerCall, ctx: LayersImportContext): string {
  return ctx.builder.add(call.name, 'Identity', {}, [ctx.single(call)]);
}
