import type { Tensor, TensorMap } from '@motiondelta/core';
import { MODEL_INPUTS, type ModelInputSpec } from '@motiondelta/data';
import { compareMappedOutputs, type MappedComparison, type Model, type MotionFrameStats, type Session } from '@motiondelta/graph-runtime';
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

/** Which mode runs first on timed frame `k`: the order rotates so that none is always warmest. */
export function runOrder(k: number): ('dense' | 'delta' | 'motion')[] {
  const modes = ['dense', 'delta', 'motion'] as const;
  return [0, 1, 2].map((i) => modes[(i + k) % 3]!);
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
  return frameToTensor(frame, { scale: spec.scale, offset: spec.offset, ...(spec.mean && { mean: spec.mean }), ...(spec.std && { std: spec.std }) });
}

/**
 * Measures one model x clip x backend row: dense, delta and motion sessions on the same frames
 * and backend, each frame run through all three in an order that rotates frame by frame. The
 * first frame is every session's keyframe and is not timed. Errors are against the dense session
 * on the same frame: delta value for value, motion through `compareMappedOutputs`.
 */
export async function measureMotionRow(
  model: Model,
  id: MotionModel,
  clip: AlignedClip,
  backend: string,
  threads: number,
  threshold: number,
  log: ProgressLog = () => {},
): Promise<MotionBenchRow> {
  const spec = MODEL_INPUTS[id];
  const inputName = model.inputs[0]!.name;
  const outputNames = model.outputs.map((o) => o.name);
  const dense = await model.createSession({ mode: 'dense', backend: [backend] });
  const delta = await model.createSession({ mode: 'delta', backend: [backend], threshold, inputThreshold: threshold });
  const motion = await model.createSession({ mode: 'motion', backend: [backend], threshold, inputThreshold: threshold });
  const ms = { dense: [] as number[], delta: [] as number[], motion: [] as number[] };
  const macs = { dense: 0, delta: 0, motion: 0 };
  let denseMacs = 0;
  let deltaError: OutputError = NO_ERROR;
  let motionError: MappedError = NO_MAPPED;
  const keyframes: Record<string, number> = {};
  let stateBytes = 0;
  const size: [number, number] = [clip.frames[0]!.height, clip.frames[0]!.width];
  try {
    for (let k = 0; k < clip.frames.length; k++) {
      const input = { [inputName]: tensorFor(spec, clip.frames[k]!) };
      const homography = clip.homographies[k]!;
      const outputs: Partial<Record<'dense' | 'delta' | 'motion', TensorMap>> = {};
      const taken: Partial<Record<'dense' | 'delta' | 'motion', number>> = {};
      for (const mode of runOrder(k)) {
        const session: Session = mode === 'dense' ? dense : mode === 'delta' ? delta : motion;
        const t0 = performance.now();
        outputs[mode] = mode === 'motion' ? await motion.run(input, { homography }) : await session.run(input);
        taken[mode] = performance.now() - t0;
      }
      const motionFrame = motion.stats().frames.at(-1) as MotionFrameStats | undefined;
      if (k > 0) {
        for (const mode of ['dense', 'delta', 'motion'] as const) ms[mode].push(taken[mode]!);
        const d = dense.stats().frames.at(-1);
        denseMacs += d?.denseMacs ?? 0;
        macs.dense += d?.macs ?? 0;
        macs.delta += delta.stats().frames.at(-1)?.macs ?? 0;
        macs.motion += motionFrame?.macs ?? 0;
        if (motionFrame?.reason !== undefined) keyframes[motionFrame.reason] = (keyframes[motionFrame.reason] ?? 0) + 1;
        deltaError = worseError(deltaError, frameError(outputNames, outputs.delta!, outputs.dense!));
        const geometry = motion.frameGeometry;
        motionError = worseMapped(
          motionError,
          mappedError(compareMappedOutputs(outputs.motion!, outputs.dense!, geometry?.frameFromViewport, (n) => motion.outputScale(n), size)),
        );
      }
      stateBytes = Math.max(stateBytes, motionFrame?.stateBytes ?? 0);
      const o = motionFrame?.offset;
      log(
        `[${id} ${clip.clip} ${backend}] frame ${k + 1}/${clip.frames.length}${k === 0 ? ' (keyframe, untimed)' : ''}: ` +
          `dense ${taken.dense!.toFixed(1)} ms, delta ${taken.delta!.toFixed(1)} ms, motion ${taken.motion!.toFixed(1)} ms` +
          ` (offset ${o?.y ?? 0},${o?.x ?? 0}${motionFrame?.reason ? `, keyframe: ${motionFrame.reason}` : ''})`,
      );
    }
  } finally {
    dense.dispose();
    delta.dispose();
    motion.dispose();
  }
  const denseFig = figures(ms.dense, macs.dense, denseMacs);
  const deltaFig = figures(ms.delta, macs.delta, denseMacs);
  const motionFig = figures(ms.motion, macs.motion, denseMacs);
  return {
    model: id,
    clip: clip.clip,
    truth: clip.truth,
    startFrame: clip.start,
    size,
    backend: dense.backendInfo.id,
    threads,
    threshold,
    timedFrames: ms.motion.length,
    dense: denseFig,
    delta: { ...deltaFig, error: deltaError },
    motion: { ...motionFig, error: motionError, keyframes, stateBytes },
    motionVsDelta: deltaFig.meanMs / motionFig.meanMs,
    motionVsDense: denseFig.meanMs / motionFig.meanMs,
    deltaVsDense: denseFig.meanMs / deltaFig.meanMs,
    alignFailures: clip.alignFailures,
    alignMs: clip.alignMs,
  };
}
