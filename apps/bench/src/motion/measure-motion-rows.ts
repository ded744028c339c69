import { OptionError, type Tensor, type TensorMap } from '@motiondelta/core';
import { MODEL_INPUTS, type ModelInputSpec } from '@motiondelta/data';
import {
  compareMappedOutputs,
  type MappedComparison,
  type Model,
  type MotionFrameStats,
  type MotionSession,
  type Session,
} from '@motiondelta/graph-runtime';
import { frameToTensor } from '@motiondelta/video-io';
import { NO_ERROR, frameError, worseError, type OutputError } from '../models/output-error.js';
import { median } from '../models/statistics.js';
import type { AlignedClip } from './motion-clips.js';
import type { MotionModel } from './motion-options.js';
import type { MappedError, ModeFigures, MotionBenchRow } from './motion-report.js';

/** One line of progress for a terminal. */
export type ProgressLog = (line: string) => void;

const NO_MAPPED: MappedError = { ...NO_ERROR, comparedFraction: 1 };

/** A frame's `compareMappedOutputs` result as the report writes it (null PSNR: identical). */
export function mappedError(e: MappedComparison): MappedError {
  return { maxAbs: e.maxAbs, relL2: e.relL2, psnrDb: Number.isFinite(e.psnr) ? e.psnr : null, comparedFraction: e.comparedFraction };
}

/** The worse of two mapped errors; the compared fraction is the smallest seen. */
export function worseMapped(a: MappedError, b: MappedError): MappedError {
  return { ...worseError(a, b), comparedFraction: Math.min(a.comparedFraction, b.comparedFraction) };
}

/**
 * The order in which a frame's sessions run on timed frame `k` (`count` sessions, the dense one
 * being index 0): the order rotates so that none is always warmest.
 */
export function runOrder(k: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => (i + k) % count);
}

function figures(samplesMs: readonly number[], macs: number, denseMacs: number): ModeFigures {
  return {
    samplesMs: [...samplesMs],
    meanMs: samplesMs.reduce((a, b) => a + b, 0) / Math.max(1, samplesMs.length),
    medianMs: samplesMs.length > 0 ? median(samplesMs) : 0,
    macsRatio: denseMacs > 0 ? macs / denseMacs : 0,
  };
}

function tensorFor(spec: ModelInputSpec, frame: AlignedClip['frames'][number]): Tensor {
  return frameToTensor(frame, {
    scale: spec.scale,
    offset: spec.offset,
    ...(spec.mean && { mean: spec.mean }),
    ...(spec.std && { std: spec.std }),
  });
}

/** The sessions of one threshold of the sweep and what they measured so far. */
interface ThresholdRun {
  readonly threshold: number;
  readonly delta: Session;
  readonly motion: MotionSession;
  readonly ms: { delta: number[]; motion: number[] };
  readonly macs: { delta: number; motion: number };
  deltaError: OutputError;
  motionError: MappedError;
  motionThresholdError: OutputError;
  readonly keyframes: Record<string, number>;
  stateBytes: number;
}

/**
 * Measures one model x clip x backend over a threshold sweep: a dense session, and per threshold a
 * delta and a motion session, all on the same frames and backend, each frame run through every
 * session in an order that rotates frame by frame. The first frame is every session's keyframe and
 * is not timed. Errors, worst frame: delta against dense value for value; motion against dense
 * through `compareMappedOutputs` (the mapped error, whose floor is the warp and the frame border),
 * and against the threshold-0 motion session value for value (the thresholding error: motion at
 * threshold 0 equals dense inference on the aligned viewport, as delta at 0 equals dense).
 * `thresholds` (in 0..255 pixel units, multiplied by the model's input scale, on the input and on
 * every node) must start at 0 (see `parseMotionBenchOptions`). One row per threshold.
 */
export async function measureMotionRows(
  model: Model,
  id: MotionModel,
  clip: AlignedClip,
  backend: string,
  threads: number,
  thresholds: readonly number[],
  log: ProgressLog = () => {},
): Promise<MotionBenchRow[]> {
  if (thresholds[0] !== 0) throw new OptionError(`The threshold sweep must start at 0 (the reference), got ${thresholds.join(', ')}.`);
  const spec = MODEL_INPUTS[id];
  const inputName = model.inputs[0]!.name;
  const outputNames = model.outputs.map((o) => o.name);
  const dense = await model.createSession({ mode: 'dense', backend: [backend] });
  const runs: ThresholdRun[] = [];
  for (const threshold of thresholds) {
    // Thresholds are given in 0..255 pixel units; the model's input scale takes them to its units.
    const t = threshold * spec.scale;
    runs.push({
      threshold,
      delta: await model.createSession({ mode: 'delta', backend: [backend], threshold: t, inputThreshold: t }),
      motion: await model.createSession({ mode: 'motion', backend: [backend], threshold: t, inputThreshold: t }),
      ms: { delta: [], motion: [] },
      macs: { delta: 0, motion: 0 },
      deltaError: NO_ERROR,
      motionError: NO_MAPPED,
      motionThresholdError: NO_ERROR,
      keyframes: {},
      stateBytes: 0,
    });
  }
  // Session i of a frame: 0 is dense, then delta and motion of each threshold in turn.
  const sessions: Session[] = [dense, ...runs.flatMap((r) => [r.delta, r.motion])];
  const denseMs: number[] = [];
  let denseMacs = 0;
  let denseDone = 0;
  const size: [number, number] = [clip.frames[0]!.height, clip.frames[0]!.width];
  try {
    for (let k = 0; k < clip.frames.length; k++) {
      const input = { [inputName]: tensorFor(spec, clip.frames[k]!) };
      const homography = clip.homographies[k]!;
      const outputs: TensorMap[] = [];
      const taken: number[] = [];
      for (const i of runOrder(k, sessions.length)) {
        const t0 = performance.now();
        // Even indices above 0 are the motion sessions (the only ones that take a homography).
        outputs[i] = i > 0 && i % 2 === 0 ? await runs[i / 2 - 1]!.motion.run(input, { homography }) : await sessions[i]!.run(input);
        taken[i] = performance.now() - t0;
      }
      const reference = outputs[2]!;
      runs.forEach((r, j) => {
        const motionFrame = r.motion.stats().frames.at(-1) as MotionFrameStats | undefined;
        r.stateBytes = Math.max(r.stateBytes, motionFrame?.stateBytes ?? 0);
        if (k === 0) return;
        r.ms.delta.push(taken[1 + 2 * j]!);
        r.ms.motion.push(taken[2 + 2 * j]!);
        r.macs.delta += r.delta.stats().frames.at(-1)?.macs ?? 0;
        r.macs.motion += motionFrame?.macs ?? 0;
        if (motionFrame?.reason !== undefined) r.keyframes[motionFrame.reason] = (r.keyframes[motionFrame.reason] ?? 0) + 1;
        const deltaOut = outputs[1 + 2 * j]!;
        const motionOut = outputs[2 + 2 * j]!;
        r.deltaError = worseError(r.deltaError, frameError(outputNames, deltaOut, outputs[0]!));
        r.motionThresholdError = worseError(r.motionThresholdError, frameError(outputNames, motionOut, reference));
        const mapped = compareMappedOutputs(
          motionOut,
          outputs[0]!,
          r.motion.frameGeometry?.frameFromViewport,
          (n) => r.motion.outputScale(n),
          size,
        );
        r.motionError = worseMapped(r.motionError, mappedError(mapped));
      });
      if (k > 0) {
        denseMs.push(taken[0]!);
        const d = dense.stats().frames.at(-1);
        denseMacs += d?.denseMacs ?? 0;
        denseDone += d?.macs ?? 0;
      }
      log(
        `[${id} ${clip.clip} ${backend}] frame ${k + 1}/${clip.frames.length}${k === 0 ? ' (keyframe, untimed)' : ''}: dense ${taken[0]!.toFixed(1)} ms, ` +
          runs
            .map((r, j) => `t=${r.threshold} delta ${taken[1 + 2 * j]!.toFixed(1)} / motion ${taken[2 + 2 * j]!.toFixed(1)} ms`)
            .join(', '),
      );
    }
  } finally {
    for (const s of sessions) s.dispose();
  }
  const denseFig = figures(denseMs, denseDone, denseMacs);
  return runs.map((r) => {
    const deltaFig = figures(r.ms.delta, r.macs.delta, denseMacs);
    const motionFig = figures(r.ms.motion, r.macs.motion, denseMacs);
    return {
      model: id,
      clip: clip.clip,
      truth: clip.truth,
      startFrame: clip.start,
      size,
      backend: dense.backendInfo.id,
      threads,
      threshold: r.threshold,
      timedFrames: r.ms.motion.length,
      dense: denseFig,
      delta: { ...deltaFig, error: r.deltaError },
      motion: {
        ...motionFig,
        error: r.motionError,
        thresholdError: r.motionThresholdError,
        keyframes: r.keyframes,
        stateBytes: r.stateBytes,
      },
      motionVsDelta: deltaFig.meanMs / motionFig.meanMs,
      motionVsDense: denseFig.meanMs / motionFig.meanMs,
      deltaVsDense: denseFig.meanMs / deltaFig.meanMs,
      alignFailures: clip.alignFailures,
      alignMs: clip.alignMs,
    };
  });
}
