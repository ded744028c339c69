import { OptionError, ShapeError, type Backend, type DeltaKernels, type Tensor, type TensorMap } from '@motiondelta/core';
import type { WorldPoint } from '@motiondelta/spherical-buffer';
import { planDelta, type DeltaThresholds } from '../delta/delta-plan.js';
import { validateInputs } from '../executor/validate-inputs.js';
import type { Graph } from '../ir/graph.js';
import type { SkippedBackend } from '../session/backend-registry.js';
import { SerialQueue } from '../session/serial-queue.js';
import type { Session, SessionBackendInfo } from '../session/session.js';
import { recordFrame, type FrameStats, type NodeStats, type SessionStats, type UpdateMask } from '../session/session-stats.js';
import { planGraph } from '../shape/plan-graph.js';
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
import { planMotion, type MotionPlan } from './motion-plan.js';
import { MotionState } from './motion-state.js';
import { settlePose, type PoseChoice } from './settle-pose.js';
import { warpFrame, type WarpedFrame } from './warp-frame.js';

/** Why a motion frame was computed densely from scratch. */
export type KeyframeReason =
  /** The first frame, or the first after `reset()`. */
  | 'first'
  /** The input size changed. */
  | 'shape'
  /** The camera zoomed beyond `maxScaleChange` relative to the world frame. */
  | 'scale'
  /** The camera rotated beyond `maxRotation` relative to the world frame. */
  | 'rotation'
  /** The viewport moved so far that less than `minOverlap` of it stayed (the motion outran the buffers). */
  | 'motion'
  /** The warped frame covered less than `minCoverage` of the viewport. */
  | 'coverage'
  /** The viewport offset left the representable world range. */
  | 'world-range'
  /** The previous frame failed in a kernel; its state was dropped. */
  | 'recovery';

/** When motion mode gives up on the world frame and takes a dense keyframe (re-anchors). */
export interface ReanchorOptions {
  /** Largest zoom factor (either way) against the world frame, measured at the frame centre. Default 1.25. */
  readonly maxScaleChange?: number;
  /** Largest rotation against the world frame, in radians. Default 0.2 (about 11.5 degrees). */
  readonly maxRotation?: number;
  /** Smallest fraction of the viewport that must stay in view across a move. Default 0.5. */
  readonly minOverlap?: number;
  /** Smallest fraction of the viewport the warped frame must cover. Default 0.5. */
  readonly minCoverage?: number;
}

/** Options of one motion frame. */
export interface MotionRunOptions {
  /**
   * 3x3 row-major homography from this frame's pixels (x right, y down) to world pixels. The world
   * is any fixed frame of the user's choosing (typically the first frame); only motion relative
   * to it matters. Omitting the options object means a static camera (identity).
   */
  readonly homography: Homography3x3;
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
  /** The warped frame's buffers, reused by every frame of the stream. */
  warped: WarpedFrame | undefined;
}

const DEFAULT_REANCHOR: Required<ReanchorOptions> = { maxScaleChange: 1.25, maxRotation: 0.2, minOverlap: 0.5, minCoverage: 0.5 };
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
export class MotionSession implements Session {
  readonly mode = 'motion' as const;
  readonly backendInfo: SessionBackendInfo;
  readonly #graph: Graph;
  readonly #backend: Backend & { readonly delta: DeltaKernels };
  readonly #thresholds: DeltaThresholds;
  readonly #reanchor: Required<ReanchorOptions>;
  readonly #alignTolerance: number;
  readonly #ops: ReadonlyMap<string, string>;
  readonly #queue = new SerialQueue();
  #stream: Stream | undefined;
  #frames: MotionFrameStats[] = [];
  #nodes: NodeStats[] = [];
  #frameIndex = 0;
  #geometry: MotionFrameGeometry | undefined;
  #recover = false;

  constructor(
    graph: Graph,
    backend: Backend,
    skipped: readonly SkippedBackend[],
    thresholds: DeltaThresholds,
    reanchor: ReanchorOptions = {},
    alignTolerance = DEFAULT_ALIGN_TOLERANCE,
  ) {
    if (!backend.delta) {
      throw new OptionError(`Backend '${backend.id}' has no delta kernels; mode 'motion' needs them (use the reference backend).`);
    }
    this.#graph = graph;
    this.#backend = backend as Backend & { readonly delta: DeltaKernels };
    this.#thresholds = thresholds;
    this.#reanchor = checkReanchor(reanchor);
    if (!(typeof alignTolerance === 'number' && alignTolerance >= 0 && Number.isFinite(alignTolerance))) {
      throw new OptionError(`alignTolerance must be a number of pixels >= 0 (0 resamples every pose exactly), got ${String(alignTolerance)}.`);
    }
    this.#alignTolerance = alignTolerance;
    this.#ops = new Map(graph.nodes.map((n) => [n.name, n.op]));
    this.backendInfo = { id: backend.id, skipped };
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
  get memory(): { readonly stateBytes: number; readonly persistentBytes: number; readonly ringBytes: number; readonly frameBufferBytes: number } {
    const s = this.#stream?.state;
    return { stateBytes: s?.stateBytes ?? 0, persistentBytes: s?.persistentBytes ?? 0, ringBytes: s?.ringBytes ?? 0, frameBufferBytes: s?.frameBufferBytes ?? 0 };
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
   * @throws InputError for a missing or degenerate homography or non-finite input values; the
   * session is unchanged and stays usable.
   */
  run(inputs: Readonly<Record<string, Tensor>>, options?: MotionRunOptions): Promise<TensorMap> {
    return this.#queue.run(() => this.#runFrame(inputs, options));
  }

  stats(): MotionSessionStats {
    return { mode: this.mode, backend: this.#backend.id, frames: [...this.#frames], nodes: [...this.#nodes], totalStride: this.#stream?.plan.totalStride ?? 1 };
  }

  updateMasks(): UpdateMask[] {
    const stream = this.#stream;
    if (!stream) return [];
    const keyframe = this.#frames.at(-1)?.keyframe ?? true;
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

  reset(): void {
    this.#stream = undefined;
    this.#frames = [];
    this.#nodes = [];
    this.#frameIndex = 0;
    this.#geometry = undefined;
    this.#recover = false;
  }

  dispose(): void {
    this.#stream = undefined;
    this.#backend.dispose?.();
  }

  async #runFrame(inputs: Readonly<Record<string, Tensor>>, options: MotionRunOptions | undefined): Promise<TensorMap> {
    validateInputs(this.#graph.inputs, inputs);
    const userH = options === undefined ? [...IDENTITY_HOMOGRAPHY] : checkHomography((options as { homography?: unknown }).homography, 'options.homography');
    for (const input of this.#graph.inputs) {
      const s = inputs[input.name]!.shape;
      if (s.length !== 4 || s[0] !== 1) throw new ShapeError(`Motion mode takes one frame at a time: input '${input.name}' must be [1,H,W,C], got [${s.join(',')}].`);
    }
    const shapeKey = this.#graph.inputs.map((i) => inputs[i.name]!.shape.join('x')).join('|');
    const start = performance.now();
    const stream = this.#stream;
    if (stream === undefined) return this.#keyframe(inputs, shapeKey, userH, start, this.#recover ? 'recovery' : 'first');
    if (stream.shapeKey !== shapeKey) return this.#keyframe(inputs, shapeKey, userH, start, 'shape');

    const frame = inputs[stream.plan.input]!;
    const [, fh, fw] = frame.shape as [number, number, number];
    const settled = settlePose(compose(stream.anchorInverse, userH), stream.pose, fw, fh, this.#alignTolerance);
    const worldFromFrame = settled.pose;
    const { scale, rotation } = localScaleAndRotation(worldFromFrame, (fw - 1) / 2, (fh - 1) / 2);
    if (!(Math.abs(Math.log(scale)) <= Math.log(this.#reanchor.maxScaleChange))) return this.#keyframe(inputs, shapeKey, userH, start, 'scale');
    if (!(Math.abs(rotation) <= this.#reanchor.maxRotation)) return this.#keyframe(inputs, shapeKey, userH, start, 'rotation');
    const S = stream.plan.totalStride;
    const [cx, cy] = applyHomography(worldFromFrame, (fw - 1) / 2, (fh - 1) / 2);
    const to = { y: Math.round((cy - (fh - 1) / 2) / S) * S + 0, x: Math.round((cx - (fw - 1) / 2) / S) * S + 0 };
    if (!(Math.abs(to.y) < WORLD_LIMIT && Math.abs(to.x) < WORLD_LIMIT)) return this.#keyframe(inputs, shapeKey, userH, start, 'world-range');
    const from = stream.origin;
    const overlap = Math.max(0, fh - Math.abs(to.y - from.y)) * Math.max(0, fw - Math.abs(to.x - from.x));
    if (overlap < this.#reanchor.minOverlap * fh * fw) return this.#keyframe(inputs, shapeKey, userH, start, 'motion');
    const viewportFromFrame = compose(translation(-to.x, -to.y), worldFromFrame);
    const warped = warpFrame(frame, viewportFromFrame, fh, fw, stream.warped);
    stream.warped = warped;
    const coverage = warped.coveredCount / (fh * fw);
    if (coverage < this.#reanchor.minCoverage) return this.#keyframe(inputs, shapeKey, userH, start, 'coverage');

    const { plan, state, executor } = stream;
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
      this.#stream = undefined;
      this.#recover = true;
      throw error;
    }
    stream.origin = to;
    stream.pose = worldFromFrame;
    this.#geometry = { offset: to, viewportFromFrame, frameFromViewport: invert(viewportFromFrame) };
    return this.#finish(stream, macs, ms, start, undefined, coverage, settled.choice);
  }

  async #keyframe(
    inputs: Readonly<Record<string, Tensor>>,
    shapeKey: string,
    userH: readonly number[],
    start: number,
    reason: KeyframeReason,
  ): Promise<TensorMap> {
    const shapes = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, t.shape]));
    const reuse = this.#stream?.shapeKey === shapeKey ? this.#stream : undefined;
    const plan = reuse?.plan ?? planMotion(this.#graph, planDelta(this.#graph, planGraph(this.#graph, shapes), this.#thresholds));
    const state = reuse?.state ?? new MotionState(plan);
    const executor = reuse?.executor ?? new MotionExecutor(this.#graph, plan, this.#backend);
    // The anchoring frame becomes the world: its own homography to the session world is identity.
    const anchorInverse = invert(userH);
    const origin = { y: 0, x: 0 };
    this.#stream = undefined;
    await runMotionKeyframe(this.#graph, plan, state, this.#backend, inputs[plan.input]!, origin);
    const stream: Stream = { shapeKey, plan, state, executor, anchorInverse, origin, pose: [...IDENTITY_HOMOGRAPHY], warped: reuse?.warped };
    this.#stream = stream;
    this.#recover = false;
    this.#geometry = { offset: origin, viewportFromFrame: [...IDENTITY_HOMOGRAPHY], frameFromViewport: [...IDENTITY_HOMOGRAPHY] };
    const macs = plan.steps.map((s) => (s.kind === 'input' ? 0 : s.step.denseMacs));
    return this.#finish(stream, macs, [], start, reason, 1, 'measured');
  }

  #finish(
    stream: Stream,
    macs: readonly number[],
    ms: readonly number[],
    start: number,
    reason: KeyframeReason | undefined,
    coverage: number,
    pose: PoseChoice,
  ): TensorMap {
    const { plan, state } = stream;
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
    this.#nodes = [...byNode].map(([name, e]) => {
      const v = state.get(e.value).value;
      const activeFraction = keyframe ? 1 : (state.updated.get(e.value)?.length ?? 0) / (v.shape[1] * v.shape[2]);
      return { name, op: this.#ops.get(name) ?? 'Activation', macs: e.macs, denseMacs: e.denseMacs, activeFraction, ms: e.ms };
    });
    const total = macs.reduce((s, m) => s + m, 0);
    const denseMacs = plan.steps.reduce((s, step) => s + (step.kind === 'input' ? 0 : step.step.denseMacs), 0);
    recordFrame(this.#frames as FrameStats[], {
      index: this.#frameIndex++,
      ms: performance.now() - start,
      macs: total,
      denseMacs,
      keyframe,
      offset: stream.origin,
      reason,
      coverage,
      stateBytes: state.stateBytes,
      pose,
    } as MotionFrameStats);
    const outputs: TensorMap = {};
    for (const name of plan.outputs) {
      const s = state.get(name);
      const store = s.value.role === 'activation' ? s.emitted! : s.store!;
      const o = valueOrigin(s.value, stream.origin);
      outputs[name] = store.buffer.readRect({ y: o.y, x: o.x, height: s.value.shape[1], width: s.value.shape[2] });
    }
    return outputs;
  }
}

function checkReanchor(options: ReanchorOptions): Required<ReanchorOptions> {
  const r = { ...DEFAULT_REANCHOR, ...options };
  if (!(r.maxScaleChange >= 1)) throw new OptionError(`reanchor.maxScaleChange must be a number >= 1, got ${r.maxScaleChange}.`);
  if (!(r.maxRotation >= 0)) throw new OptionError(`reanchor.maxRotation must be radians >= 0, got ${r.maxRotation}.`);
  for (const k of ['minOverlap', 'minCoverage'] as const) {
    if (!(r[k] >= 0 && r[k] <= 1)) throw new OptionError(`reanchor.${k} must be a fraction in [0, 1], got ${r[k]}.`);
  }
  return r;
}
