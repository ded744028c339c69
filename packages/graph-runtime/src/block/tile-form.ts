import type { OpCall, OpName } from '@motiondelta/core';

/**
 * How block mode computes a node:
 * - `window`: a convolution or pooling, each output rectangle from the input window under it
 *   (halo included) with the op's own padding only where the window leaves the image;
 * - `pointwise`: each output pixel from the same pixel of its inputs (activations, batch norm,
 *   elementwise ops, channel concatenation, channel softmax);
 * - `whole`: a spatial op with neither form (resize, pad, transposed convolution, depth/space
 *   moves, pooling in ceil mode): computed over the whole map, then only the executed region kept;
 * - `global`: an op whose output is not a spatial map of the frame, or that mixes all of it
 *   (global pooling, reductions, MatMul/Gemm heads, reshapes, transposes, slices, 1x1 maps):
 *   recomputed in full every frame on the combined maps (a `dense` step).
 */
export type TileForm = 'window' | 'pointwise' | 'whole' | 'global';

/** Ops that compute a spatial map from spatial maps near each output pixel: block mode recomputes them by region. */
const SPATIAL_OPS: ReadonlySet<OpName> = new Set<OpName>([
  'Conv2D',
  'ConvTranspose2D',
  'MaxPool2D',
  'AvgPool2D',
  'Activation',
  'BatchNorm',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Max',
  'Min',
  'Concat',
  'Pad',
  'Resize',
  'Softmax',
  'Identity',
  'DepthToSpace',
  'SpaceToDepth',
]);

const ELEMENTWISE: ReadonlySet<OpName> = new Set<OpName>(['Activation', 'BatchNorm', 'Add', 'Sub', 'Mul', 'Div', 'Max', 'Min', 'Identity']);

/**
 * The form block mode computes a node in, from its call and the shapes of its inputs (undefined
 * for an absent optional input) and output. A pure function of the step, so that the lowering,
 * the tile runner and the statistics always agree.
 *
 * @example
 * ```ts
 * tileFormOf({ op: 'GlobalAvgPool', attrs: {} }, [[1, 8, 8, 4]], [1, 1, 1, 4]); // 'global'
 * ```
 */
export function tileFormOf(call: OpCall, inputs: readonly (readonly number[] | undefined)[], output: readonly number[]): TileForm {
  if (output.length !== 4 || output[1]! * output[2]! <= 1 || !SPATIAL_OPS.has(call.op)) return 'global';
  switch (call.op) {
    case 'Conv2D':
      return 'window';
    case 'MaxPool2D':
    case 'AvgPool2D':
      // In ceil mode the last window may reach past the end padding, where the divisor rules differ.
      return call.attrs.ceilMode ? 'whole' : 'window';
    case 'Concat': {
      const axis = call.attrs.axis < 0 ? call.attrs.axis + 4 : call.attrs.axis;
      return axis === 3 && inputs.every((s) => s === undefined || sameSpatial(s, output)) ? 'pointwise' : 'whole';
    }
    case 'Softmax': {
      const axis = call.attrs.axis < 0 ? call.attrs.axis + 4 : call.attrs.axis;
      return axis === 3 && sameSpatial(inputs[0], output) ? 'pointwise' : 'whole';
    }
    default:
      return ELEMENTWISE.has(call.op) && inputs.every((s) => s === undefined || broadcastsPointwise(s, output)) ? 'pointwise' : 'whole';
  }
}

function sameSpatial(s: readonly number[] | undefined, output: readonly number[]): boolean {
  return s !== undefined && s.length === 4 && s[0] === output[0] && s[1] === output[1] && s[2] === output[2];
}

/**
 * Whether an operand broadcast against an NHWC output reads the output's own pixel: aligned to
 * the right (numpy rules), its height and width are each 1 or the output's.
 */
function broadcastsPointwise(s: readonly number[], output: readonly number[]): boolean {
  if (s.length > 4) return false;
  const aligned = [...new Array<number>(4 - s.length).fill(1), ...s];
  // A lower-rank operand is passed whole, never cut: it must not vary over the output's pixels.
  if (s.length < 4) return aligned[0] === 1 && aligned[1] === 1 && aligned[2] === 1;
  return [1, 2].every((axis) => aligned[axis] === 1 || aligned[axis] === output[axis]) && (aligned[0] === 1 || aligned[0] === output[0]);
}
