import { applyHomography, composeHomographies, invertHomography } from '@motiondelta/homography';
import type { RgbImage } from '@motiondelta/video-io';
import { sampleOffsets } from '../run-video.js';
import type { MotionFrameRecord, RunSummary } from '../run-summary.js';

/** The world canvas and how world pixels map onto it. */
export interface WorldCanvas {
  readonly image: RgbImage;
  /** Canvas pixel = (world - min) * scale. */
  readonly minX: number;
  readonly minY: number;
  readonly scale: number;
}

/** One frame's picture of the pixels new to the viewport. */
export interface UnveiledPicture {
  readonly index: number;
  readonly image: RgbImage;
  readonly fraction: number;
  readonly keyframeReason?: string;
}

/** The canvas is at most this wide or high (pixels), and at least this on its longer side. */
const CANVAS_MAX = 900;
const CANVAS_MIN = 480;

type Corner = [number, number];

/** Corners of a `width x height` pixel grid (pixel centres at integers, so edges at -0.5). */
function corners(width: number, height: number): Corner[] {
  return [
    [-0.5, -0.5],
    [width - 0.5, -0.5],
    [width - 0.5, height - 0.5],
    [-0.5, height - 0.5],
  ];
}

/** Frame corners in world pixels. */
export function frameQuad(record: MotionFrameRecord, size: readonly [number, number]): Corner[] {
  return corners(size[1], size[0]).map(([x, y]) => applyHomography(record.homography, x, y));
}

/** Viewport corners in world pixels. */
export function viewportQuad(record: MotionFrameRecord, size: readonly [number, number]): Corner[] {
  return corners(size[1], size[0]).map(([x, y]) => applyHomography(record.worldFromViewport, x, y));
}

/**
 * Pastes every frame (its thumbnail) at its world position, later frames over earlier ones: what
 * the camera saw, in the world frame the homographies define. Returns undefined without motion data.
 */
export function renderWorldCanvas(summary: RunSummary): WorldCanvas | undefined {
  const motion = summary.motion;
  const records = summary.perFrame.map((f) => f.motion);
  if (!motion || records.some((r) => r === undefined) || records.length === 0) return undefined;
  const size = summary.inputSize;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const r of records as MotionFrameRecord[]) {
    for (const [x, y] of [...frameQuad(r, size), ...viewportQuad(r, size)]) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
  }
  if (!(maxX > minX && maxY > minY)) return undefined;
  // Small inputs are enlarged (blocky, but visible); large worlds shrink to fit the page.
  const extent = Math.max(maxX - minX, maxY - minY);
  const scale = Math.min(CANVAS_MAX / extent, Math.max(motion.thumbnailScale, CANVAS_MIN / extent));
  const width = Math.max(1, Math.ceil((maxX - minX) * scale));
  const height = Math.max(1, Math.ceil((maxY - minY) * scale));
  const data = new Uint8Array(width * height * 3).fill(40);
  (records as MotionFrameRecord[]).forEach((r, k) => {
    const thumb = motion.thumbnails[k];
    const frameFromWorld = invertHomography(r.homography);
    if (!thumb || !frameFromWorld) return;
    const quad = frameQuad(r, size).map(([x, y]) => [(x - minX) * scale, (y - minY) * scale] as const);
    const x0 = Math.max(0, Math.floor(Math.min(...quad.map((q) => q[0]))));
    const x1 = Math.min(width, Math.ceil(Math.max(...quad.map((q) => q[0]))));
    const y0 = Math.max(0, Math.floor(Math.min(...quad.map((q) => q[1]))));
    const y1 = Math.min(height, Math.ceil(Math.max(...quad.map((q) => q[1]))));
    const ts = thumb.width / size[1];
    for (let cy = y0; cy < y1; cy++) {
      for (let cx = x0; cx < x1; cx++) {
        const [fx, fy] = applyHomography(frameFromWorld, (cx + 0.5) / scale + minX, (cy + 0.5) / scale + minY);
        const tx = Math.floor((fx + 0.5) * ts);
        const ty = Math.floor((fy + 0.5) * ts);
        if (!(tx >= 0 && ty >= 0 && tx < thumb.width && ty < thumb.height)) continue;
        const s = (ty * thumb.width + tx) * 3;
        const d = (cy * width + cx) * 3;
        data[d] = thumb.data[s]!;
        data[d + 1] = thumb.data[s + 1]!;
        data[d + 2] = thumb.data[s + 2]!;
      }
    }
  });
  return { image: { width, height, data }, minX, minY, scale };
}

/**
 * Per sampled frame, its thumbnail with the pixels new to the viewport tinted magenta (all of
 * the viewport on a keyframe) and the frame's pixels outside the viewport darkened.
 */
export function renderUnveiled(summary: RunSummary, count = 16): UnveiledPicture[] {
  const motion = summary.motion;
  if (!motion) return [];
  const [h, w] = summary.inputSize;
  const picks = sampleOffsets(summary.perFrame.length, count);
  const out: UnveiledPicture[] = [];
  summary.perFrame.forEach((frame, k) => {
    const r = frame.motion;
    const thumb = motion.thumbnails[k];
    if (!picks.has(k) || !r || !thumb) return;
    const previous = k > 0 ? summary.perFrame[k - 1]?.motion : undefined;
    const viewportFromWorld = invertHomography(r.worldFromViewport);
    if (!viewportFromWorld) return;
    const viewportFromFrame = composeHomographies(viewportFromWorld, r.homography);
    const keyframe = r.keyframeReason !== undefined || previous === undefined;
    const dy = previous ? r.offset.y - previous.offset.y : 0;
    const dx = previous ? r.offset.x - previous.offset.x : 0;
    const ts = thumb.width / w;
    const data = Uint8Array.from(thumb.data);
    for (let ty = 0; ty < thumb.height; ty++) {
      for (let tx = 0; tx < thumb.width; tx++) {
        const [vx, vy] = applyHomography(viewportFromFrame, (tx + 0.5) / ts - 0.5, (ty + 0.5) / ts - 0.5);
        const i = (ty * thumb.width + tx) * 3;
        const inside = vx >= -0.5 && vy >= -0.5 && vx <= w - 0.5 && vy <= h - 0.5;
        if (!inside) {
          for (let c = 0; c < 3; c++) data[i + c] = Math.round(data[i + c]! * 0.35);
          continue;
        }
        const py = Math.round(vy) + dy;
        const px = Math.round(vx) + dx;
        const unveiled = keyframe || py < 0 || px < 0 || py >= h || px >= w;
        if (unveiled) {
          data[i] = Math.round(data[i]! * 0.45 + 230 * 0.55);
          data[i + 1] = Math.round(data[i + 1]! * 0.45);
          data[i + 2] = Math.round(data[i + 2]! * 0.45 + 126 * 0.55);
        }
      }
    }
    out.push({
      index: frame.index,
      image: { width: thumb.width, height: thumb.height, data },
      fraction: r.unveiledFraction,
      ...(r.keyframeReason === undefined ? {} : { keyframeReason: r.keyframeReason }),
    });
  });
  return out;
}
