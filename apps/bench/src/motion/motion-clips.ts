import { OptionError } from '@motiondelta/core';
import { ensureData } from '@motiondelta/data';
import { createFrameAligner } from '@motiondelta/homography';
import { createSyntheticClip, openVideo, probeVideo, readImage, type CameraPath, type RgbImage } from '@motiondelta/video-io';
import { centredCrop } from '../models/model-frame-stream.js';
import { chainHomographies } from './homography-chain.js';
import type { MotionClip } from './motion-options.js';

/** Frames of a clip at the model's input size, each with its frame -> world homography. */
export interface AlignedClip {
  readonly clip: MotionClip;
  /** How the homographies were obtained. */
  readonly truth: 'estimated' | 'exact';
  /** First frame of the source clip. */
  readonly start: number;
  readonly frames: readonly RgbImage[];
  readonly homographies: readonly (readonly number[])[];
  /** Pairs that could not be aligned (the chain kept the previous pose there). */
  readonly alignFailures: number;
  /** Mean milliseconds of estimation per frame (0 for exact homographies). */
  readonly alignMs: number;
}

/** Camera paths of the synthetic clips: a diagonal pan by whole pixels, and a slow rotation (sub-pixel everywhere). */
export const SYNTHETIC_PATHS: Readonly<Record<'pan' | 'rotation', CameraPath>> = {
  pan: { kind: 'pan', dx: 4, dy: 2 },
  rotation: { kind: 'rotation', degreesPerFrame: 0.25 },
};

/**
 * Loads `count` frames of a clip at `size` ([height, width]) with their homographies. `cube`:
 * the real handheld clip from frame `cubeStart` (fewer frames where the clip ends), centre-cropped and resized like `bench models`, homographies estimated
 * frame to frame with `@motiondelta/homography` and chained (world = first frame). `pan`,
 * `rotation`: synthetic clips over the flower photo (DATA.md) with exact homographies.
 */
export async function loadAlignedClip(clip: MotionClip, count: number, size: readonly [number, number], cubeStart = 0): Promise<AlignedClip> {
  const [height, width] = size;
  if (clip !== 'cube') {
    const photo = await readImage((await ensureData('flower')).main);
    const synthetic = createSyntheticClip(photo, { path: SYNTHETIC_PATHS[clip], frames: count, width, height });
    const frames: RgbImage[] = [];
    const homographies: number[][] = [];
    for (let i = 0; i < count; i++) {
      frames.push(synthetic.frame(i));
      homographies.push(Array.from(synthetic.homography(i)));
    }
    return { clip, truth: 'exact', start: 0, frames, homographies, alignFailures: 0, alignMs: 0 };
  }
  const path = (await ensureData('cube')).main;
  const info = await probeVideo(path);
  if (cubeStart >= info.frameCount) throw new OptionError(`--cube-start ${cubeStart} is past the cube clip's ${info.frameCount} frames.`);
  const n = Math.min(count, info.frameCount - cubeStart);
  const reader = await openVideo(path, { info, start: cubeStart, count: n, crop: centredCrop(info, size), resize: { width, height } });
  const frames: RgbImage[] = [];
  try {
    for await (const frame of reader) frames.push(frame);
  } finally {
    await reader.close();
  }
  const aligner = createFrameAligner({ seed: 1 });
  const t0 = performance.now();
  const pairs = frames.map((f) => {
    const r = aligner.push({ data: f.data, width: f.width, height: f.height, channels: 3 });
    return r?.ok ? r.H : null;
  });
  const alignMs = (performance.now() - t0) / Math.max(1, frames.length);
  const { homographies, failures } = chainHomographies(pairs);
  return { clip, truth: 'estimated', start: cubeStart, frames, homographies, alignFailures: failures, alignMs };
}
