import type { Tensor } from '@motiondelta/core';
import { ShapeError } from '@motiondelta/core';

/** PoseNet's 17 keypoints, in the order of its heatmap channels. */
export const POSE_KEYPOINTS = [
  'nose',
  'leftEye',
  'rightEye',
  'leftEar',
  'rightEar',
  'leftShoulder',
  'rightShoulder',
  'leftElbow',
  'rightElbow',
  'leftWrist',
  'rightWrist',
  'leftHip',
  'rightHip',
  'leftKnee',
  'rightKnee',
  'leftAnkle',
  'rightAnkle',
] as const;

/** Bones drawn between keypoints (PoseNet's usual skeleton). */
export const POSE_SKELETON: readonly (readonly [number, number])[] = [
  [5, 6],
  [5, 7],
  [7, 9],
  [6, 8],
  [8, 10],
  [5, 11],
  [6, 12],
  [11, 12],
  [11, 13],
  [13, 15],
  [12, 14],
  [14, 16],
  [0, 1],
  [0, 2],
  [1, 3],
  [2, 4],
];

/** One decoded keypoint, in input-image pixels. */
export interface Keypoint {
  readonly part: number;
  readonly name: string;
  /** sigmoid of the heatmap's maximum: the model's confidence. */
  readonly score: number;
  readonly y: number;
  readonly x: number;
}

/**
 * Single-person PoseNet decoding: per keypoint, the heatmap cell with the highest logit, moved by
 * the offset stored at that cell. `position = cell * outputStride + offset`, where the offsets
 * tensor holds K y-offsets then K x-offsets per cell.
 *
 * @example
 * const [nose] = decodeSinglePose(outputs['MobilenetV1/heatmap_2/BiasAdd']!, outputs['MobilenetV1/offset_2/BiasAdd']!);
 * console.log(nose.x, nose.y, nose.score);
 */
export function decodeSinglePose(heatmaps: Tensor, offsets: Tensor, outputStride = 16): Keypoint[] {
  const [, h, w, k] = heatmaps.shape;
  if (heatmaps.shape.length !== 4 || h === undefined || w === undefined || k === undefined) {
    throw new ShapeError(`PoseNet heatmaps must be [1,H,W,K]; got [${heatmaps.shape.join(',')}].`);
  }
  const [, oh, ow, ok] = offsets.shape;
  if (oh !== h || ow !== w || ok !== 2 * k) {
    throw new ShapeError(
      `PoseNet offsets must be [1,${h},${w},${2 * k}] to match heatmaps [1,${h},${w},${k}]; got [${offsets.shape.join(',')}].`,
    );
  }
  const keypoints: Keypoint[] = [];
  for (let part = 0; part < k; part++) {
    let best = Number.NEGATIVE_INFINITY;
    let cell = 0;
    for (let p = 0; p < h * w; p++) {
      const v = heatmaps.data[p * k + part]!;
      if (v > best) {
        best = v;
        cell = p;
      }
    }
    const cy = Math.floor(cell / w);
    const cx = cell % w;
    keypoints.push({
      part,
      name: POSE_KEYPOINTS[part] ?? `part${part}`,
      score: 1 / (1 + Math.exp(-best)),
      y: cy * outputStride + offsets.data[cell * 2 * k + part]!,
      x: cx * outputStride + offsets.data[cell * 2 * k + k + part]!,
    });
  }
  return keypoints;
}
