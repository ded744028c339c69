import {
  ModelFormatError,
  UnsupportedOpError,
  type Pair,
  type ResizeAttrs,
  type ResizeCoordinateMode,
  type ResizeNearestMode,
} from '@motiondelta/core';
import { makeNode } from '../../../ir/graph.js';
import { resizeAttrsProblem } from '../../../shape/resize-attrs.js';
import type { ImportContext, OnnxNode } from '../context.js';

const COORDINATE_MODES: readonly ResizeCoordinateMode[] = [
  'half_pixel',
  'pytorch_half_pixel',
  'align_corners',
  'asymmetric',
  'tf_half_pixel_for_nn',
];
const NEAREST_MODES: readonly ResizeNearestMode[] = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'];

function readMode(node: OnnxNode): 'nearest' | 'linear' {
  const mode = node.attrs.string('mode', 'nearest');
  if (mode === 'nearest') return 'nearest';
  // Opsets before 11 spell it 'linear' too, some exporters write 'bilinear'.
  if (mode === 'linear' || mode === 'bilinear') return 'linear';
  throw new UnsupportedOpError(node.opType, node.name, `mode '${mode}' is not supported; accepted: nearest, linear`);
}

/** Keeps N and C as they are: only height and width may be resampled. */
function spatialPair(node: OnnxNode, values: readonly number[], what: string, identity: (i: number) => number): Pair {
  if (values.length !== 4) {
    throw new UnsupportedOpError(node.opType, node.name, `${what} [${values.join(',')}] must have 4 values (NCHW input)`);
  }
  for (const i of [0, 1]) {
    if (values[i] !== identity(i)) {
      throw new UnsupportedOpError(
        node.opType,
        node.name,
        `${what} [${values.join(',')}] resizes the batch or channel axis; only height and width may change`,
      );
    }
  }
  return [values[2]!, values[3]!];
}

function emitResize(node: OnnxNode, ctx: ImportContext, attrs: ResizeAttrs): void {
  // A zero, negative or NaN factor would only fail at run time, after planning a bogus size.
  const problem = resizeAttrsProblem(attrs);
  if (problem) throw new ModelFormatError(`${node.where}: ${problem}.`);
  const [x = ''] = node.proto.input;
  const inDims = ctx.dims(x, node);
  if (inDims.length !== 4) {
    throw new UnsupportedOpError(node.opType, node.name, `only 4-D (NCHW) inputs are supported; '${x}' has rank ${inDims.length}`);
  }
  const [output = ''] = node.proto.output;
  ctx.emit(makeNode(node.name, 'Resize', attrs, [ctx.use(x, 'nhwc', node)], [output]));
  const out = (i: 0 | 1): number | null => {
    if (attrs.sizes !== undefined) return attrs.sizes[i];
    const size = inDims[2 + i];
    return size == null || attrs.scales === undefined ? null : Math.floor(size * attrs.scales[i]);
  };
  ctx.defineRuntime(output, 'nhwc', [inDims[0] ?? null, inDims[1] ?? null, out(0), out(1)]);
}

/** Resize before opset 11 and Upsample: asymmetric coordinates, nearest rounds down when enlarging. */
function legacyAttrs(node: OnnxNode, mode: 'nearest' | 'linear', scales: Pair): ResizeAttrs {
  // ORT's "simple" rounding of opset < 11 floors when enlarging and ceils when shrinking.
  const shrinking = scales[0] < 1 || scales[1] < 1;
  const enlarging = scales[0] > 1 || scales[1] > 1;
  if (mode === 'nearest' && shrinking && enlarging) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `scales [${scales.join(',')}] enlarge one axis and shrink the other, which old nearest rounding cannot express`,
    );
  }
  return { mode, coordinateMode: 'asymmetric', nearestMode: shrinking ? 'ceil' : 'floor', scales };
}

export function convertUpsample(node: OnnxNode, ctx: ImportContext): void {
  const mode = readMode(node);
  const raw = ctx.opset < 9 ? (node.attrs.floats('scales') ?? []) : [...ctx.floatConstant(node.proto.input[1] ?? '', node, 'scales').data];
  emitResize(
    node,
    ctx,
    legacyAttrs(
      node,
      mode,
      spatialPair(node, raw, 'scales', () => 1),
    ),
  );
}

export function convertResize(node: OnnxNode, ctx: ImportContext): void {
  const mode = readMode(node);
  if (ctx.opset < 11) {
    const raw = [...ctx.floatConstant(node.proto.input[1] ?? '', node, 'scales').data];
    emitResize(
      node,
      ctx,
      legacyAttrs(
        node,
        mode,
        spatialPair(node, raw, 'scales', () => 1),
      ),
    );
    return;
  }
  const coordinateMode = node.attrs.string('coordinate_transformation_mode', 'half_pixel');
  if (!(COORDINATE_MODES as readonly string[]).includes(coordinateMode)) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `coordinate_transformation_mode '${coordinateMode}' is not supported; accepted: ${COORDINATE_MODES.join(', ')}`,
    );
  }
  const nearestMode = node.attrs.string('nearest_mode', 'round_prefer_floor');
  if (!(NEAREST_MODES as readonly string[]).includes(nearestMode)) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `nearest_mode '${nearestMode}' is not supported; accepted: ${NEAREST_MODES.join(', ')}`,
    );
  }
  if (node.attrs.int('antialias', 0) !== 0) {
    throw new UnsupportedOpError(node.opType, node.name, 'antialias=1 is not supported');
  }
  const policy = node.attrs.string('keep_aspect_ratio_policy', 'stretch');
  if (policy !== 'stretch') {
    throw new UnsupportedOpError(node.opType, node.name, `keep_aspect_ratio_policy '${policy}' is not supported; accepted: stretch`);
  }
  const axes = node.attrs.ints('axes');
  const [x = '', , scalesName = '', sizesName = ''] = node.proto.input;
  const inDims = ctx.dims(x, node);
  // With an `axes` attribute (opset 18) scales/sizes list only those axes; expand to all four.
  const expand = (values: readonly number[], fill: (i: number) => number): number[] => {
    if (axes === undefined) return [...values];
    const full = [0, 1, 2, 3].map(fill);
    axes.forEach((a, i) => {
      full[a < 0 ? a + 4 : a] = values[i]!;
    });
    return full;
  };
  const base = { mode, coordinateMode: coordinateMode as ResizeCoordinateMode, nearestMode: nearestMode as ResizeNearestMode };
  const scales = scalesName === '' ? [] : ctx.floatConstant(scalesName, node, 'scales').data;
  if (scales.length > 0) {
    const full = expand([...scales], () => 1);
    emitResize(node, ctx, { ...base, scales: spatialPair(node, full, 'scales', () => 1) });
    return;
  }
  if (sizesName === '') {
    throw new UnsupportedOpError(node.opType, node.name, 'neither scales nor sizes is given');
  }
  const sizes = expand(ctx.intConstant(sizesName, node, 'sizes'), (i) => inDims[i] ?? -1);
  // Batch and channel sizes must repeat the input's; unknown input dims are taken on trust.
  emitResize(node, ctx, { ...base, sizes: spatialPair(node, sizes, 'sizes', (i) => inDims[i] ?? sizes[i]!) });
}
