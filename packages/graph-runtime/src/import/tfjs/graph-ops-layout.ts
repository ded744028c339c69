import { ModelFormatError, UnsupportedOpError, formatShape } from '@motiondelta/core';
import type { PadAttrs, Pool2DAttrs, ResizeAttrs } from '@motiondelta/core';
import { requireNhwc, spatialPair, tfPadding } from './graph-ops-conv.js';
import type { TfNode } from './graph-def.js';
import type { GraphImportContext } from './graph-context.js';
import { resizeAttrsProblem } from '../../shape/resize-attrs.js';
import { reshapeTarget } from './graph-ops-shape.js';

/** AvgPool / MaxPool. TF's SAME average excludes the padding from the divisor. */
export function convertPool(node: TfNode, ctx: GraphImportContext): void {
  const a = ctx.attrs(node);
  requireNhwc(node, a);
  const { autoPad, pads } = tfPadding(node, a);
  const attrs: Pool2DAttrs = {
    kernel: spatialPair(node, a, 'ksize'),
    strides: spatialPair(node, a, 'strides'),
    pads,
    autoPad,
    ceilMode: false,
    countIncludePad: false,
  };
  const op = node.op === 'AvgPool' ? 'AvgPool2D' : 'MaxPool2D';
  ctx.define(node.name, ctx.builder.add(node.name, op, attrs, [ctx.input(node, 0)]));
}

/** Mean over H and W (global average pooling as TF spells it); other reductions are unsupported. */
export function convertMean(node: TfNode, ctx: GraphImportContext): void {
  const axes = [...ctx.intConst(node, 1, 'reduction axes').data].map((d) => (d < 0 ? d + 4 : d)).sort();
  if (axes.length !== 2 || axes[0] !== 1 || axes[1] !== 2) {
    throw new UnsupportedOpError(node.op, node.name, `reduction over axes ${formatShape(axes)} (only [1, 2] of NHWC is accepted)`);
  }
  const keepDims = ctx.attrs(node).bool('keep_dims', false);
  const x = ctx.input(node, 0);
  if (keepDims) {
    ctx.define(node.name, ctx.builder.add(node.name, 'GlobalAvgPool', {}, [x]));
    return;
  }
  const pooled = ctx.builder.add(`${node.name}/global_pool`, 'GlobalAvgPool', {}, [x]);
  ctx.define(node.name, ctx.builder.add(node.name, 'Reshape', { shape: [0, -1] }, [pooled]));
}

/**
 * ResizeBilinear / ResizeNearestNeighbor. TF rounds nearest source indices down except with
 * align_corners, where it rounds half away from zero (ceil for the non-negative indices here).
 */
export function convertResize(node: TfNode, ctx: GraphImportContext): void {
  const a = ctx.attrs(node);
  const size = ctx.intConst(node, 1, 'size');
  ctx.expectSize(node, 'size', size.shape, 2, '2 values [height, width]');
  const alignCorners = a.bool('align_corners', false);
  const halfPixel = a.bool('half_pixel_centers', false);
  const nearest = node.op === 'ResizeNearestNeighbor';
  if (alignCorners && halfPixel) throw new UnsupportedOpError(node.op, node.name, 'align_corners and half_pixel_centers both set');
  const attrs: ResizeAttrs = {
    mode: nearest ? 'nearest' : 'linear',
    coordinateMode: alignCorners ? 'align_corners' : halfPixel ? (nearest ? 'tf_half_pixel_for_nn' : 'half_pixel') : 'asymmetric',
    nearestMode: alignCorners ? 'round_prefer_ceil' : 'floor',
    sizes: [size.data[0]!, size.data[1]!],
  };
  const problem = resizeAttrsProblem(attrs);
  if (problem) throw new ModelFormatError(`${ctx.location}: node '${node.name}' (${node.op}) ${problem}.`);
  ctx.define(node.name, ctx.builder.add(node.name, 'Resize', attrs, [ctx.input(node, 0)]));
}

/** ConcatV2 takes its axis as the last input; the old Concat as the first. */
export function convertConcat(node: TfNode, ctx: GraphImportContext): void {
  const v2 = node.op === 'ConcatV2';
  const axisIndex = v2 ? node.inputs.length - 1 : 0;
  const axis = ctx.intConst(node, axisIndex, 'axis');
  ctx.expectSize(node, 'axis', axis.shape, 1, 'a scalar');
  const inputs = node.inputs
    .map((_, i) => i)
    .filter((i) => i !== axisIndex)
    .map((i) => ctx.input(node, i));
  ctx.define(node.name, ctx.builder.add(node.name, 'Concat', { axis: axis.data[0]! }, inputs));
}

/** Pad / PadV2 / MirrorPad: TF paddings [rank, 2] become ONNX-style [begins..., ends...]. */
export function convertPad(node: TfNode, ctx: GraphImportContext): void {
  const paddings = ctx.intConst(node, 1, 'paddings');
  const rank = paddings.shape[0] ?? 0;
  if (paddings.shape.length !== 2 || paddings.shape[1] !== 2) {
    throw new UnsupportedOpError(node.op, node.name, `paddings of shape ${formatShape(paddings.shape)} (accepted: [rank, 2])`);
  }
  const begins = Array.from({ length: rank }, (_, i) => paddings.data[2 * i]!);
  const ends = Array.from({ length: rank }, (_, i) => paddings.data[2 * i + 1]!);
  let mode: PadAttrs['mode'] = 'constant';
  let value = 0;
  if (node.op === 'MirrorPad') {
    const m = ctx.attrs(node).string('mode');
    if (m !== 'REFLECT') throw new UnsupportedOpError(node.op, node.name, `mode '${m}' (only REFLECT is accepted)`);
    mode = 'reflect';
  } else if (node.op === 'PadV2') {
    const c = ctx.requireFloatConst(node, 2, 'constant_values');
    ctx.expectSize(node, 'constant_values', c.shape, 1, 'a scalar');
    value = c.data[0]!;
  }
  ctx.define(node.name, ctx.builder.add(node.name, 'Pad', { pads: [...begins, ...ends], mode, value }, [ctx.input(node, 0)]));
}

/** The target shape may come from folded shape arithmetic (see graph-ops-shape.ts). */
export function convertReshape(node: TfNode, ctx: GraphImportContext): void {
  const input = ctx.input(node, 0);
  ctx.define(node.name, ctx.builder.add(node.name, 'Reshape', { shape: reshapeTarget(node, ctx, input) }, [input]));
}

export function convertSqueeze(node: TfNode, ctx: GraphImportContext): void {
  const axes = ctx.attrs(node).ints('squeeze_dims', []);
  if (axes.length === 0)
    throw new UnsupportedOpError(node.op, node.name, 'squeeze of every unit dimension (no squeeze_dims) needs static shapes');
  ctx.define(node.name, ctx.builder.add(node.name, 'Squeeze', { axes }, [ctx.input(node, 0)]));
}

export function convertExpandDims(node: TfNode, ctx: GraphImportContext): void {
  const axis = ctx.intConst(node, 1, 'axis');
  ctx.expectSize(node, 'axis', axis.shape, 1, 'a scalar');
  ctx.define(node.name, ctx.builder.add(node.name, 'Unsqueeze', { axes: [axis.data[0]!] }, [ctx.input(node, 0)]));
}

export function convertTranspose(node: TfNode, ctx: GraphImportContext): void {
  const perm = [...ctx.intConst(node, 1, 'perm').data];
  ctx.define(node.name, ctx.builder.add(node.name, 'Transpose', { perm }, [ctx.input(node, 0)]));
}

/** TF Softmax always normalises the last axis. */
export function convertSoftmax(node: TfNode, ctx: GraphImportContext): void {
  ctx.define(node.name, ctx.builder.add(node.name, 'Softmax', { axis: -1 }, [ctx.input(node, 0)]));
}
