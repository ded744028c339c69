import type { Tensor, TensorMap } from '@motiondelta/core';
import type { MappedOutputScale } from './compare-mapped-outputs.js';
import { sampleBilinear } from './grid-sampler.js';

/**
 * A motion frame's outputs resampled onto the frame's own grid, the grid dense inference on the
 * frame would give: motion outputs lie on the viewport grid, which the residual warp moved by up
 * to a pixel (or rotated). Each frame-grid output pixel `(i, j)` of an output with `scale` input
 * pixels per output pixel has its footprint centre `((i + 0.5)·scale.y − 0.5, (j + 0.5)·scale.x −
 * 0.5)` in frame pixels; `viewportFromFrame` (`session.frameGeometry.viewportFromFrame`; identity
 * when undefined) takes it to viewport pixels, where the motion output is sampled bilinearly
 * (clamped to its grid: the few frame pixels the viewport does not cover take the nearest edge
 * value; positions within 1e-6 of a grid point take it exactly, so an unmoved viewport returns
 * its outputs value for value). Outputs that are not NHWC, or whose scale is unknown, are
 * returned as they are.
 *
 * @example
 * ```ts
 * const out = await motion.run({ image: frame }, { homography });
 * const onFrame = outputsOnFrame(out, motion.frameGeometry?.viewportFromFrame, (n) => motion.outputScale(n));
 * ```
 */
export function outputsOnFrame(
  outputs: Readonly<TensorMap>,
  viewportFromFrame: readonly number[] | undefined,
  scaleOf: (name: string) => MappedOutputScale | undefined,
): TensorMap {
  const mapped: TensorMap = {};
  for (const [name, tensor] of Object.entries(outputs)) {
    const scale = scaleOf(name);
    mapped[name] =
      viewportFromFrame === undefined || scale === undefined || tensor.shape.length !== 4
        ? tensor
        : resample(tensor, viewportFromFrame, scale);
  }
  return mapped;
}

function resample(tensor: Tensor, m: readonly number[], scale: MappedOutputScale): Tensor {
  const [n, oh, ow, c] = tensor.shape as [number, number, number, number];
  const out = new Float32Array(tensor.data.length);
  const image = oh * ow * c;
  for (let b = 0; b < n; b++) {
    const data = tensor.data.subarray(b * image, (b + 1) * image);
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const fy = (i + 0.5) * scale.y - 0.5;
        const fx = (j + 0.5) * scale.x - 0.5;
        const w = m[6]! * fx + m[7]! * fy + m[8]!;
        const vx = (m[0]! * fx + m[1]! * fy + m[2]!) / w;
        const vy = (m[3]! * fx + m[4]! * fy + m[5]!) / w;
        sampleBilinear(data, oh, ow, c, (vy + 0.5) / scale.y - 0.5, (vx + 0.5) / scale.x - 0.5, out, b * image + (i * ow + j) * c);
      }
    }
  }
  return { data: out, shape: tensor.shape };
}
