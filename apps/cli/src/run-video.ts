import { OptionError, type Tensor } from '@motiondelta/core';
import {
  DeltaSession,
  profileOptions,
  type Model,
  type MotionSession,
  type ReanchorOptions,
  type Session,
  type SessionOptions,
  type ThresholdProfile,
} from '@motiondelta/graph-runtime';
import { frameToTensor, prepareVideoSource } from '@motiondelta/video-io';
import { centredCrop, createVideoSession, streamVideoFrames } from 'motiondelta';
import { chooseInputSize } from './input-size.js';
import { alignLabel, alignSpecFor, type AlignSpec } from './motion/frame-alignment.js';
import { MotionFigures } from './motion/motion-figures.js';
import { runSideBySide } from './run-side-by-side.js';
import { compareOutputs } from './output-error.js';
import { customInputArgs, resolveModel, type CustomInputArgs } from './resolve-model.js';
import { resolveVideo } from './resolve-video.js';
import { aggregate, type FrameRecord, type RunSummary, type SampleFrame } from './run-summary.js';
import { checkSessionMemory, sessionOptionsFor, type RunMode } from './session-options.js';
import { blockRunInfo, type BlockFrameRecord, type BlockSettings } from './block/block-figures.js';
import { policyBackendOf, policyForRun } from './block/policy-for-run.js';
import type { BlockFrameStats } from 'motiondelta';

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
   * A calibrated profile (its file path for messages): checked by the video session against the
   * model, the input size and the input mapping (`VideoSession.checkProfile`) before any frame is
   * decoded; its thresholds are used.
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
  /** Motion mode: how frames reach the viewport grid (default `whole-pixel`, see `VIDEO_DEFAULTS`). */
  readonly warp?: 'whole-pixel' | 'homography';
  /** Delta and motion modes: the scene-cut bound (default 0.4, `Infinity`: off). */
  readonly sceneCut?: number;
  /** Motion mode: when to re-anchor (see `createSession`; `createVideoSession`'s defaults otherwise). */
  readonly reanchor?: ReanchorOptions;
  /** Frames kept for the report (first, middle, last, ...); default 3. */
  readonly samples?: number;
  /** Bytes each session may allocate (`memoryLimit` of createSession); the runtime's default (8 GiB) when absent. */
  readonly memoryLimit?: number;
  /** Block mode: the policy, target rate, block side and seed (required in block mode). */
  readonly block?: BlockSettings;
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
 * dense is the reference for both speed and error. The mode runs through `motiondelta`'s
 * `createVideoSession`, the API users get (motion alignment included); the dense session beside
 * it is a plain one. Before the first frame, one untimed dense run on a throwaway session absorbs
 * one-time costs. Returns per-frame records, aggregates and a few sample frames (with outputs and
 * update masks) for reports.
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
  const source = await prepareVideoSource(videoPath);
  // frameCount is Infinity for a source that does not state it (a live stream, stdin).
  const info = source.info;
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
  const thresholds = options.profile ? profileOptions(options.profile.profile) : options;

  const memory = options.memoryLimit === undefined ? {} : { memoryLimit: options.memoryLimit };
  const modeOptions = sessionOptionsFor({
    mode,
    backend,
    ...memory,
    ...(thresholds.threshold === undefined ? {} : { threshold: thresholds.threshold }),
    ...(thresholds.inputThreshold === undefined ? {} : { inputThreshold: thresholds.inputThreshold }),
    ...(thresholds.nodeThresholds === undefined ? {} : { nodeThresholds: thresholds.nodeThresholds }),
  });
  const denseOptions = sessionOptionsFor({ mode: 'dense', backend, ...memory });
  // Sessions plan (and would refuse) their buffers at their first frame; ask now, before decoding.
  checkSessionMemory(resolved.model, resolved.inputName, choice.size, [modeOptions, ...(mode === 'dense' ? [] : [denseOptions])]);
  // Read before any session exists, so a bad homography file fails fast.
  const align = mode === 'motion' ? (options.align ?? { kind: 'estimate' }) : undefined;
  const alignment = align ? await alignSpecFor(align, start, total) : undefined;
  if (mode === 'block' && options.block === undefined)
    throw new OptionError('runVideo: block mode needs options.block (policy, targetRate, blockSize, seed).');
  const block = mode === 'block' ? options.block : undefined;
  const policy = block ? policyForRun(block, resolved.catalogId, backend) : undefined;
  const video = await createVideoSession({
    model: resolved.model,
    mode,
    input: resolved.inputName,
    ...resolved.mapping,
    backend,
    ...memory,
    // A profile goes to the video session whole, which applies its thresholds and checks it.
    ...(options.profile
      ? { profile: { profile: options.profile.profile, where: options.profile.path } }
      : {
          ...(modeOptions.threshold === undefined ? {} : { threshold: modeOptions.threshold }),
          ...(modeOptions.inputThreshold === undefined ? {} : { inputThreshold: modeOptions.inputThreshold }),
          ...(modeOptions.nodeThresholds === undefined ? {} : { nodeThresholds: modeOptions.nodeThresholds }),
        }),
    ...(options.warp === undefined || mode !== 'motion' ? {} : { warp: options.warp }),
    ...(options.sceneCut === undefined || mode === 'dense' ? {} : { sceneCut: options.sceneCut }),
    ...(block && policy ? { policy, targetRate: block.targetRate, blockSize: block.blockSize } : {}),
    ...(options.reanchor === undefined || mode !== 'motion' ? {} : { reanchor: options.reanchor }),
    // The frames pushed are the centred crop of the video resized, as `--align <file>` needs to know.
    ...(alignment ? { alignment, geometry: { crop: centredCrop(info, choice.size), size: choice.size } } : {}),
  });
  let denseSession: Session;
  try {
    // Before any frame is decoded, so a profile made for another model, size or mapping costs nothing.
    await video.checkProfile(choice.size);
    denseSession = await resolved.model.createSession(denseOptions);
  } catch (error) {
    video.dispose();
    throw error;
  }
  const modeSession = video.session;
  const motion = align ? new MotionFigures(modeSession as MotionSession, alignLabel(align), choice.size) : undefined;
  try {
    hooks.onStart?.({ total, inputSize: choice.size, backend: modeSession.backendInfo.id });
    const sampleAt = sampleOffsets(total, options.samples ?? 3);
    const records: FrameRecord[] = [];
    const samples: SampleFrame[] = [];
    for await (const frame of streamVideoFrames(source, info, { start, count: total, size: choice.size })) {
      // The dense session's input is the one the video session makes from the frame: same bytes, same mapping.
      const denseInput = (): Record<string, Tensor> => ({ [resolved.inputName]: frameToTensor(frame, resolved.mapping) });
      if (records.length === 0) await warmUp(resolved.model, denseOptions, denseInput());
      motion?.addThumbnail(frame);
      const [result, denseOutputs] = await runSideBySide(video, frame, denseSession, denseInput, records.length % 2 === 0);
      // Each session's own time for the frame: video.push also converts the frame, aligns it and
      // resamples motion outputs onto the frame, which dense inference is not charged with either.
      const denseMs = denseSession.stats().frames.at(-1)?.ms ?? 0;
      const nodes = modeSession.stats().nodes;
      const mapped = motion && result.viewportOutputs ? motion.compare(result.viewportOutputs, denseOutputs) : undefined;
      const difference = mapped
        ? { psnr: mapped.psnr, maxAbsError: mapped.maxAbsError, exact: mapped.exact }
        : compareOutputs(result.outputs, denseOutputs);
      const aligned = result.alignment ? { step: result.alignment, alignMs: result.alignMs ?? 0 } : undefined;
      const blockStats = mode === 'block' ? (result.stats as BlockFrameStats) : undefined;
      const record: FrameRecord = {
        index: result.index,
        ms: result.stats.ms,
        denseMs,
        macs: result.stats.macs,
        denseMacs: result.stats.denseMacs,
        activeFraction: nodes.length > 0 ? nodes.reduce((acc, n) => acc + n.activeFraction, 0) / nodes.length : 1,
        ...difference,
        ...(result.stats.reason === undefined ? {} : { keyframeReason: result.stats.reason }),
        ...(motion && aligned && mapped ? { motion: motion.record(aligned, mapped.comparedFraction) } : {}),
        ...(blockStats ? { block: blockRecord(blockStats) } : {}),
      };
      if (sampleAt.has(records.length)) {
        samples.push({
          index: result.index,
          image: frame,
          // On the frame's grid in every mode (motion: resampled from the viewport), so they line up with the picture.
          outputs: result.outputs,
          ...(mode === 'dense' ? {} : { denseOutputs }),
          masks: modeSession.updateMasks(),
          ops: Object.fromEntries(nodes.map((n) => [n.name, n.op])),
          ...(policy?.last ? { blockGrid: policy.last } : {}),
        });
      }
      records.push(record);
      hooks.onFrame?.(record, records.length, total);
    }
    return {
      video: options.video,
      model: { label: resolved.label, task: resolved.task, ...(resolved.catalogId ? { catalogId: resolved.catalogId } : {}) },
      mode,
      ...(mode === 'delta' || mode === 'motion' ? { threshold: thresholds.threshold ?? 0 } : {}),
      ...((mode === 'delta' || mode === 'motion') && thresholds.inputThreshold !== undefined
        ? { inputThreshold: thresholds.inputThreshold }
        : {}),
      backend: { id: modeSession.backendInfo.id, skipped: modeSession.backendInfo.skipped },
      ...sparsePart(modeSession),
      inputSize: choice.size,
      ...aggregate(records),
      perFrame: records,
      samples,
      ...(motion ? { motion: motion.info() } : {}),
      ...(block && policy
        ? {
            block: blockRunInfo(
              block,
              records.flatMap((r) => (r.block ? [r.block] : [])),
              records.reduce((a, r) => a + r.ms, 0),
              await policyBackendOf(policy),
            ),
          }
        : {}),
    };
  } finally {
    video.dispose();
    denseSession.dispose();
  }
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

/** Block mode's figures of a frame, from the session's statistics. */
function blockRecord(stats: BlockFrameStats): BlockFrameRecord {
  return {
    executedBlocks: stats.executedBlocks,
    totalBlocks: stats.totalBlocks,
    executedFraction: stats.executedFraction,
    policyMs: stats.policyMs,
  };
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
