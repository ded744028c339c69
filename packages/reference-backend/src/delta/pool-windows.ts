import type { DeltaBuffer, Pool2DAttrs, Tensor } from '@motiondelta/core';
import { poolGeometry } from '../pool2d.js';
import type { PoolGeometry } from '../pool2d.js';

/**
 * Pool geometry for a delta call, validated by the dense kernel's own code so both always agree
 * on pads and on which ceil-mode windows exist. `data` is whatever the kernel reads (the delta's
 * values or the accumulated input); only its length and `shape` are checked.
 */
export function deltaPoolGeometry(
  op: 'MaxPool2D' | 'AvgPool2D',
  attrs: Pool2DAttrs,
  data: Float32Array,
  input: DeltaBuffer,
  out: DeltaBuffer,
): PoolGeometry {
  const x: Tensor = { data, shape: input.shape };
  return poolGeometry({ op, attrs, inputs: [x], outputShape: out.shape } as Parameters<typeof poolGeometry>[0]);
}

/**
 * The output windows along one axis that contain input index `i`: window o covers
 * [o*stride - padBegin, o*stride - padBegin + kernel), so o runs over
 * [ceil((i + padBegin - kernel + 1) / stride), floor((i + padBegin) / stride)], cut to [0, outSize).
 * Written into `range` ([first, last], empty when first > last) to stay allocation-free.
 */
export function windowsContaining(
  i: number,
  padBegin: number,
  kernel: number,
  stride: number,
  outSize: number,
  range: Int32Array,
  at: number,
): void {
  range[at] = Math.max(0, Math.ceil((i + padBegin - kernel + 1) / stride));
  range[at + 1] = Math.min(outSize - 1, Math.floor((i + padBegin) / stride));
}
