import type { RgbImage } from '@motiondelta/video-io';
import type { Keypoint } from './decode-pose.js';
import { POSE_SKELETON } from './decode-pose.js';
import { blendPixel, copyImage, type Rgb } from './rgb-image.js';

/** A filled disc centred on (x, y), anti-aliased at its edge. */
export function fillCircle(image: RgbImage, x: number, y: number, radius: number, colour: Rgb): void {
  for (let py = Math.floor(y - radius - 1); py <= Math.ceil(y + radius + 1); py++) {
    for (let px = Math.floor(x - radius - 1); px <= Math.ceil(x + radius + 1); px++) {
      const d = Math.hypot(px - x, py - y);
      const coverage = Math.min(1, Math.max(0, radius + 0.5 - d));
      if (coverage > 0) blendPixel(image, px, py, colour, coverage);
    }
  }
}

/** A line of the given thickness, drawn as discs one pixel apart (simple and round-capped). */
export function drawLine(image: RgbImage, x0: number, y0: number, x1: number, y1: number, thickness: number, colour: Rgb): void {
  const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0)));
  for (let s = 0; s <= steps; s++) {
    const t = s / steps;
    fillCircle(image, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, thickness / 2, colour);
  }
}

const BONE: Rgb = [0, 229, 255];
const JOINT: Rgb = [255, 64, 129];

/**
 * A copy of `image` with the skeleton and keypoints drawn; keypoints under `minScore` (and the
 * bones touching them) are left out, as PoseNet demos do, so guesses do not look like findings.
 * Single-person decoding takes each keypoint from whoever shows it best, so with several people
 * in view a bone may join two of them: bones longer than `maxBone` (a fraction of the image's
 * larger side) are not drawn.
 */
export function drawPose(image: RgbImage, keypoints: readonly Keypoint[], minScore = 0.3, maxBone = 0.25): RgbImage {
  const out = copyImage(image);
  const size = Math.max(2, Math.round(Math.min(image.width, image.height) / 120));
  const longest = maxBone * Math.max(image.width, image.height);
  for (const [a, b] of POSE_SKELETON) {
    const p = keypoints[a];
    const q = keypoints[b];
    if (!p || !q || p.score < minScore || q.score < minScore) continue;
    if (Math.hypot(p.x - q.x, p.y - q.y) <= longest) drawLine(out, p.x, p.y, q.x, q.y, size, BONE);
  }
  for (const k of keypoints) if (k.score >= minScore) fillCircle(out, k.x, k.y, size * 1.5, JOINT);
  return out;
}
