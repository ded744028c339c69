import { ShapeError } from './errors.js';
import type { AutoPad, Pads2D, Pair } from './ops.js';

/**
 * Pads of one spatial axis for a window op, resolving SAME the way both ONNX and TensorFlow do:
 * the output has `ceil(in / stride)` positions and the total padding is split evenly, the odd
 * pixel going to the end (`same-upper`) or to the start (`same-lower`).
 */
export function resolveAxisPads(
  autoPad: AutoPad,
  explicit: readonly [number, number],
  inSize: number,
  kernel: number,
  stride: number,
  dilation: number,
): [number, number] {
  switch (autoPad) {
    case 'explicit':
      return [explicit[0], explicit[1]];
    case 'valid':
      return [0, 0];
    case 'same-upper':
    case 'same-lower': {
      const out = Math.ceil(inSize / stride);
      const extent = (kernel - 1) * dilation + 1;
      const total = Math.max((out - 1) * stride + extent - inSize, 0);
      const small = Math.floor(total / 2);
      return autoPad === 'same-upper' ? [small, total - small] : [total - small, small];
    }
  }
}

/** Resolves [top, left, bottom, right] pads of a 2-D window op. */
export function resolvePads2D(
  autoPad: AutoPad,
  pads: Pads2D,
  inH: number,
  inW: number,
  kernel: readonly [number, number],
  strides: readonly [number, number],
  dilations: readonly [number, number],
): Pads2D {
  const [top, bottom] = resolveAxisPads(autoPad, [pads[0], pads[2]], inH, kernel[0], strides[0], dilations[0]);
  const [left, right] = resolveAxisPads(autoPad, [pads[1], pads[3]], inW, kernel[1], strides[1], dilations[1]);
  return [top, left, bottom, right];
}

/**
 * Output size of a sliding window along one axis. With `ceilMode`, a last partial window is kept
 * only if it starts inside the input or its leading padding (ONNX and PyTorch agree on this).
 */
export function windowOutputSize(
  inSize: number,
  padBegin: number,
  padEnd: number,
  kernel: number,
  stride: number,
  dilation: number,
  ceilMode = false,
): number {
  const extent = (kernel - 1) * dilation + 1;
  const span = inSize + padBegin + padEnd - extent;
  if (span < 0) return 0;
  let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceilMode && (out - 1) * stride >= inSize + padBegin) out--;
  return out;
}

/**
 * Concrete [top, left, bottom, right] pads of a window op, with the pads checked: what kernels
 * call on the attributes they are given. The planner normally resolves `autoPad` before a call
 * reaches a backend; kernels resolve it too so that direct callers (tests, tools) stay correct, and
 * both use the geometry above, so they always agree.
 *
 * @example
 * ```ts
 * resolveWindowPads('Conv2D', 'same-upper', [0, 0, 0, 0], [5, 5], [3, 3], [2, 2], [1, 1]); // [1, 1, 1, 1]
 * ```
 */
export function resolveWindowPads(
  op: string,
  autoPad: AutoPad,
  pads: Pads2D,
  inSize: Pair,
  kernel: Pair,
  strides: Pair,
  dilations: Pair,
): Pads2D {
  if (pads.length !== 4 || !pads.every((p) => Number.isInteger(p) && p >= 0)) {
    throw new ShapeError(`${op}: pads [${pads.join(',')}] must be 4 non-negative integers.`);
  }
  if (!['explicit', 'valid', 'same-upper', 'same-lower'].includes(autoPad)) {
    throw new ShapeError(`${op}: unknown autoPad '${String(autoPad)}'; accepted: explicit, same-upper, same-lower, valid.`);
  }
  return resolvePads2D(autoPad, pads, inSize[0], inSize[1], kernel, strides, dilations);
}

/** Throws unless a (height, width) pair holds two positive integers (strides, dilations, kernel). */
export function expectPositivePair(op: string, name: string, pair: readonly number[]): void {
  if (pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new ShapeError(`${op}: ${name} [${pair.join(',')}] must be two positive integers.`);
  }
}
