import type { AutoPad, Pads2D } from '@motiondelta/core';

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
