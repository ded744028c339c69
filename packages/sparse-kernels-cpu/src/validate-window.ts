import { ShapeError } from '@motiondelta/core';
import type { AutoPad, Pads2D, Pair } from '@motiondelta/core';
import { expectNonNegativeInts } from './validate-inputs.js';

/**
 * Concrete [top, left, bottom, right] pads of a window op. The planner normally resolves
 * `autoPad` before a call reaches a backend; resolving it here too keeps direct callers correct.
 * SAME follows ONNX and TensorFlow: `ceil(in / stride)` outputs, total padding split evenly, the
 * odd pixel at the end (`same-upper`) or the start (`same-lower`).
 */
export function resolveWindowPads(op: string, autoPad: AutoPad, pads: Pads2D, inSize: Pair, kernel: Pair, strides: Pair, dilations: Pair): Pads2D {
  expectNonNegativeInts(op, 'pads', pads, 4);
  const axis = (i: 0 | 1): [number, number] => {
    switch (autoPad) {
      case 'explicit':
        return [pads[i], pads[i + 2]!];
      case 'valid':
        return [0, 0];
      case 'same-upper':
      case 'same-lower': {
        const out = Math.ceil(inSize[i] / strides[i]);
        const extent = (kernel[i] - 1) * dilations[i] + 1;
        const total = Math.max((out - 1) * strides[i] + extent - inSize[i], 0);
        const small = Math.floor(total / 2);
        return autoPad === 'same-upper' ? [small, total - small] : [total - small, small];
      }
      default: {
        const unknown: never = autoPad;
        throw new ShapeError(`${op}: unknown autoPad '${String(unknown)}'; accepted: explicit, same-upper, same-lower, valid.`);
      }
    }
  };
  const [top, bottom] = axis(0);
  const [left, right] = axis(1);
  return [top, left, bottom, right];
}
