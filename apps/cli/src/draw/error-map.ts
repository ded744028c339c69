import type { TensorMap } from '@motiondelta/core';
import type { RgbImage } from '@motiondelta/video-io';
import { greyImage, heatOverlay } from './overlay.js';
import type { ScalarMap } from './scalar-map.js';

/**
 * Where a mode's outputs differ from dense ones: per output pixel the largest |mode − dense| over
 * channels, relative to the dense output's range (max − min, as PSNR's peak), taken over the
 * outputs of the largest grid (their errors are what the eye compares), and the worst output
 * where several share it. 0 is exact; 1 is an error as large as the whole range.
 *
 * @example
 * ```ts
 * const map = errorMap(sample.outputs, sample.denseOutputs); // { width, height, data } in 0..1
 * ```
 */
export function errorMap(mode: TensorMap, dense: TensorMap): ScalarMap | undefined {
  const grids = Object.entries(dense).filter(([name, t]) => t.shape.length === 4 && mode[name]?.data.length === t.data.length);
  if (grids.length === 0) return undefined;
  const size = (shape: readonly number[]): number => shape[1]! * shape[2]!;
  const largest = Math.max(...grids.map(([, t]) => size(t.shape)));
  let out: ScalarMap | undefined;
  for (const [name, t] of grids.filter(([, g]) => size(g.shape) === largest)) {
    const [, height, width, channels] = t.shape as [number, number, number, number];
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of t.data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const range = hi > lo ? hi - lo : 1;
    const ours = mode[name]!.data;
    const data = out?.data ?? new Float32Array(width * height);
    for (let p = 0; p < width * height; p++) {
      let worst = 0;
      for (let c = 0; c < channels; c++) worst = Math.max(worst, Math.abs(ours[p * channels + c]! - t.data[p * channels + c]!) / range);
      // A NaN is the largest error there is.
      data[p] = Number.isNaN(worst) ? 1 : Math.max(data[p]!, worst);
    }
    out ??= { width, height, data };
  }
  return out;
}

/**
 * The error heat map over the frame, for the report: {@link errorMap} scaled so that `full` (a
 * fraction of the output range; default 0.05) is the hottest colour, over the frame in grey.
 */
export function errorHeatImage(frame: RgbImage, map: ScalarMap, full = 0.05): RgbImage {
  const grey = greyImage(luma(frame));
  return heatOverlay(grey, { width: map.width, height: map.height, data: map.data.map((v) => Math.min(1, v / full)) }, 0.85);
}

function luma(image: RgbImage): ScalarMap {
  const data = new Float32Array(image.width * image.height);
  for (let p = 0; p < data.length; p++) {
    const d = image.data;
    data[p] = (0.299 * d[p * 3]! + 0.587 * d[p * 3 + 1]! + 0.114 * d[p * 3 + 2]!) / 255;
  }
  return { width: image.width, height: image.height, data };
}
