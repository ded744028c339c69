import { describe, expect, it } from 'vitest';
import { POSE_KEYPOINTS, decodeSinglePose } from '../src/draw/decode-pose.js';
import { drawPose } from '../src/draw/draw-keypoints.js';
import { createImage } from '../src/draw/rgb-image.js';

const H = 5;
const W = 7;
const K = POSE_KEYPOINTS.length;
const STRIDE = 16;

/**
 * Heatmaps low everywhere except one cell per keypoint (keypoint k peaks at row k % H, column
 * (2k) % W with logit 2 + k/10), and offsets that are distinct at every cell and channel, so a
 * decoder reading the wrong cell or the wrong half of the offsets gets a different answer.
 */
function build() {
  const heat = new Float32Array(H * W * K).fill(-5);
  const off = new Float32Array(H * W * 2 * K);
  const peaks = Array.from({ length: K }, (_, k) => ({ cy: k % H, cx: (2 * k) % W, logit: 2 + k / 10 }));
  for (let p = 0; p < H * W; p++) {
    for (let c = 0; c < 2 * K; c++) off[p * 2 * K + c] = ((p * 31 + c * 7) % 13) - 6;
  }
  peaks.forEach(({ cy, cx, logit }, k) => {
    heat[(cy * W + cx) * K + k] = logit;
  });
  return { heat: { data: heat, shape: [1, H, W, K] }, off: { data: off, shape: [1, H, W, 2 * K] }, peaks };
}

describe('decodeSinglePose', () => {
  it("takes each keypoint at its heatmap argmax, moved by that cell's y offset (first K channels) and x offset (next K)", () => {
    const { heat, off, peaks } = build();
    const keypoints = decodeSinglePose(heat, off, STRIDE);
    expect(keypoints).toHaveLength(K);
    keypoints.forEach((kp, k) => {
      const { cy, cx, logit } = peaks[k]!;
      const cell = cy * W + cx;
      expect(kp.name).toBe(POSE_KEYPOINTS[k]);
      expect(kp.y).toBe(cy * STRIDE + off.data[cell * 2 * K + k]!);
      expect(kp.x).toBe(cx * STRIDE + off.data[cell * 2 * K + K + k]!);
      expect(kp.score).toBeCloseTo(1 / (1 + Math.exp(-logit)), 6);
    });
  });

  it('rejects offsets that do not have twice the heatmap channels', () => {
    const { heat } = build();
    expect(() => decodeSinglePose(heat, { data: new Float32Array(H * W * K), shape: [1, H, W, K] })).toThrow(
      /offsets must be \[1,5,7,34\]/,
    );
  });

  it('drawPose marks confident keypoints and leaves the image it was given untouched', () => {
    const image = createImage(120, 100);
    const keypoints = [
      { part: 0, name: 'nose', score: 0.9, y: 30, x: 40 },
      { part: 1, name: 'leftEye', score: 0.1, y: 60, x: 90 },
    ];
    const drawn = drawPose(image, keypoints);
    const at = (x: number, y: number) => Array.from(drawn.data.subarray((y * 120 + x) * 3, (y * 120 + x) * 3 + 3));
    expect(at(40, 30)).not.toEqual([0, 0, 0]);
    expect(at(90, 60)).toEqual([0, 0, 0]); // below the 0.3 score cut
    expect(image.data.every((v) => v === 0)).toBe(true);
  });

  it('drawPose joins keypoints by a bone only when they are close enough to be one person', () => {
    const image = createImage(200, 100);
    const at = (img: typeof image, x: number, y: number) => Array.from(img.data.subarray((y * 200 + x) * 3, (y * 200 + x) * 3 + 3));
    // leftShoulder (5) and rightShoulder (6) are joined in the skeleton.
    const pose = (x6: number) => [5, 6].map((part) => ({ part, name: POSE_KEYPOINTS[part]!, score: 0.9, y: 50, x: part === 5 ? 10 : x6 }));
    const near = drawPose(image, pose(40)); // 30 px apart, under a quarter of 200
    const far = drawPose(image, pose(190)); // 180 px apart: two different people
    expect(at(near, 25, 50)).not.toEqual([0, 0, 0]);
    expect(at(far, 100, 50)).toEqual([0, 0, 0]);
  });
});
