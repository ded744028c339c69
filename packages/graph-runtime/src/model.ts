import { OptionError, type Backend, type Shape, type StepKind } from '@motiondelta/core';
import type { Graph, ValueInfo } from './ir/graph.js';
import { ReferenceBackend } from './reference/index.js';
import { chooseBackend } from './session/backend-registry.js';
import { missingStepKind } from './program/compile-program.js';
import { DeltaSession } from './delta/delta-session.js';
import { DenseSession } from './session/dense-session.js';
import { MotionSession, type ReanchorOptions } from './motion/motion-session.js';
import { deltaMemory, planDeltaWithin } from './delta/delta-memory.js';
import { motionMemory, planMotionWithin } from './motion/motion-memory.js';
import { checkMemoryLimit, denseMemory, planDenseWithin, type MemoryEstimate } from './session/memory-budget.js';
import type { Session } from './session/session.js';
import { simplifyGraph } from './simplify/simplify-graph.js';

/** The step kinds delta and motion sessions run (motion through the delta kernels). */
const DELTA_STEP_KINDS: readonly StepKind[] = ['sparsify', 'accumulate', 'linear', 'activation', 'binary', 'maxpool'];

/**
 * Execution modes: `dense` computes every frame in full; `delta` propagates only what changed
 * since the previous frame (DeltaCNN); `motion` does the same for a moving camera, each frame
 * given with its homography to a world frame (MotionDeltaCNN). `block` arrives with its own work.
 */
export type SessionMode = 'dense' | 'delta' | 'motion';

/** Options of {@link Model.createSession}. */
export interface SessionOptions {
  /** Defaults to `dense`. */
  readonly mode?: SessionMode;
  /**
   * Backends in order of preference, by registered id or as instances. The first one that
   * initialises wins; the others are reported in `session.backendInfo.skipped`.
   * Defaults to `['reference']`.
   */
  readonly backend?: string | Backend | readonly (string | Backend)[];
  /**
   * Delta and motion modes: the default truncation threshold of non-linear nodes (and of dense islands'
   * outputs). A node emits a pixel only where max over channels |new - last emitted| exceeds it;
   * the rest is kept and emitted once it adds up. 0 (the default) makes delta equal dense.
   */
  readonly threshold?: number;
  /** Delta mode: the input's threshold (max over channels |x - x_ref|); defaults to `threshold`. */
  readonly inputThreshold?: number;
  /** Delta mode: thresholds for single nodes (or graph inputs), by their stable names. */
  readonly nodeThresholds?: Readonly<Record<string, number>>;
  /** Motion mode: when to give up the world frame and take a dense keyframe. */
  readonly reanchor?: ReanchorOptions;
  /**
   * Motion mode, in pixels: a frame's pose within this distance (at every frame corner) of the
   * previous frame's pose reuses it, and one within it of a whole-pixel translation becomes that
   * translation, so that homography jitter on a still camera does not resample (and so update)
   * the whole frame. Default 0.1 (about the homography package's accuracy); 0 uses every pose
   * exactly as given. Outputs are exact for the pose used (`frameGeometry` reports it).
   */
  readonly alignTolerance?: number;
  /**
   * Most bytes the session may allocate for one input shape: intermediate tensors of a dense
   * frame, or a delta or motion keyframe's values plus the state kept between frames. Checked
   * against an estimate from the plan when a new input shape arrives, before anything is
   * allocated; over it, `run()` throws ResourceLimitError naming the largest buffer, and the
   * session stays usable for smaller frames. Your own input frames are not counted. Default 8 GiB
   * (`DEFAULT_MEMORY_LIMIT`); `Infinity` turns the check off, except that no single buffer may
   * exceed 2^32 values (what a typed array holds). Estimates follow the session's own buffers
   * (within 3% of what it allocates on the catalogue models); a backend's packed weights, which do
   * not depend on the input size, are not counted.
   *
   * @example
   * ```ts
   * const session = await model.createSession({ mode: 'delta', memoryLimit: 512 * 2 ** 20 });
   * await session.run({ x: hugeFrame }); // ResourceLimitError: ... over the limit of 512.0 MiB: the largest buffer is ...
   * ```
   */
  readonly memoryLimit?: number;
}

const MODES: readonly SessionMode[] = ['dense', 'delta', 'motion'];

/** An imported, simplified model, ready to create sessions from. */
export class Model {
  /** The simplified graph every session executes. */
  readonly graph: Graph;

  constructor(graph: Graph, simplify = true) {
    this.graph = simplify ? simplifyGraph(graph, new ReferenceBackend()) : graph;
  }

  /** Graph inputs, NHWC for images; `null` marks a dimension the model leaves open. */
  get inputs(): readonly ValueInfo[] {
    return this.graph.inputs;
  }

  /** Graph outputs, NHWC for feature maps. */
  get outputs(): readonly ValueInfo[] {
    return this.graph.outputs;
  }

  /**
   * Creates an independent session (its own state and statistics) on the first usable backend.
   *
   * @example
   * ```ts
   * const session = await model.createSession({ mode: 'dense', backend: ['reference'] });
   * console.log(session.backendInfo); // { id: 'reference', skipped: [] }
   * const delta = await model.createSession({ mode: 'delta', threshold: 0.05 });
   * console.log(delta.islands); // nodes with no delta form, run densely, with the reason
   * const motion = await model.createSession({ mode: 'motion', threshold: 0 });
   * await motion.run({ input: frame }, { homography: [1, 0, 16, 0, 1, 0, 0, 0, 1] }); // camera panned 16 px
   * ```
   */
  async createSession(options: SessionOptions & { readonly mode: 'delta' }): Promise<DeltaSession>;
  async createSession(options: SessionOptions & { readonly mode: 'motion' }): Promise<MotionSession>;
  async createSession(options?: SessionOptions): Promise<Session>;
  async createSession(options: SessionOptions = {}): Promise<Session> {
    const mode = options.mode ?? 'dense';
    if (!MODES.includes(mode)) {
      throw new OptionError(`Unknown mode '${String(mode)}'; available modes: ${MODES.join(', ')}.`);
    }
    const thresholds = mode === 'delta' || mode === 'motion' ? this.#thresholds(options) : undefined;
    const memoryLimit = checkMemoryLimit(options.memoryLimit);
    const pref = options.backend ?? ['reference'];
    const list = typeof pref === 'string' || !Array.isArray(pref) ? [pref as string | Backend] : (pref as readonly (string | Backend)[]);
    const needs = mode === 'dense' ? [] : DELTA_STEP_KINDS;
    const { backend, skipped } = await chooseBackend(list, (b) => {
      const missing = missingStepKind(b, needs);
      return missing === undefined ? undefined : `it cannot run '${missing}' steps, which ${mode} mode needs (no delta kernels)`;
    });
    if (thresholds && mode === 'motion') {
      try {
        return new MotionSession(this.graph, backend, skipped, thresholds, options.reanchor, options.alignTolerance, memoryLimit);
      } catch (error) {
        // A bad motion option: the session that would have owned the backend does not exist.
        backend.dispose?.();
        throw error;
      }
    }
    if (thresholds) return new DeltaSession(this.graph, backend, skipped, thresholds, memoryLimit);
    return new DenseSession(this.graph, backend, skipped, memoryLimit);
  }

  /**
   * What a session with these options would allocate for frames of these input shapes, without
   * creating one: a way to refuse a size (a `--size` option, a video's frame size) before decoding
   * any frame. Your input frames themselves (H x W x C float32 each) are not counted.
   *
   * @throws ResourceLimitError over `options.memoryLimit` (default 8 GiB), ShapeError for shapes
   * the model cannot take, UnsupportedOpError where motion mode cannot run the model.
   *
   * @example
   * ```ts
   * const { bytes, stateBytes, largest } = model.checkMemory({ input: [1, 1080, 1920, 3] }, { mode: 'delta' });
   * console.log(`${bytes} bytes at peak, ${stateBytes} kept between frames; largest: ${largest.name}`);
   * ```
   */
  checkMemory(inputShapes: Readonly<Record<string, Shape>>, options: SessionOptions = {}): MemoryEstimate {
    const mode = options.mode ?? 'dense';
    if (!MODES.includes(mode)) {
      throw new OptionError(`Unknown mode '${String(mode)}'; available modes: ${MODES.join(', ')}.`);
    }
    const limit = checkMemoryLimit(options.memoryLimit);
    if (mode === 'dense') return denseMemory(planDenseWithin(this.graph, inputShapes, limit));
    const thresholds = this.#thresholds(options);
    if (mode === 'delta') return deltaMemory(planDeltaWithin(this.graph, inputShapes, thresholds, limit));
    return motionMemory(planMotionWithin(this.graph, inputShapes, thresholds, limit));
  }

  #thresholds(options: SessionOptions): { node: number; input: number; perNode: Readonly<Record<string, number>> } {
    const check = (name: string, value: number): number => {
      if (!Number.isFinite(value) || value < 0) throw new OptionError(`${name} must be a finite number >= 0, got ${value}.`);
      return value;
    };
    const node = check('threshold', options.threshold ?? 0);
    const input = check('inputThreshold', options.inputThreshold ?? node);
    const perNode = options.nodeThresholds ?? {};
    const known = new Set([...this.graph.nodes.map((n) => n.name), ...this.graph.inputs.map((i) => i.name)]);
    for (const [name, value] of Object.entries(perNode)) {
      if (!known.has(name)) {
        throw new OptionError(
          `nodeThresholds names '${name}', which is no node or input of this model; see model.graph.nodes for the names.`,
        );
      }
      check(`nodeThresholds['${name}']`, value);
    }
    return { node, input, perNode };
  }
}
