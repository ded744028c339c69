import { ShapeError, type Tensor } from '@motiondelta/core';

/** How many (image, channel) spatial argmaxes of two NHWC tensors fall on the same pixel. */
export interface ArgmaxCount {
  readonly agree: number;
  readonly total: number;
}

/**
 * Compares, per image and per channel, the position of the largest value over H x W in
 * `actual` and `reference` (NHWC; ties go to the first position in row-major order). This is
 * what a keypoint decoder reads from a heatmap, so two heatmaps that differ by noise but peak at
 * the same cells decode to the same pose.
 *
 * @example
 * ```ts
 * const { agree, total } = argmaxAgreement(deltaOut.heatmap, denseOut.heatmap);
 * console.log(agree / total); // 1 when every keypoint lands on the same cell
 * ```
 */
export function argmaxAgreement(actual: Tensor, reference: Tensor): ArgmaxCount {
  const shape = reference.shape;
  if (shape.length !== 4 || actual.shape.join('x') !== shape.join('x')) {
    throw new ShapeError(
      `argmax agreement compares two NHWC tensors of one shape; got [${actual.shape.join(',')}] and [${shape.join(',')}].`,
    );
  }
  const [n, h, w, c] = shape as [number, number, number, number];
  let agree = 0;
  for (let b = 0; b < n; b++) {
    const base = b * h * w * c;
    for (let ch = 0; ch < c; ch++) {
      if (argmaxAt(actual.data, base, ch, h * w, c) === argmaxAt(reference.data, base, ch, h * w, c)) agree++;
    }
  }
  return { agree, total: n * c };
}

function argmaxAt(data: Float32Array, base: number, channel: number, pixels: number, channels: number): number {
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let p = 0; p < pixels; p++) {
    const v = data[base + p * channels + channel]!;
    if (v > bestValue) {
      best = p;
      bestValue = v;
    }
  }
  return best;
}
