import type { TensorMap } from '@motiondelta/core';
import { compareMappedOutputs, type MotionFrameStats, type MotionSession } from '@motiondelta/graph-runtime';
import type { RgbImage } from '@motiondelta/video-io';
import { downscale } from '../draw/thumbnail.js';
import type { MotionFrameRecord, MotionRunInfo } from '../run-summary.js';
import type { OutputDifference } from '../output-error.js';
import type { AlignStep } from './frame-alignment.js';

/** Thumbnails for the world canvas are at most this many pixels on their longer side. */
const THUMBNAIL_SIDE = 160;

/** How one frame was aligned: the video session's `alignment` and `alignMs`. */
export interface AlignedFrame {
  readonly step: AlignStep;
  readonly alignMs: number;
}

/**
 * The motion figures of a `run`: the video session aligns each frame and runs the motion session
 * (restarting it with a keyframe where alignment failed); this compares its viewport outputs with
 * dense outputs on the raw frame, and keeps what the report needs (offsets, world path,
 * thumbnails).
 */
export class MotionFigures {
  readonly #session: MotionSession;
  readonly #alignLabel: string;
  readonly #size: readonly [number, number];
  readonly #thumbnails: RgbImage[] = [];
  readonly #thumbnailScale: number;
  /** The homography of the frame the session last anchored at (its world = that frame). */
  #anchor: readonly number[] = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  #previousOffset: { y: number; x: number } | undefined;

  /** `alignLabel`: where homographies come from, for the summary (`estimate`, `none`, `given`). */
  constructor(session: MotionSession, alignLabel: string, size: readonly [number, number]) {
    this.#session = session;
    this.#alignLabel = alignLabel;
    this.#size = size;
    this.#thumbnailScale = Math.min(1, THUMBNAIL_SIDE / Math.max(size[0], size[1]));
  }

  /** Keeps a small copy of the next frame for the world canvas. */
  addThumbnail(frame: RgbImage): void {
    this.#thumbnails.push(downscale(frame, this.#thumbnailScale));
  }

  /** The frame's error against dense on the raw frame, and the fraction compared; see `compareMappedOutputs`. */
  compare(outputs: TensorMap, dense: TensorMap): OutputDifference & { readonly comparedFraction: number } {
    const e = compareMappedOutputs(
      outputs,
      dense,
      this.#session.frameGeometry?.frameFromViewport,
      (name) => this.#session.outputScale(name),
      this.#size,
    );
    return { psnr: e.psnr, maxAbsError: e.maxAbs, exact: e.exact, comparedFraction: e.comparedFraction };
  }

  /** The motion figures of the frame just run. */
  record(aligned: AlignedFrame, comparedFraction: number): MotionFrameRecord {
    const last = this.#session.stats().frames.at(-1) as MotionFrameStats | undefined;
    const offset = last?.offset ?? { y: 0, x: 0 };
    const keyframe = last?.keyframe ?? true;
    if (keyframe) this.#anchor = aligned.step.homography;
    const [h, w] = this.#size;
    const prev = this.#previousOffset;
    const unveiledFraction =
      keyframe || prev === undefined
        ? 1
        : 1 - (Math.max(0, h - Math.abs(offset.y - prev.y)) * Math.max(0, w - Math.abs(offset.x - prev.x))) / (h * w);
    this.#previousOffset = { y: offset.y, x: offset.x };
    const a = this.#anchor;
    const { step } = aligned;
    return {
      homography: [...step.homography],
      align: step.source,
      ...(step.failure === undefined ? {} : { alignFailure: step.failure }),
      ...(step.inliers === undefined ? {} : { inliers: step.inliers }),
      ...(step.rms === undefined ? {} : { rms: step.rms }),
      alignMs: aligned.alignMs,
      offset: { y: offset.y, x: offset.x },
      // anchor · translation(offset): viewport pixel (x, y) is session-world (x + o.x, y + o.y).
      worldFromViewport: [
        a[0]!,
        a[1]!,
        a[0]! * offset.x + a[1]! * offset.y + a[2]!,
        a[3]!,
        a[4]!,
        a[3]! * offset.x + a[4]! * offset.y + a[5]!,
        a[6]!,
        a[7]!,
        a[6]! * offset.x + a[7]! * offset.y + a[8]!,
      ],
      ...(last?.reason === undefined ? {} : { keyframeReason: last.reason }),
      coverage: last?.coverage ?? 1,
      pose: last?.pose ?? 'measured',
      ...(last?.residual === undefined ? {} : { residual: last.residual }),
      unveiledFraction,
      comparedFraction,
      stateBytes: last?.stateBytes ?? this.#session.stateBytes,
    };
  }

  /** Run-wide facts for the summary. */
  info(): MotionRunInfo {
    return {
      align: this.#alignLabel,
      totalStride: this.#session.totalStride ?? 1,
      thumbnails: this.#thumbnails,
      thumbnailScale: this.#thumbnailScale,
    };
  }
}
