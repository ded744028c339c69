import { OptionError, type Backend, type Shape } from '@motiondelta/core';
import type { BlockSession } from './block/block-session.js';
import type { DeltaSession } from './delta/delta-session.js';
import type { Graph, ValueInfo } from './ir/graph.js';
import type { MotionSession } from './motion/motion-session.js';
import { graphFingerprint } from './model-fingerprint.js';
import { missingStepKind } from './program/compile-program.js';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { chooseBackend, defaultBackends } from './session/backend-registry.js';
import { checkMemoryLimit, type MemoryEstimate } from './session/memory-budget.js';
import { modeNamed } from './session/mode-registry.js';
import type { Session } from './session/session.js';
import type { SessionOptions } from './session/session-options.js';
import { simplifyGraph } from './simplify/simplify-graph.js';

export type { SessionMode, SessionOptions } from './session/session-options.js';

/** An imported, simplified model, ready to create sessions from. */
export class Model {
  /** The simplified graph every session executes. */
  readonly graph: Graph;
  #fingerprint: Promise<string> | undefined;

  /**
   * @param fingerprint the model file's fingerprint (`loadModel` passes it); without one, the
   *   fingerprint is computed from the graph when first asked for
   */
  constructor(graph: Graph, simplify = true, fingerprint?: string) {
    this.graph = simplify ? simplifyGraph(graph, new ReferenceBackend()) : graph;
    if (fingerprint !== undefined) this.#fingerprint = Promise.resolve(fingerprint);
  }

  /**
   * A content hash of the model: for a loaded model `sha256:<hex>` of its file (for TF.js, over
   * model.json and its shards), else `graph-sha256:<hex>` of its graph and weights. Threshold
   * profiles record it, so that one is never applied to another model.
   *
   * @example
   * ```ts
   * console.log(await model.fingerprint()); // sha256:4f1c...
   * ```
   */
  fingerprint(): Promise<string> {
    this.#fingerprint ??= graphFingerprint(this.graph);
    return this.#fingerprint;
  }

  /**
   * Graph inputs as MotionDelta holds them, NHWC for images; `null` marks a dimension the model
   * leaves open. An input marked `transposedFrom: 'nchw'` (an ONNX image) is NCHW in the file, and
   * so in `run()` of a session with the default `layout: 'model'`.
   */
  get inputs(): readonly ValueInfo[] {
    return this.graph.inputs;
  }

  /** Graph outputs as MotionDelta holds them, NHWC for feature maps (see {@link Model.inputs} for the caller's layout). */
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
   * const block = await model.createSession({ mode: 'block', policy, blockSize: 128 }); // policy: a BlockPolicy
   * ```
   */
  async createSession(options: SessionOptions & { readonly mode: 'delta' }): Promise<DeltaSession>;
  async createSession(options: SessionOptions & { readonly mode: 'motion' }): Promise<MotionSession>;
  async createSession(options: SessionOptions & { readonly mode: 'block' }): Promise<BlockSession>;
  async createSession(options?: SessionOptions): Promise<Session>;
  async createSession(options: SessionOptions = {}): Promise<Session> {
    const mode = modeNamed(options.mode ?? 'dense');
    const memoryLimit = checkMemoryLimit(options.memoryLimit);
    const layout = checkLayout(options.layout);
    mode.checkOptions(this.graph, options);
    const pref = options.backend ?? defaultBackends();
    const list = typeof pref === 'string' || !Array.isArray(pref) ? [pref as string | Backend] : (pref as readonly (string | Backend)[]);
    const { backend, skipped } = await chooseBackend(list, (b) => {
      const missing = missingStepKind(b, mode.stepKinds);
      return missing === undefined ? undefined : `it cannot run '${missing}' steps, which ${mode.name} mode needs (no delta kernels)`;
    });
    try {
      return mode.create({ graph: this.graph, backend, skipped, memoryLimit, layout }, options);
    } catch (error) {
      // A session that could not be made (a bad option, a backend without a kernel the graph
      // needs) does not own the backend: release it here.
      backend.dispose?.();
      throw error;
    }
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
    const mode = modeNamed(options.mode ?? 'dense');
    return mode.estimate(this.graph, inputShapes, options, checkMemoryLimit(options.memoryLimit));
  }
}

/** `SessionOptions.layout`, checked; the model's own layout when absent. */
function checkLayout(layout: unknown): 'nhwc' | 'model' {
  if (layout === undefined || layout === 'nhwc' || layout === 'model') return layout ?? 'model';
  throw new OptionError(
    `layout must be 'model' (the layout the model file declares, the default: NCHW for an ONNX model's images) or 'nhwc' (channels last), got ${JSON.stringify(layout)}.`,
  );
}
