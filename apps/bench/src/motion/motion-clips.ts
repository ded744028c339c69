import { OptionError } from '@motiondelta/core';
import { ensureData } from '@motiondelta/data';
import { createFrameAligner } from '@motiondelta/homography';
import { createSyntheticClip, openVideo, probeVideo, readImage, type CameraPath, type RgbImage } from '@motiondelta/video-io';
import { centredCrop } from 'motiondelta';
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

/** Camera paths of the synthetic clips over the flower photo: a diagonal pan by whole pixels, and a slow rotation (sub-pixel everywhere). */
export const SYNTHETIC_PATHS: Readonly<Record<'pan' | 'rotation', CameraPath>> = {
  pan: { kind: 'pan', dx: 4, dy: 2 },
  rotation: { kind: 'rotation', degreesPerFrame: 0.25 },
};

/**
 * The `street` clip's camera motion per frame, in frame pixels: fractions of a pixel, as a real
 * camera moves. Twice each is a whole number of source pixels (see loadStreetClip).
 */
export const STREET_PAN = { dx: 2.5, dy: 1.5 } as const;

async function readFrames(path: string, options: Parameters<typeof openVideo>[1]): Promise<RgbImage[]> {
  const reader = await openVideo(path, options);
  const frames: RgbImage[] = [];
  try {
    for await (const frame of reader) frames.push(frame);
  } finally {
    await reader.close();
  }
  return frames;
}

/**
 * The `street` clip: real footage (vtest: pedestrians walking on a campus path, static camera)
 * seen by a camera that pans {@link STREET_PAN} per frame. vtest is decoded at 2.5 times the frame
 * size (one fixed resampling, the same for every frame) and each frame pixel averages a 2x2 block
 * of it, as a sensor integrates light over its pixel; the pan is a whole number of source pixels
 * per frame, so no frame is interpolated, and the frames move by fractions of their own pixels
 * like a real camera's. The scene changes as filmed (the pedestrians, the codec's noise); the
 * homographies are exact.
 */
async function loadStreetClip(count: number, width: number, height: number): Promise<AlignedClip> {
  const path = (await ensureData('vtest')).main;
  const info = await probeVideo(path);
  const n = Math.min(count, info.frameCount);
  const sw = 2 * Math.round(1.25 * width);
  const sh = 2 * Math.round(1.25 * height);
  const fit = Math.min(Math.floor((sw - 2 * width) / (2 * STREET_PAN.dx)), Math.floor((sh - 2 * height) / (2 * STREET_PAN.dy))) + 1;
  if (n > fit)
    throw new OptionError(
      `The street clip's pan leaves the footage after ${fit} frames at ${height}x${width}; ask for fewer frames (--frames ${fit - 1}).`,
    );
  const sources = await readFrames(path, { info, count: n, resize: { width: sw, height: sh } });
  const frames = sources.map((source, i) => boxPanFrame(source, i, width, height));
  const homographies = frames.map((_, i) => [1, 0, STREET_PAN.dx * i, 0, 1, STREET_PAN.dy * i, 0, 0, 1]);
  return { clip: 'street', truth: 'exact', start: 0, frames, homographies, alignFailures: 0, alignMs: 0 };
}

/**
 * Frame `i` of a camera panning {@link STREET_PAN} per frame over `source`: each of its
 * `width x height` pixels is the rounded mean of a 2x2 block of `source`, the blocks of frame `i`
 * starting `2 * STREET_PAN * i` source pixels from the top left. Frame pixel (x, y) of frame i
 * therefore sees what frame 0's pixel (x + dx * i, y + dy * i) would, which is the homography the
 * clip reports.
 */
export function boxPanFrame(source: RgbImage, i: number, width: number, height: number): RgbImage {
  const sw = source.width;
  const x0 = 2 * STREET_PAN.dx * i;
  const y0 = 2 * STREET_PAN.dy * i;
  if (x0 + 2 * width > sw || y0 + 2 * height > source.height)
    throw new OptionError(`Frame ${i} of the street pan leaves its ${sw}x${source.height} source.`);
  const data = new Uint8Array(width * height * 3);
  const s = source.data;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const a = ((y0 + 2 * y) * sw + x0 + 2 * x) * 3;
      const b = a + sw * 3;
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = (s[a + c]! + s[a + 3 + c]! + s[b + c]! + s[b + 3 + c]! + 2) >> 2;
    }
  }
  return { width, height, data };
}

/**
 * Loads `count` frames of a clip at `size` ([height, width]) with their homographies. `cube`:
 * the real handheld clip from frame `cubeStart` (fewer frames where the clip ends), centre-cropped and resized like `bench models`, homographies estimated
 * frame to frame with `@motiondelta/homography` and chained (world = first frame). `street`: real
 * footage seen through an exactly known sub-pixel pan (see loadStreetClip). `pan`, `rotation`: synthetic
 * clips over the flower photo (data catalog) with exact homographies.
 */
export async function loadAlignedClip(
  clip: MotionClip,
  count: number,
  size: readonly [number, number],
  cubeStart = 0,
): Promise<AlignedClip> {
  const [height, width] = size;
  if (clip === 'street') return loadStreetClip(count, width, height);
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
  const frames = await readFrames(path, { info, start: cubeStart, count: n, crop: centredCrop(info, size), resize: { width, height } });
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
