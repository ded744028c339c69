import { normalizeAxis } from '@motiondelta/core';
import type { Shape, TilesStep } from '@motiondelta/core';
import { encodeDenseStep } from './encode-dense-step.js';
import type { EncodeContext } from './encoded-step.js';
import type { EncodedStep } from './native-program-addon.js';
import { STEP_KIND_CODE, TILE_FORM_CODE } from './program-codes.js';

/** How the native program computes a tiles step's rectangles. */
export type NativeTileForm = keyof typeof TILE_FORM_CODE;

/**
 * The native kernels' form of a tiles step: `window` for convolutions and pooling (each rectangle
 * from the input window under it, halo included), `pointwise` for ops that read each operand's own
 * pixel (activations, batch norm, broadcast elementwise ops, channel concatenation and softmax,
 * identity), `whole` otherwise (the op over the whole map, the rectangles kept). Every form
 * updates the same pixels with the same values; this only chooses how much is computed, so it is
 * the backend's own choice (the runtime's tileFormOf decides its statistics, not this).
 */
export function nativeTileForm(step: TilesStep, shape: (id: number) => Shape): NativeTileForm {
  const { call } = step;
  const out = shape(step.output);
  const inputs = step.inputs.map((id) => (id === null ? undefined : shape(id)));
  const samePixels = (s: Shape | undefined): boolean => s !== undefined && s.length === 4 && [0, 1, 2].every((a) => s[a] === out[a]);
  switch (call.op) {
    case 'Conv2D':
      return 'window';
    case 'MaxPool2D':
    case 'AvgPool2D':
      // In ceil mode the last window may reach past the end padding, where the divisor rules differ.
      return call.attrs.ceilMode ? 'whole' : 'window';
    case 'Activation':
    case 'Identity':
      return inputs.length >= 1 && samePixels(inputs[0]) && inputs[0]![3] === out[3] ? 'pointwise' : 'whole';
    case 'BatchNorm':
      return samePixels(inputs[0]) ? 'pointwise' : 'whole';
    case 'Concat':
      return normalizeAxis('Concat', call.attrs.axis, 4) === 3 && inputs.every(samePixels) ? 'pointwise' : 'whole';
    case 'Softmax':
      return normalizeAxis('Softmax', call.attrs.axis, 4) === 3 && samePixels(inputs[0]) ? 'pointwise' : 'whole';
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
    case 'Max':
    case 'Min':
      return inputs.length === 2 && inputs.every((s) => s !== undefined && broadcastsPointwise(s, out)) ? 'pointwise' : 'whole';
    default:
      return 'whole';
  }
}

/** Whether an operand broadcast against an NHWC output (numpy rules) reads, per output pixel, its own pixel or a constant one. */
function broadcastsPointwise(s: Shape, out: Shape): boolean {
  if (s.length > 4) return false;
  const aligned = [...new Array<number>(4 - s.length).fill(1), ...s];
  return aligned.every((d, axis) => d === 1 || d === out[axis]);
}

/**
 * Encodes a tiles step for the addon (native/src/program_tiles_step.cc): the dense step of its op
 * over the whole map (checked as encodeDenseStep checks it), the block mask as a first operand,
 * and three more f64 tables: the row spans, the column spans ([from, to) pairs on the output map)
 * and the form.
 *
 * @throws ShapeError when the op does not fit its operands (as for a dense step)
 */
export function encodeTilesStep(step: TilesStep, ctx: EncodeContext): EncodedStep {
  const dense = encodeDenseStep({ kind: 'dense', node: step.node, call: step.call, inputs: step.inputs, output: step.output }, ctx);
  const form = nativeTileForm(step, (id) => ctx.shape(id));
  return {
    ...dense,
    kind: STEP_KIND_CODE.tiles,
    operands: Int32Array.of(step.blocks, ...dense.operands),
    f64: [
      ...dense.f64,
      Float64Array.from(step.rowSpans.flat()),
      Float64Array.from(step.colSpans.flat()),
      Float64Array.of(TILE_FORM_CODE[form]),
    ],
  };
}
