import type { Backend, Executable, TensorMap } from '@motiondelta/core';
import type { CopiedInputs } from '../executor/validate-inputs.js';
import type { Graph } from '../ir/graph.js';
import type { CompiledProgram } from '../program/compiled-program.js';
import type { ProgramRoute } from '../program/compile-program.js';
import type { SkippedBackend } from './backend-registry.js';
import { FrameQueue, type FrameTicket } from './frame-queue.js';
import { modelLayoutOutputs } from './caller-layout.js';
import { InputPool } from './input-pool.js';
import type { SessionBackendInfo } from './session.js';
import { recordFrame, type FrameStats, type NodeStats, type SessionStats } from './session-stats.js';

/** What every session is made from: the model, its backend, and the options common to all modes. */
export interface SessionContext {
  readonly graph: Graph;
  readonly backend: Backend;
  readonly skipped: readonly SkippedBackend[];
  /** Bytes a session may allocate for one input shape (checked before it allocates). */
  readonly memoryLimit: number;
  /** The layout `run()` takes and returns (`SessionOptions.layout`); `'nhwc'` when absent. */
  readonly layout?: 'nhwc' | 'model';
}

/**
 * What every mode's session shares, so that a mode is only its own planning and frame logic:
 * the frame queue (frames in call order; `reset()` and `dispose()` by generation), the pool of
 * session-owned input copies, per-frame and per-node statistics, and the backend's lifetime.
 *
 * A mode subclass submits frames with {@link submit}, records each finished frame with
 * {@link record}, drops its stream state in {@link forget} and releases what it compiled in
 * {@link release}.
 */
export abstract class SessionCore<Stats extends FrameStats = FrameStats> {
  readonly #backendInfo: SessionBackendInfo;
  /** How the program the last frame compiled (or reused) runs, for backendInfo. */
  #programs: ProgramRoute | undefined;
  protected readonly graph: Graph;
  protected readonly backend: Backend;
  protected readonly memoryLimit: number;
  protected readonly queue: FrameQueue;
  protected readonly inputs: InputPool;
  /** Op of every graph node, by node name, for statistics. */
  protected readonly ops: ReadonlyMap<string, string>;
  protected frames: Stats[] = [];
  protected nodes: NodeStats[] = [];
  #frameIndex = 0;
  /** Programs the session no longer needs, released by the next frame (a frame in flight may still run one). */
  #retired: CompiledProgram[] = [];
  /** With `layout: 'model'`: gives the outputs in the file's layout; undefined for NHWC. */
  readonly #outputLayout: ((outputs: TensorMap) => TensorMap) | undefined;

  constructor(context: SessionContext) {
    this.graph = context.graph;
    this.backend = context.backend;
    this.memoryLimit = context.memoryLimit;
    this.#backendInfo = { id: context.backend.id, skipped: context.skipped };
    this.queue = new FrameQueue(context.backend.id);
    this.inputs = new InputPool(context.graph.inputs, context.layout ?? 'nhwc');
    this.#outputLayout = context.layout === 'model' ? modelLayoutOutputs(context.graph.outputs) : undefined;
    this.ops = new Map(context.graph.nodes.map((n) => [n.name, n.op]));
  }

  /** How the session's backend was chosen, and how its last compiled program runs. */
  get backendInfo(): SessionBackendInfo {
    return this.#programs === undefined ? this.#backendInfo : { ...this.#backendInfo, programs: this.#programs };
  }

  /** The executable of `program` (compiled on first use), noting for backendInfo how it runs. */
  protected executableOf(program: CompiledProgram): Promise<Executable> {
    this.#programs = program.route;
    return program.executable();
  }

  /** Which mode this session runs. */
  abstract readonly mode: string;

  /**
   * Admits a frame now (`admit` validates and copies its inputs, and may plan its shape, all
   * synchronously, so a bad frame is refused before anything changes) and runs `task` for it once
   * every earlier frame has settled. The frame's input copies go back to the pool when it settles.
   */
  protected submit<F extends CopiedInputs>(
    admit: () => F,
    task: (frame: F, ticket: FrameTicket) => Promise<TensorMap>,
  ): Promise<TensorMap> {
    return this.queue.submit(
      admit,
      (frame, ticket) => {
        for (const program of this.#retired.splice(0)) program.dispose();
        const outputs = task(frame, ticket);
        return this.#outputLayout ? outputs.then(this.#outputLayout) : outputs;
      },
      (frame) => this.inputs.release(frame),
    );
  }

  /** Hands a compiled program back: its buffers are released before the next frame runs (or at dispose). */
  protected retire(program: CompiledProgram): void {
    this.#retired.push(program);
  }

  /** Records a finished frame of the current stream (its index is assigned here) and the per-node figures of that frame. */
  protected record(frame: Omit<Stats, 'index'>, nodes: NodeStats[]): void {
    recordFrame(this.frames, { ...frame, index: this.#frameIndex++ } as Stats);
    this.nodes = nodes;
  }

  /** Per-frame and per-node statistics since creation or the last reset. */
  stats(): SessionStats {
    return { mode: this.mode as SessionStats['mode'], backend: this.backend.id, frames: [...this.frames], nodes: [...this.nodes] };
  }

  /**
   * Forgets all per-stream state and statistics at once: the next frame is treated as the first.
   * A frame in flight still answers its caller but leaves no state or statistics behind.
   */
  reset(): void {
    this.queue.reset();
    this.frames = [];
    this.nodes = [];
    this.#frameIndex = 0;
    this.forget();
  }

  /**
   * Releases the backend and everything compiled for it: now, or once the frame in flight has
   * settled (it still answers its caller). Frames still queued, and later `run()` calls, reject
   * with BackendUnavailableError.
   */
  dispose(): void {
    this.queue.dispose(() => {
      for (const program of this.#retired.splice(0)) program.dispose();
      this.release();
      this.backend.dispose?.();
    });
    this.forget();
  }

  /** Drops the stream's state (reset, dispose): the next frame starts a new stream. */
  protected abstract forget(): void;

  /** Releases what the session compiled or allocated beyond the backend (called once, when no frame runs). */
  protected release(): void {}
}
