import { resizeInverseRanges, resizeTaps as coreResizeTaps } from '@motiondelta/core';
import type { ResizeAttrs, ResizeAxisTaps } from '@motiondelta/core';

export { resizeOutputSize } from '@motiondelta/core';

/**
 * The source taps of one resized axis (core's `resizeTaps`, the definition the dense kernels
 * sample with), plus, per input index, the [first, last] output reading it (first > last when
 * none does): the native delta kernel walks from changed inputs to the outputs they reach.
 */
export interface AxisTaps extends ResizeAxisTaps {
  readonly range: Int32Array;
}

export function resizeTaps(attrs: ResizeAttrs, inH: number, inW: number, outH: number, outW: number): { rows: AxisTaps; cols: AxisTaps } {
  const { rows, cols } = coreResizeTaps(attrs, inH, inW, outH, outW);
  return { rows: { ...rows, range: resizeInverseRanges(rows, inH) }, cols: { ...cols, range: resizeInverseRanges(cols, inW) } };
}
