import { ShapeError } from '@motiondelta/core';
import type { AutoPad, Pads2D, Pair } from '@motiondelta/core';
import { resolvePads2D as resolveWindowPads } from '../shape/window-geometry.js';

/**
 * Concrete [top, left, bottom, right] pads for a window op. The executor normally resolves
 * `autoPad` before a call reaches a backend; resolving it here too keeps the oracle usable on its
 * own (tests, tools); the geometry itself is the planner's, so both always agree.
 */
export function resolvePads2D(
  op: string,
  autoPad: AutoPad,
  pads: Pads2D,
  inSize: Pair,
  kernel: Pair,
  strides: Pair,
  dilations: Pair,
): Pads2D {
  for (const p of pads) {
    if (!Number.isInteger(p) || p < 0) {
      throw new ShapeError(`${op}: pads [${pads.join(',')}] must be non-negative integers.`);
    }
  }
  return resolveWindowPads(autoPad, pads, inSize[0], inSize[1], kernel, strides, dilations);
}

/** Throws unless each entry of a (height, width) pair is a positive integer. */
export function expectPositivePair(op: string, name: string, pair: Pair): void {
  if (!pair.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new ShapeError(`${op}: ${name} [${pair.join(',')}] must be positive integers.`);
  }
}
