import { OptionError, type Tensor, type TensorMap } from '@motiondelta/core';
import {
  DeltaSession,
  checkProfile,
  profileOptions,
  type Model,
  type Session,
  type SessionOptions,
  type ThresholdProfile,
} from '@motiondelta/graph-runtime';
import { frameToTensor, probeVideo } from '@motiondelta/video-io';
import { chooseInputSize } from './input-size.js';
import { alignmentFor, type AlignSpec } from './motion/frame-alignment.js';
import { MotionRun, type AlignedFrame } from './motion/motion-run.js';
import { compareOutputs } from './output-error.js';
import { customInputArgs, resolveModel, type CustomInputArgs } from './resolve-model.js';
import { resolveVideo } from './resolve-video.js';
import { aggregate, type FrameRecord, type RunSummary, type SampleFrame } from './run-summary.js';
import { checkSessionMemory, sessionOptionsFor, type RunMode } from './session-options.js';
import { centredCrop, streamVideoFrames } from 'motiondelta';

/** What to run: the same choices as the command line. */
export interface RunVideoOptions extends CustomInputArgs {
  /** A video path, or a catalog clip id (`vtest`, `cube`). */
  readonly video: string;
  /** A catalog model id, or a path to an ONNX file or a TF.js model.json. */
  readonly model: string;
  /** Default `dense`. */
  readonly mode?: RunMode;
  /** Backend ids in order of preference; default `['reference']`. */
  readonly backend?: readonly string[];
  /** Delta and motion modes' node threshold (default 0). */
  readonly threshold?: number;
  /** Delta and motion modes' input threshold (runtime default when absent). */
  readonly inputThreshold?: number;
  /** Delta and motion modes' per-node thresholds, by node name (from a calibrated profile). */
  readonly nodeThresholds?: Readonly<Record<string, number>>;
  /**
   * A calibrated profile (its file path for messages): checked against the model, the input size
   * and the input mapping (`checkProfile`) before any frame is decoded; its thresholds are used.
   */
  readonly profile?: { readonly profile: ThresholdProfile; readonly path: string };
  /** First frame index; default 0. */
  readonly start?: number;
  /** Frames to run; default 30, cut to what the video holds after `start`. */
  readonly frames?: number;
  /** Model input [height, width]; see `chooseInputSize`. */
  readonly size?: readonly [number, number];
  /**
   * Motion mode: where each frame's homography to the world comes from; default `estimate`
   * (see `createFrameAlignment`).
   */
  readonly align?: AlignSpec;
  /** Frames kept for the report (first, middle, last, ...); default 3. */
  readonly samples?: number;
  /** Bytes each session may allocate (`memoryLimit` of createSession); the runtime's default (8 GiB) when absent. */
  readonly memoryLimit?: number;
}

/** What a run tells its caller as it goes. */
export interface RunVideoHooks {
  /** Once, before the first frame. */
  readonly onStart?: (info: { readonly total: number; readonly inputSize: readonly [number, number]; readonly backend: string }) => void;
  /** After each frame. */
  readonly onFrame?: (record: FrameRecord, done: number, total: number) => void;
  /** Choices made for the user (size ignored, frame count cut). */
  readonly onNote?: (message: string) => void;
}

/** Default frame count: the reference backend is slow, so a bare command finishes in minutes. */
export const DEFAULT_FRAMES = 30;

/**
 * Runs a model over video frames in the chosen mode and, on the same frames and backend, densely:
 * dense is the reference for both speed and error. Before the first frame, one untimed dense run
 * on a throwaway session absorbs one-time costs. Returns per-frame records, aggregates and a
 * few sample frames (with outputs and update masks) for reports.
 *
 * @example
 * ```ts
 * import { runVideo } from '@motiondelta/cli';
 * const summary = await runVideo({ video: 'vtest', model: 'selfie', frames: 3 });
 * console.log(summary.speedup, summary.psnr); // ~1, Infinity (dense vs dense is exact)
 * ```
 */
export async function runVideo(options: RunVideoOptions, hooks: RunVideoHooks = {}): Promise<RunSummary> {
  const mode = options.mode ?? 'dense';
  const backend = options.backend ?? ['reference'];
  const start = options.start ?? 0;
  const videoPath = await resolveVideo(options.video);
  // The video first: probing is cheap, loading a model is not, and a bad --start needs no model.
  const info = await probeVideo(videoPath);
  if (start >= info.frameCount) {
    throw new OptionError(`--start ${start} is past the end of '${options.video}' (${info.frameCount} frames: 0..${info.frameCount - 1}).`);
  }
  const resolved = await resolveModel(options.model, customInputArgs(options));
  const wanted = options.frames ?? DEFAULT_FRAMES;
  const total = Math.min(wanted, info.frameCount - start);
  if (total < wanted) hooks.onNote?.(`'${options.video}' has ${info.frameCount} frames: running ${total} from frame ${start}.`);
  const choice = chooseInputSize(
    { label: resolved.label, multipleOf: resolved.multipleOf, ...(resolved.fixedSize ? { fixedSize: resolved.fixedSize } : {}) },
    [info.height, info.width],
    options.size,
  );
  if (choice.note) hooks.onNote?.(choice.note);
  if (options.profile) {
    await checkProfile(options.profile.profile, resolved.model, {
      inputShapes: { [resolved.inputName]: [1, choice.size[0], choice.size[1], 3] },
      preprocessing: { ...resolved.mapping },
      where: options.profile.path,
    });
  }
  const thresholds = options.profile ? profileOptions(options.profile.profile) : options;

  const memory = options.memoryLimit === undefined ? {} : { memoryLimit: options.memoryLimit };
  const sessionArgs = {
    backend,
    ...memory,
    ...(thresholds.threshold === undefined ? {} : { threshold: thresholds.threshold }),
    ...(thresholds.inputThreshold === undefined ? {} : { inputThreshold: thresholds.inputThreshold }),
    ...(thresholds.nodeThresholds === undefined ? {} : { nodeThresholds: thresholds.nodeThresholds }),
  };
  // Sessions plan (and would refuse) their buffers at their first frame; ask now, before decoding.
  checkSessionMemory(resolved.model, resolved.inputName, choice.size, [
    sessionOptionsFor({ mode, ...sessionArgs }),
    ...(mode === 'dense' ? [] : [sessionOptionsFor({ mode: 'dense', backend, ...memory })]),
  ]);
  // Read before any session exists, so a bad homography file fails fast.
  const alignment =
    mode === 'motion'
      ? await alignmentFor(options.align ?? { kind: 'estimate' }, { crop: centredCrop(info, choice.size), size: choice.size }, start, total)
      : undefined;
  const motionSession =
    mode === 'motion' ? await resolved.model.createSession({ ...sessionOptionsFor({ mode, ...sessionArgs }), mode: 'motion' }) : undefined;
  const motion = motionSession && alignment ? new MotionRun(motionSession, alignment, choice.size) : undefined;
  const modeSession: Session = motionSession ?? (await resolved.model.createSession(sessionOptionsFor({ mode, ...sessionArgs })));
  const denseSession = await resolved.model
    .createSession(sessionOptionsFor({ mode: 'dense', backend, ...memory }))
    .catch((error: unknown) => {
      modeSession.dispose();
      throw error;
    });
  try {
    hooks.onStart?.({ total, inputSize: choice.size, backend: modeSession.backendInfo.id });
    const sampleAt = sampleOffsets(total, options.samples ?? 3);
    const records: FrameRecord[] = [];
    const samples: SampleFrame[] = [];
    for await (const frame of streamVideoFrames(videoPath, info, { start, count: total, size: choice.size })) {
      const input = { [resolved.inputName]: frameToTensor(frame, resolved.mapping) };
      if (records.length === 0) await warmUp(resolved.model, sessionOptionsFor({ mode: 'dense', backend, ...memory }), input);
      const aligned: AlignedFrame | undefined = motion?.align(frame);
      const runMode = (): Promise<TensorMap> => (motion && aligned ? motion.run(input, aligned) : modeSession.run(input));
      // Alternating which session goes first keeps cache effects from favouring either one.
      const modeFirst = records.length % 2 === 0;
      const first = await timed(() => (modeFirst ? runMode() : denseSession.run(input)));
      const second = await timed(() => (modeFirst ? denseSession.run(input) : runMode()));
      const [mine, dense] = modeFirst ? [first, second] : [second, first];
      const outputs = mine.value;
      const denseOutputs = dense.value;
      const stats = modeSession.stats();
      const last = stats.frames.at(-1);
      const nodes = stats.nodes;
      const mapped = motion?.compare(outputs, denseOutputs);
      const difference = mapped
        ? { psnr: mapped.psnr, maxAbsError: mapped.maxAbsError, exact: mapped.exact }
        : compareOutputs(outputs, denseOutputs);
      const record: FrameRecord = {
        index: frame.index,
        ms: mine.ms,
        denseMs: dense.ms,
        macs: last?.macs ?? 0,
        denseMacs: last?.denseMacs ?? 0,
        activeFraction: nodes.length > 0 ? nodes.reduce((acc, n) => acc + n.activeFraction, 0) / nodes.length : 1,
        ...difference,
        ...(motion && aligned && mapped ? { motion: motion.record(aligned, mapped.comparedFraction) } : {}),
      };
      if (sampleAt.has(records.length)) {
        samples.push({
          index: frame.index,
          image: frame,
          outputs,
          masks: modeSession.updateMasks(),
          ops: Object.fromEntries(nodes.map((n) => [n.name, n.op])),
        });
      }
      records.push(record);
      hooks.onFrame?.(record, records.length, total);
    }
    return {
      video: options.video,
      model: { label: resolved.label, task: resolved.task, ...(resolved.catalogId ? { catalogId: resolved.catalogId } : {}) },
      mode,
      ...(mode !== 'dense' ? { threshold: thresholds.threshold ?? 0 } : {}),
      ...(mode !== 'dense' && thresholds.inputThreshold !== undefined ? { inputThreshold: thresholds.inputThreshold } : {}),
      backend: { id: modeSession.backendInfo.id, skipped: modeSession.backendInfo.skipped },
      ...sparsePart(modeSession),
      inputSize: choice.size,
      ...aggregate(records),
      perFrame: records,
      samples,
      ...(motion ? { motion: motion.info() } : {}),
    };
  } finally {
    modeSession.dispose();
    denseSession.dispose();
  }
}

/** The result of `fn` and its wall-clock milliseconds. */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

/**
 * One untimed frame on a throwaway dense session: the first run of each kernel pays one-time
 * costs (JIT compilation, allocations) that would otherwise land on whichever session runs first
 * and skew a short run's speedup. The measured sessions still each plan their own first frame.
 */
async function warmUp(model: Model, options: SessionOptions, input: Readonly<Record<string, Tensor>>): Promise<void> {
  const session = await model.createSession(options);
  try {
    await session.run(input);
  } finally {
    session.dispose();
  }
}

/** Positions (0-based, in run order) of `count` frames spread evenly from the first to the last. */
export function sampleOffsets(total: number, count: number): Set<number> {
  const picks = new Set<number>();
  if (total <= 0 || count <= 0) return picks;
  if (count === 1) return picks.add(0);
  for (let k = 0; k < count; k++) picks.add(Math.round((k * (total - 1)) / (count - 1)));
  return picks;
}

/** Which part of the model ran sparsely: delta mode's plan says; motion mode runs no dense islands. */
function sparsePart(session: Session): Pick<RunSummary, 'sparse'> {
  if (session.mode === 'motion') return { sparse: { fraction: 1, islands: [] } };
  if (!(session instanceof DeltaSession) || session.sparseMacFraction === undefined) return {};
  return { sparse: { fraction: session.sparseMacFraction, islands: session.islands } };
}
