import { InputError, OptionError, ShapeError, formatShape, type Backend, type DeltaKernels, type TensorMap } from '@motiondelta/core';
import type { InputTensor } from '../ir/graph.js';
import type { WorldPoint } from '@motiondelta/spherical-buffer';
import type { DeltaThresholds } from '../delta/delta-plan.js';
import { executePlan } from '../executor/run-graph-dense.js';
import { describeValue, shapeKeyOf, shapesOf, type CopiedInputs, type InputView } from '../executor/validate-inputs.js';
import type { FrameTicket } from '../session/frame-queue.js';
import type { Session } from '../session/session.js';
import { SessionCore, type SessionContext } from '../session/session-core.js';
import type { FrameStats, KeyframeReason, SessionStats, UpdateMask } from '../session/session-stats.js';
import { StreamHealth } from '../session/stream-health.js';
import { planDenseWithin } from '../session/memory-budget.js';
import {
  IDENTITY_HOMOGRAPHY,
  applyHomography,
  checkHomography,
  compose,
  invert,
  localScaleAndRotation,
  translation,
  type Homography3x3,
} from './homography.js';
import { MotionExecutor, valueOrigin, type PassContext } from './motion-executor.js';
import { runMotionKeyframe } from './motion-keyframe.js';
import { planMotionWithin } from './motion-memory.js';
import type { MotionPlan } from './motion-plan.js';
import { MotionState } from './motion-state.js';
import type { ReanchorOptions } from './reanchor-options.js';
import { alignedChange } from './aligned-change.js';
import { settlePose, type MotionWarp, type PoseChoice } from './settle-pose.js';
import { warpFrame, type WarpedFrame } from './warp-frame.js';

/** Why a frame was computed densely from scratch; shared by every mode (motion adds the re-anchoring reasons). */
export type { KeyframeReason } from '../session/session-stats.js';

export type { ReanchorOptions } from './reanchor-options.js';
export type { MotionWarp } from './settle-pose.js';

/** How well the frame's homography was estimated, as the estimator reports it (`@motiondelta/homography`). */
export interface MotionAlignmentQuality {
  /** RMS transfer error of the estimate's inliers, in pixels. */
  readonly rms?: number;
  /** Inlier count of the estimate. */
  readonly inliers?: number;
  /** The estimate failed: the frame cannot be related to the previous one, so it re-anchors (`alignment`). */
  readonly failed?: boolean;
}

/** Options of one motion frame. */
export interface MotionRunOptions {
  /**
   * 3x3 row-major homography from this frame's pixels (x right, y down) to world pixels. The world
   * is any fixed frame of the user's choosing (typically the first frame); only motion relative
   * to it matters. Omitting the options object means a static camera (identity).
   */
  readonly homography: Homography3x3;
  /**
   * How the homography was estimated, when it was: frames whose estimate is poor (see
   * `reanchor.maxAlignRms` and `minInliers`) or failed re-anchor with reason `alignment`.
   */
  readonly alignment?: MotionAlignmentQuality;
}

/** One motion frame's totals. */
export interface MotionFrameStats extends FrameStats {
  /** Viewport origin in the session's world frame (input pixels; multiples of `totalStride`). */
  readonly offset: WorldPoint;
  /** Set when the frame was a keyframe: why. */
  readonly reason: KeyframeReason | undefined;
  /** Fraction of viewport pixels the warped frame covered. */
  readonly coverage: number;
  /** Bytes of state after the frame. */
  readonly stateBytes: number;
  /** Which pose the frame ran with (see `alignTolerance`); `measured` on keyframes. */
  readonly pose: PoseChoice;
  /**
   * The alignment residual (see `reanchor.maxResidual`): mean |warped frame − previous viewport
   * content| over the mean magnitude of the latter, on a 1-in-16 sample of the pixels both cover;
   * 0 for a frame identical to its aligned predecessor. Undefined on keyframes other than those
   * it caused (`residual`, `scene-cut`) and when the two share no sampled pixel.
   */
  readonly residual: number | undefined;
  /** The estimate's RMS error and inliers as `run()` was given them (`alignment`), if at all. */
  readonly alignRms: number | undefined;
  readonly alignInliers: number | undefined;
}

/** What `MotionSession.stats()` returns. */
export interface MotionSessionStats extends SessionStats {
  readonly mode: 'motion';
  readonly frames: readonly MotionFrameStats[];
  readonly totalStride: number;
}

/** Where the last frame's viewport lies, to map outputs back to the frame. */
export interface MotionFrameGeometry {
  /** Viewport origin in the session's world frame (input pixels). */
  readonly offset: WorldPoint;
  /** Frame pixels to viewport pixels (the residual warp the frame went through). */
  readonly viewportFromFrame: readonly number[];
  /** Viewport pixels to frame pixels (its inverse). */
  readonly frameFromViewport: readonly number[];
}

interface Stream {
  readonly shapeKey: string;
  readonly plan: MotionPlan;
  readonly state: MotionState;
  readonly executor: MotionExecutor;
  /** User world -> session world: the inverse of the homography of the anchoring frame. */
  readonly anchorInverse: readonly number[];
  origin: WorldPoint;
  /** Frame -> session world pose the last frame ran with. */
  pose: readonly number[];
  /** When the state can no longer be updated incrementally (extreme or non-finite values). */
  readonly health: StreamHealth;
  /** The warped frame's buffers, reused by every frame of the stream. */
  warped: WarpedFrame | undefined;
}

const DEFAULT_REANCHOR: Required<ReanchorOptions> = {
  maxScaleChange: 1.25,
  maxRotation: 0.2,
  minOverlap: 0.5,
  minCoverage: 0.5,
  maxResidual: Number.POSITIVE_INFINITY,
  maxAlignRms: 2,
  minInliers: 0,
};
/** Motion-mode options of `createSession` beyond thresholds, re-anchoring and `alignTolerance`. */
export interface MotionSessionOptions {
  /** How frames are brought onto the viewport grid; default `'homography'`. */
  readonly warp?: MotionWarp;
  /**
   * Aligned residual (see `reanchor.maxResidual`) over which a frame is a scene cut (reason
   * `scene-cut`). Default `Infinity` (off): a bare session computes exactly what it is given;
   * `createVideoSession` turns it on for real footage (0.4: about 0.6 to 1 between unrelated
   * natural images, a few percent for motion the homography explains).
   */
  readonly sceneCut?: number;
}
/** Default of `alignTolerance`: about the accuracy of `@motiondelta/homography` on real frames. */
export const DEFAULT_ALIGN_TOLERANCE = 0.1;
const WORLD_LIMIT = 2 ** 24;

/**
 * MotionDeltaCNN-style inference for a moving camera (docs/architecture/motion.md). Each frame
 * comes with a homography to a world frame; the network runs on a viewport of the input's size at
 * a world offset that is a multiple of the network's total stride, the sub-stride rest of the
 * motion is a residual warp of the frame, and every stateful value lives in wrapped buffers the
 * size of its viewport plus the ring its padded window op writes. Semantics are exact-viewport:
 * at threshold 0 the outputs equal dense inference on the viewport's content (the aligned frame
 * where it covers the viewport, the last content elsewhere), on every frame.
 *
 * @example
 * ```ts
 * const session = await model.createSession({ mode: 'motion', threshold: 0 });
 * // The camera panned 16 pixels right since the first frame: frame pixel x sees world x + 16.
 * const out = await session.run({ input: frame }, { homography: [1, 0, 16, 0, 1, 0, 0, 0, 1] });
 * session.stats().frames.at(-1)?.offset; // { y: 0, x: 16 }
 * session.frameGeometry?.frameFromViewport; // map output pixels back to frame pixels
 * ```
 */
export class MotionSession extends SessionCore<MotionFrameStats> implements Session {
  readonly mode = 'motion' as const;
  readonly #kernels: Backend & { readonly delta: DeltaKernels };
  readonly #thresholds: DeltaThresholds;
  readonly #reanchor: Required<ReanchorOptions>;
  readonly #alignTolerance: number;
  readonly #warp: MotionWarp;
  readonly #sceneCut: number;
  /** The plan for the last input shape `run()` admitted, made when it was admitted. */
  #admittedPlan: { readonly shapeKey: string; readonly plan: MotionPlan } | undefined;
  #stream: Stream | undefined;
  #geometry: MotionFrameGeometry | undefined;
  #recover = false;

  constructor(
    context: SessionContext,
    thresholds: DeltaThresholds,
    reanchor: ReanchorOptions = {},
    alignTolerance = DEFAULT_ALIGN_TOLERANCE,
    options: MotionSessionOptions = {},
  ) {
    super(context);
    const { backend } = context;
    if (!backend.delta) {
      throw new OptionError(`Backend '${backend.id}' has no delta kernels; mode 'motion' needs them (use the reference backend).`);
    }
    this.#kernels = backend as Backend & { readonly delta: DeltaKernels };
    this.#thresholds = thresholds;
    this.#reanchor = checkReanchor(reanchor);
    if (!(typeof alignTolerance === 'number' && alignTolerance >= 0 && Number.isFinite(alignTolerance))) {
      throw new OptionError(
        `alignTolerance must be a number of pixels >= 0 (0 resamples every pose exactly), got ${String(alignTolerance)}.`,
      );
    }
    this.#alignTolerance = alignTolerance;
    const warp = options.warp ?? 'homography';
    if (warp !== 'homography' && warp !== 'whole-pixel') {
      throw new OptionError(`warp must be 'homography' or 'whole-pixel', got ${JSON.stringify(warp)}.`);
    }
    this.#warp = warp;
    const sceneCut = options.sceneCut ?? Number.POSITIVE_INFINITY;
    if (!(typeof sceneCut === 'number' && sceneCut >= 0)) {
      throw new OptionError(
        `sceneCut must be a number >= 0 (Infinity, the default, turns scene-cut detection off), got ${String(sceneCut)}.`,
      );
    }
    this.#sceneCut = sceneCut;
  }

  /** How this session brings frames onto the viewport grid. */
  get warp(): MotionWarp {
    return this.#warp;
  }

  /** Bytes of state kept between frames (0 before the first frame). */
  get stateBytes(): number {
    return this.#stream?.state.stateBytes ?? 0;
  }

  /**
   * Where {@link stateBytes} goes: `persistent` wrapped buffers whose content carries over between
   * frames (of which `ring` is spent on the padded convolutions' rings), and per-frame buffers
   * (delta buffers shared between values whose lifetimes in a pass do not overlap, and scratch).
   */
  get memory(): {
    readonly stateBytes: number;
    readonly persistentBytes: number;
    readonly ringBytes: number;
    readonly frameBufferBytes: number;
  } {
    const s = this.#stream?.state;
    return {
      stateBytes: s?.stateBytes ?? 0,
      persistentBytes: s?.persistentBytes ?? 0,
      ringBytes: s?.ringBytes ?? 0,
      frameBufferBytes: s?.frameBufferBytes ?? 0,
    };
  }

  /** Viewport offsets are multiples of this many input pixels (known after the first frame). */
  get totalStride(): number | undefined {
    return this.#stream?.plan.totalStride;
  }

  /** Where the last frame's viewport lies relative to the frame (undefined before the first frame). */
  get frameGeometry(): MotionFrameGeometry | undefined {
    return this.#geometry;
  }

  /**
   * Input pixels per pixel of an output (or any value) along y and x: output pixel `(i, j)` covers
   * viewport pixels from `(i * y, j * x)`; map those to the frame with `frameFromViewport`.
   */
  outputScale(name: string): { y: number; x: number } | undefined {
    const v = this.#stream?.plan.values.get(name);
    return v && { y: v.scaleY.num / v.scaleY.den, x: v.scaleX.num / v.scaleX.den };
  }

  /**
   * Runs one frame. `inputs` is the frame (NHWC, batch 1; its size is the viewport's); `options`
   * gives its homography to the world (omit it for a static camera). Outputs are dense values on
   * the viewport grid; see {@link frameGeometry} and {@link outputScale} to map them to the frame.
   *
   * The inputs and options are validated, and the inputs copied, before `run()` returns: the caller
   * may reuse or detach its buffers at once. Bad arguments reject the returned promise with
   * InputError (a malformed, non-finite or singular homography, non-finite input values, data not
   * in a Float32Array), ShapeError (a shape the model does not take, or not `[1,H,W,C]`) or
   * OptionError (`options` not an object); the session is unchanged and stays usable.
   */
  run(inputs: Readonly<Record<string, InputTensor>>, options?: MotionRunOptions): Promise<TensorMap> {
    return this.submit(
      (): MotionFrame => {
        const { homography: userH, alignment } = readMotionOptions(options);
        // Planned (and checked against memoryLimit) before the inputs are copied: a frame too
        // large for the session is refused before anything of its size is allocated.
        const admitted = this.inputs.admit(inputs, (views) => {
          checkMotionShapes(views);
          this.#checkPlan(shapeKeyOf(views), shapesOf(views));
        });
        return { ...admitted, userH, alignment };
      },
      (frame, ticket) => this.#runFrame(frame, ticket),
    );
  }

  override stats(): MotionSessionStats {
    return {
      mode: this.mode,
      backend: this.backend.id,
      frames: [...this.frames],
      nodes: [...this.nodes],
      totalStride: this.#stream?.plan.totalStride ?? 1,
    };
  }

  updateMasks(): UpdateMask[] {
    const stream = this.#stream;
    if (!stream) return [];
    const keyframe = this.frames.at(-1)?.keyframe ?? true;
    const last = new Map<string, string>();
    for (const step of stream.plan.steps) {
      if (step.kind === 'input') continue;
      last.set(step.step.node, step.step.output);
    }
    const masks: UpdateMask[] = [];
    for (const [node, value] of last) {
      const s = stream.state.get(value);
      const [, h, w] = s.value.shape;
      const updated = stream.state.updated.get(value);
      const mask = new Uint8Array(h * w).fill(keyframe ? 1 : 0);
      if (!keyframe && updated) for (const p of updated) mask[p] = 1;
      masks.push({ node, shape: [1, h, w], mask });
    }
    return masks;
  }

  protected forget(): void {
    this.#stream = undefined;
    this.#geometry = undefined;
    this.#recover = false;
  }

  async #runFrame(admitted: MotionFrame, ticket: FrameTicket): Promise<TensorMap> {
    // Overtaken by reset() or dispose() before it started: the stream it belonged to is gone. A
    // keyframe's outputs are dense inference on the frame, so compute those and keep nothing.
    if (!ticket.current()) return this.#standalone(admitted);
    const { tensors: inputs, shapeKey, userH, alignment } = admitted;
    const start = performance.now();
    const stream = this.#stream;
    if (stream === undefined) return this.#keyframe(admitted, start, this.#recover ? 'recovery' : 'first', ticket);
    if (stream.shapeKey !== shapeKey) return this.#keyframe(admitted, start, 'shape', ticket);
    const unhealthy = stream.health.keyframeReason(admitted.peaks);
    if (unhealthy) return this.#keyframe(admitted, start, unhealthy, ticket);

    const frame = inputs[stream.plan.input]!;
    const [, fh, fw] = frame.shape as [number, number, number];
    const settled = settlePose(compose(stream.anchorInverse, userH), stream.pose, fw, fh, this.#alignTolerance, this.#warp);
    const worldFromFrame = settled.pose;
    // A whole-pixel pose never resamples: zoom and rotation against the world cost deltas, not accuracy.
    if (this.#warp === 'homography') {
      const { scale, rotation } = localScaleAndRotation(worldFromFrame, (fw - 1) / 2, (fh - 1) / 2);
      if (!(Math.abs(Math.log(scale)) <= Math.log(this.#reanchor.maxScaleChange))) return this.#keyframe(admitted, start, 'scale', ticket);
      if (!(Math.abs(rotation) <= this.#reanchor.maxRotation)) return this.#keyframe(admitted, start, 'rotation', ticket);
    }
    const S = stream.plan.totalStride;
    const [cx, cy] = applyHomography(worldFromFrame, (fw - 1) / 2, (fh - 1) / 2);
    const to = { y: Math.round((cy - (fh - 1) / 2) / S) * S + 0, x: Math.round((cx - (fw - 1) / 2) / S) * S + 0 };
    if (!(Math.abs(to.y) < WORLD_LIMIT && Math.abs(to.x) < WORLD_LIMIT)) return this.#keyframe(admitted, start, 'world-range', ticket);
    const from = stream.origin;
    const overlap = Math.max(0, fh - Math.abs(to.y - from.y)) * Math.max(0, fw - Math.abs(to.x - from.x));
    if (overlap < this.#reanchor.minOverlap * fh * fw) return this.#keyframe(admitted, start, 'motion', ticket);
    const viewportFromFrame = compose(translation(-to.x, -to.y), worldFromFrame);
    const warped = warpFrame(frame, viewportFromFrame, fh, fw, stream.warped);
    stream.warped = warped;
    const coverage = warped.coveredCount / (fh * fw);
    if (coverage < this.#reanchor.minCoverage) return this.#keyframe(admitted, start, 'coverage', ticket);
    const residual = alignedChange(warped, stream.state.get(stream.plan.input).store!, from, to, fh, fw);
    if (residual !== undefined && residual > this.#sceneCut) return this.#keyframe(admitted, start, 'scene-cut', ticket, residual);
    // After the scene-cut test: a failed estimate at a cut (the usual case) is reported as the cut.
    if (alignment && poorAlignment(alignment, this.#reanchor)) return this.#keyframe(admitted, start, 'alignment', ticket, residual);
    if (residual !== undefined && residual > this.#reanchor.maxResidual)
      return this.#keyframe(admitted, start, 'residual', ticket, residual);

    const { state, executor } = stream;
    const macs: number[] = [];
    const ms: number[] = [];
    const moved = to.y !== from.y || to.x !== from.x;
    try {
      if (moved) {
        const shrink: PassContext = { pass: 'shrink', from, to };
        await executor.runPass(state, shrink, undefined, macs, ms);
        executor.resetUnveiled(state, from, to);
      }
      await executor.runPass(state, { pass: 'grow', from, to }, warped, macs, ms);
    } catch (error) {
      // Some state was updated and some not: drop it all; the next frame is a keyframe.
      this.#dropStream(ticket);
      throw error;
    }
    stream.origin = to;
    stream.pose = worldFromFrame;
    stream.health.extend(admitted.peaks);
    const geometry = { offset: to, viewportFromFrame, frameFromViewport: invert(viewportFromFrame) };
    if (ticket.current()) this.#geometry = geometry;
    return this.#finish(stream, macs, ms, start, undefined, coverage, settled.choice, ticket, residual, alignment);
  }

  /** After a failed frame: its state is half-updated, so the next frame re-anchors (reason `recovery`). */
  #dropStream(ticket: FrameTicket): void {
    if (!ticket.current()) return;
    this.#stream = undefined;
    this.#recover = true;
  }

  /** A frame with no stream to join: dense inference on it, which is what a keyframe outputs. */
  async #standalone(frame: MotionFrame): Promise<TensorMap> {
    const shapes = Object.fromEntries(Object.entries(frame.tensors).map(([k, t]) => [k, t.shape]));
    return executePlan(this.graph, planDenseWithin(this.graph, shapes, this.memoryLimit), frame.tensors, this.backend);
  }

  /** Plans a new input shape when `run()` admits it (see there); the keyframe that follows uses the plan. */
  #checkPlan(shapeKey: string, shapes: Readonly<Record<string, readonly number[]>>): MotionPlan {
    if (this.#stream?.shapeKey === shapeKey) return this.#stream.plan;
    if (this.#admittedPlan?.shapeKey !== shapeKey) {
      this.#admittedPlan = { shapeKey, plan: planMotionWithin(this.graph, shapes, this.#thresholds, this.memoryLimit) };
    }
    return this.#admittedPlan.plan;
  }

  async #keyframe(
    admitted: MotionFrame,
    start: number,
    reason: KeyframeReason,
    ticket: FrameTicket,
    residual?: number,
  ): Promise<TensorMap> {
    const { tensors: inputs, shapeKey, userH } = admitted;
    const shapes = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, t.shape]));
    const reuse = this.#stream?.shapeKey === shapeKey ? this.#stream : undefined;
    const plan = reuse?.plan ?? this.#checkPlan(shapeKey, shapes);
    const state = reuse?.state ?? new MotionState(plan);
    const executor = reuse?.executor ?? new MotionExecutor(this.graph, plan, this.#kernels);
    // The anchoring frame becomes the world: its own homography to the session world is identity.
    const anchorInverse = invert(userH);
    const origin = { y: 0, x: 0 };
    // The keyframe overwrites the reused state: until it is done, there is no stream.
    this.#stream = undefined;
    try {
      await runMotionKeyframe(this.graph, plan, state, this.#kernels, inputs[plan.input]!, origin);
    } catch (error) {
      this.#dropStream(ticket);
      throw error;
    }
    const stream: Stream = {
      shapeKey,
      plan,
      state,
      executor,
      anchorInverse,
      origin,
      pose: [...IDENTITY_HOMOGRAPHY],
      warped: reuse?.warped,
      health: new StreamHealth(admitted.peaks),
    };
    // Overtaken by reset() or dispose() while it ran: answer the caller, install nothing.
    if (ticket.current()) {
      this.#stream = stream;
      this.#recover = false;
      this.#geometry = { offset: origin, viewportFromFrame: [...IDENTITY_HOMOGRAPHY], frameFromViewport: [...IDENTITY_HOMOGRAPHY] };
    }
    const macs = plan.steps.map((s) => (s.kind === 'input' ? 0 : s.step.denseMacs));
    return this.#finish(stream, macs, [], start, reason, 1, 'measured', ticket, residual, admitted.alignment);
  }

  #finish(
    stream: Stream,
    macs: readonly number[],
    ms: readonly number[],
    start: number,
    reason: KeyframeReason | undefined,
    coverage: number,
    pose: PoseChoice,
    ticket: FrameTicket,
    residual: number | undefined,
    alignment: MotionAlignmentQuality | undefined,
  ): TensorMap {
    const { plan, state } = stream;
    // Fresh arrays (readRect copies out of the wrapped stores): no caller can reach the state.
    const outputs: TensorMap = {};
    for (const name of plan.outputs) {
      const s = state.get(name);
      const store = s.value.role === 'activation' ? s.emitted! : s.store!;
      const o = valueOrigin(s.value, stream.origin);
      outputs[name] = store.buffer.readRect({ y: o.y, x: o.x, height: s.value.shape[1], width: s.value.shape[2] });
    }
    // A frame overtaken by reset() or dispose() answers its caller and leaves no statistics.
    if (!ticket.current()) return outputs;
    stream.health.checkOutputs(outputs);
    const byNode = new Map<string, { macs: number; denseMacs: number; ms: number; value: string }>();
    plan.steps.forEach((step, i) => {
      if (step.kind === 'input') return;
      const entry = byNode.get(step.step.node) ?? { macs: 0, denseMacs: 0, ms: 0, value: step.step.output };
      entry.macs += macs[i] ?? 0;
      entry.ms += ms[i] ?? 0;
      entry.denseMacs += step.step.denseMacs;
      entry.value = step.step.output;
      byNode.set(step.step.node, entry);
    });
    const keyframe = reason !== undefined;
    const nodes = [...byNode].map(([name, e]) => {
      const v = state.get(e.value).value;
      const activeFraction = keyframe ? 1 : (state.updated.get(e.value)?.length ?? 0) / (v.shape[1] * v.shape[2]);
      return { name, op: this.ops.get(name) ?? 'Activation', macs: e.macs, denseMacs: e.denseMacs, activeFraction, ms: e.ms };
    });
    const total = macs.reduce((s, m) => s + m, 0);
    const denseMacs = plan.steps.reduce((s, step) => s + (step.kind === 'input' ? 0 : step.step.denseMacs), 0);
    this.record(
      {
        ms: performance.now() - start,
        macs: total,
        denseMacs,
        keyframe,
        offset: stream.origin,
        reason,
        coverage,
        stateBytes: state.stateBytes,
        pose,
        residual,
        alignRms: alignment?.rms,
        alignInliers: alignment?.inliers,
      },
      nodes,
    );
    return outputs;
  }
}

/** A motion frame as admitted by `run()`: the copied inputs and the checked homography. */
interface MotionFrame extends CopiedInputs {
  readonly userH: readonly number[];
  readonly alignment: MotionAlignmentQuality | undefined;
}

/**
 * `run()`'s options, checked before anything is copied: omitted (a static camera) or an object
 * whose `homography` is valid (see `checkHomography`).
 */
function readMotionOptions(options: unknown): { homography: number[]; alignment: MotionAlignmentQuality | undefined } {
  if (options === undefined) return { homography: [...IDENTITY_HOMOGRAPHY], alignment: undefined };
  if (typeof options !== 'object' || options === null || Array.isArray(options) || ArrayBuffer.isView(options)) {
    const hint = Array.isArray(options) || ArrayBuffer.isView(options) ? ' (pass the homography as { homography: [...] })' : '';
    throw new OptionError(
      `run(inputs, options): options must be an object { homography: number[9] }, or omitted for a static camera; got ${describeValue(options)}${hint}.`,
    );
  }
  const { homography, alignment } = options as { homography?: unknown; alignment?: unknown };
  return { homography: checkHomography(homography, 'options.homography'), alignment: checkAlignment(alignment) };
}

/** `options.alignment`: omitted, or an object whose `rms` and `inliers` are finite numbers >= 0 and `failed` a boolean. */
function checkAlignment(alignment: unknown): MotionAlignmentQuality | undefined {
  if (alignment === undefined) return undefined;
  if (typeof alignment !== 'object' || alignment === null || Array.isArray(alignment)) {
    throw new InputError(`options.alignment must be an object { rms?, inliers?, failed? } or omitted, got ${describeValue(alignment)}.`);
  }
  const { rms, inliers, failed } = alignment as Record<string, unknown>;
  for (const [key, v] of [
    ['rms', rms],
    ['inliers', inliers],
  ] as const) {
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw new InputError(`options.alignment.${key} must be a finite number >= 0 or omitted, got ${describeValue(v)}.`);
    }
  }
  if (failed !== undefined && typeof failed !== 'boolean') {
    throw new InputError(`options.alignment.failed must be a boolean or omitted, got ${describeValue(failed)}.`);
  }
  return {
    ...(rms !== undefined && { rms: rms as number }),
    ...(inliers !== undefined && { inliers: inliers as number }),
    ...(failed !== undefined && { failed }),
  };
}

/** The estimate failed, or its quality is below `maxAlignRms` / `minInliers`. */
function poorAlignment(a: MotionAlignmentQuality, r: Required<ReanchorOptions>): boolean {
  return a.failed === true || (a.rms !== undefined && a.rms > r.maxAlignRms) || (a.inliers !== undefined && a.inliers < r.minInliers);
}

/** Motion mode runs one frame at a time, of at least one pixel: every input is `[1,H,W,C]` with H, W, C >= 1. */
function checkMotionShapes(views: readonly InputView[]): void {
  for (const { name, shape } of views) {
    if (shape.length !== 4 || shape[0] !== 1 || !shape.every((d) => d >= 1)) {
      throw new ShapeError(
        `Motion mode takes one frame at a time: input '${name}' must be [1,H,W,C] with H, W, C >= 1, got ${formatShape(shape)}.`,
      );
    }
  }
}

function checkReanchor(options: ReanchorOptions): Required<ReanchorOptions> {
  const r = { ...DEFAULT_REANCHOR, ...options };
  if (!(r.maxScaleChange >= 1)) throw new OptionError(`reanchor.maxScaleChange must be a number >= 1, got ${r.maxScaleChange}.`);
  if (!(r.maxRotation >= 0)) throw new OptionError(`reanchor.maxRotation must be radians >= 0, got ${r.maxRotation}.`);
  for (const k of ['minOverlap', 'minCoverage'] as const) {
    if (!(r[k] >= 0 && r[k] <= 1)) throw new OptionError(`reanchor.${k} must be a fraction in [0, 1], got ${r[k]}.`);
  }
  for (const k of ['maxResidual', 'maxAlignRms', 'minInliers'] as const) {
    if (!(typeof r[k] === 'number' && r[k] >= 0)) {
      throw new OptionError(
        `reanchor.${k} must be a number >= 0 (maxResidual and maxAlignRms: Infinity turns it off), got ${String(r[k])}.`,
      );
    }
  }
  return r;
}
