import { ShapeError } from '@motiondelta/core';
import type { AutoPad, Pads2D } from '@motiondelta/core';

/**
 * Concrete [top, left, bottom, right] pads of a window op. The planner resolves SAME pads before a
 * call reaches a backend; resolving them here too (the planner's rule: ceil(in / stride) outputs,
 * the odd pixel at the end for same-upper, at the start for same-lower) keeps the kernels usable
 * on their own, as the reference kernels are.
 */
export function resolveWindowPads(
  op: string,
  autoPad: AutoPad,
  pads: Pads2D,
  inSize: readonly [number, number],
  kernel: readonly [number, number],
  strides: readonly [number, number],
  dilations: readonly [number, number],
): [number, number, number, number] {
  if (!pads.every((p) => Number.isInteger(p) && p >= 0)) throw new ShapeError(`${op}: pads [${pads.join(',')}] must be non-negative integers.`);
  const axis = (i: 0 | 1, begin: number, end: number): [number, number] => {
    if (autoPad === 'explicit') return [begin, end];
    if (autoPad === 'valid') return [0, 0];
    const out = Math.ceil(inSize[i] / strides[i]);
    const extent = (kernel[i] - 1) * dilations[i] + 1;
    const total = Math.max((out - 1) * strides[i] + extent - inSize[i], 0);
    const small = Math.floor(total / 2);
    return autoPad === 'same-upper' ? [small, total - small] : [total - small, small];
  };
  const [top, bottom] = axis(0, pads[0], pads[2]);
  const [left, right] = axis(1, pads[1], pads[3]);
  return [top, left, bottom, right];
}
