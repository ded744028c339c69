import { OptionError, type Backend, type Executable, type FrameResult, type Tensor, type TensorMap } from '@motiondelta/core';
import { shapeKeyOf, shapesOf, type CopiedInputs } from '../executor/validate-inputs.js';
import type { Graph } from '../ir/graph.js';
import { compileProgram } from '../program/compile-program.js';
import { lowerDelta } from '../program/lower-delta.js';
import type { LoweredProgram } from '../program/lowered-program.js';
import { entryFigures, finalStepIndices } from '../program/program-stats.js';
import type { SkippedBackend } from '../session/backend-registry.js';
import type { Session, SessionBackendInfo } from '../session/session.js';
import {
  recordFrame,
  type FrameStats,
  type KeyframeReason,
  type NodeStats,
  type SessionStats,
  type UpdateMask,
} from '../session/session-stats.js';
import { DEFAULT_MEMORY_LIMIT } from '../session/memory-budget.js';
import { planDeltaWithin } from './delta-memory.js';
import type { DeltaPlan, DeltaThresholds } from './delta-plan.js';
import { FrameQueue, type FrameTicket } from '../session/frame-queue.js';
import { InputPool } from '../session/input-pool.js';
import { StreamHealth } from '../session/stream-health.js';

/** A delta plan for one input shape, lowered, and compiled once its first frame runs. */
interface Compiled {
  readonly shapeKey: string;
  readonly plan: DeltaPlan;
  readonly lowered: LoweredProgram;
  executable?: Promise<Executable>;
}

/** The state of a stream: which program holds it, and whether it can still be updated incrementally. */
interface Stream {
  readonly compiled: Compiled;
  readonly executable: Executable;
  /** When the state can no longer be updated incrementally (extreme or non-finite values). */
  readonly health: StreamHealth;
}

/**
 * DeltaCNN-style inference of frame differences. The first frame (and the first after `reset()`
 * or an input shape change) runs densely and initialises every node's state; later frames
 * propagate only what changed: input pixels that moved by more than the input threshold,
 * through linear nodes as deltas (no bias), through non-linear nodes with accumulate-and-truncate,
 * and through dense islands where a node has no delta form. Outputs are the accumulated dense
 * values: at threshold 0 they equal dense inference, float rounding aside. A frame is also run as
 * a keyframe when the state can no longer be trusted to follow it: after a frame of extreme values
 * (see `RESYNC_RATIO`) or non-finite outputs, and after a failed frame; `stats().frames[i].reason`
 * says why.
 */
export class DeltaSession implements Session {
  readonly mode = 'delta' as const;
  readonly backendInfo: SessionBackendInfo;
  readonly #graph: Graph;
  readonly #backend: Backend;
  readonly #thresholds: DeltaThresholds;
  readonly #ops: ReadonlyMap<string, string>;
  #stream: Stream | undefined;
  #frames: FrameStats[] = [];
  #nodes: NodeStats[] = [];
  #frameIndex = 0;
  /** The previous frame failed mid-way and its state was dropped. */
  #recover = false;
  readonly #queue: FrameQueue;
  readonly #inputs: InputPool;
  /** The plan (and its program) for the last input shape `run()` admitted, made when it was admitted. */
  #admitted: Compiled | undefined;
  /** Executables of shapes the stream left, released by the next frame (a frame in flight may still use one). */
  readonly #retired: Promise<Executable>[] = [];
  /** The entry the last frame ran and what it reported, for update masks. */
  #last: { readonly entry: 'keyframe' | 'frame'; readonly result: FrameResult } | undefined;
  readonly #memoryLimit: number;

  constructor(
    graph: Graph,
    backend: Backend,
    skipped: readonly SkippedBackend[],
    thresholds: DeltaThresholds,
    memoryLimit = DEFAULT_MEMORY_LIMIT,
  ) {
    if (!backend.delta && !backend.programs?.stepKinds.has('linear')) {
      throw new OptionError(`Backend '${backend.id}' has no delta kernels; use mode 'dense' or a backend that has them (reference).`);
    }
    this.#graph = graph;
    this.#backend = backend;
    this.#thresholds = thresholds;
    this.#memoryLimit = memoryLimit;
    this.#ops = new Map(graph.nodes.map((n) => [n.name, n.op]));
    this.backendInfo = { id: backend.id, skipped };
    this.#queue = new FrameQueue(backend.id);
    this.#inputs = new InputPool(graph.inputs);
  }

  /** Graph nodes that run as dense islands on the current input shape, with the reason. */
  get islands(): DeltaPlan['islands'] {
    return this.#stream?.compiled.plan.islands ?? [];
  }

  /** Bytes of state kept between frames (0 before the first frame). */
  get stateBytes(): number {
    return this.#stream?.executable.stateBytes ?? 0;
  }

  /**
   * Runs one frame (see {@link Session.run}). The inputs are validated and copied before `run()`
   * returns, so the caller may reuse or detach its buffers at once; outputs are arrays of their
   * own. Invalid inputs reject the returned promise before any state changes.
   *
   * @example
   * ```ts
   * const session = await model.createSession({ mode: 'delta', threshold: 0 });
   * const out = await session.run({ x: { data: frame, shape: [1, 32, 32, 3] } });
   * session.stats().frames.at(-1); // { keyframe: true, reason: 'first', ... }
   * ```
   */
  run(inputs: Readonly<Record<string, Tensor>>): Promise<TensorMap> {
    return this.#queue.submit(
      () => this.#inputs.admit(inputs, (views) => this.#admit(shapeKeyOf(views), shapesOf(views))),
      (frame, ticket) => this.#runFrame(frame, ticket),
      (frame) => this.#inputs.release(frame),
    );
  }

  async #runFrame(frame: CopiedInputs, ticket: FrameTicket): Promise<TensorMap> {
    for (const retired of this.#retired.splice(0))
      void retired.then(
        (e) => e.dispose(),
        () => undefined,
      );
    const start = performance.now();
    // A frame that reset() or dispose() overtook before it started runs on its own, as a keyframe
    // whose state nothing will use.
    const current = ticket.current();
    const stream = current ? this.#stream : undefined;
    if (stream === undefined) return this.#keyframe(frame, current && this.#recover ? 'recovery' : 'first', start, ticket);
    if (stream.compiled.shapeKey !== frame.shapeKey) return this.#keyframe(frame, 'shape', start, ticket);
    const unhealthy = stream.health.keyframeReason(frame.peaks);
    if (unhealthy !== undefined) return this.#keyframe(frame, unhealthy, start, ticket);

    let result: FrameResult;
    try {
      result = await stream.executable.run('frame', frame.tensors);
    } catch (error) {
      // A kernel failing mid-frame leaves some state updated and some not: forget it all, so
      // the next frame is a keyframe instead of building on inconsistent state.
      if (ticket.current()) {
        this.#stream = undefined;
        this.#recover = true;
      }
      throw error;
    }
    stream.health.extend(frame.peaks);
    return this.#finishFrame(stream, 'frame', result, start, undefined, ticket);
  }

  stats(): SessionStats {
    return { mode: this.mode, backend: this.#backend.id, frames: [...this.#frames], nodes: [...this.#nodes] };
  }

  updateMasks(): UpdateMask[] {
    const stream = this.#stream;
    const last = this.#last;
    if (!stream || !last) return [];
    const { program } = stream.compiled.lowered;
    // A keyframe computes every pixel of every node, whatever the (empty) delta buffers say.
    const keyframe = last.entry === 'keyframe';
    const masks: UpdateMask[] = [];
    for (const [node, index] of finalStepIndices(program.entries.frame!)) {
      const step = program.entries.frame![index]!;
      const shape = program.values['output' in step ? step.output : 0]!.shape;
      const grid: [number, number, number] = shape.length === 4 ? [shape[0]!, shape[1]!, shape[2]!] : [1, 1, 1];
      const pixels = grid[0] * grid[1] * grid[2];
      const delta = keyframe ? undefined : stream.executable.updateMask?.('frame', index);
      const ran = keyframe || (last.result.active[index] ?? -1) > 0;
      masks.push({ node, shape: grid, mask: delta ? delta.subarray(0, pixels) : new Uint8Array(pixels).fill(ran ? 1 : 0) });
    }
    return masks;
  }

  /**
   * Forgets the stream's state and statistics at once: the next frame is a keyframe (reason
   * `first`). A frame in flight still answers its caller but leaves no state or statistics behind.
   */
  reset(): void {
    this.#queue.reset();
    this.#stream = undefined;
    this.#last = undefined;
    this.#recover = false;
    this.#frames = [];
    this.#nodes = [];
    this.#frameIndex = 0;
  }

  /**
   * Drops the state and releases the backend, once the frame in flight (if any) has settled.
   * Frames still queued, and later `run()` calls, reject with BackendUnavailableError.
   */
  dispose(): void {
    this.#queue.dispose(() => {
      const held = [this.#admitted?.executable, this.#stream?.compiled.executable, ...this.#retired.splice(0)];
      for (const e of new Set(held))
        void e?.then(
          (x) => x.dispose(),
          () => undefined,
        );
      this.#backend.dispose?.();
    });
    this.#stream = undefined;
  }

  /**
   * Plans a new input shape when `run()` admits it, before its inputs are copied: a frame too large
   * for `memoryLimit` (or one the graph cannot take) is refused before anything of its size is
   * allocated. The keyframe that follows lowers and compiles this plan.
   */
  #admit(shapeKey: string, shapes: Readonly<Record<string, readonly number[]>>): Compiled {
    if (this.#stream?.compiled.shapeKey === shapeKey) return this.#stream.compiled;
    if (this.#admitted?.shapeKey !== shapeKey) {
      const plan = planDeltaWithin(this.#graph, shapes, this.#thresholds, this.#memoryLimit);
      const lowered = lowerDelta(this.#graph, plan, new Map(Object.entries(shapes)));
      const previous = this.#admitted;
      this.#admitted = { shapeKey, plan, lowered };
      // The program of a shape that was admitted but never became the stream's is not needed.
      if (previous?.executable && previous !== this.#stream?.compiled) this.#retired.push(previous.executable);
    }
    return this.#admitted;
  }

  /** The compiled program of `compiled`, compiling it on first use (a failed compile is retried by the next frame). */
  #executableFor(compiled: Compiled): Promise<Executable> {
    if (!compiled.executable) {
      const pending = compileProgram(compiled.lowered.program, this.#graph.constants, this.#backend);
      compiled.executable = pending;
      pending.catch(() => {
        if (compiled.executable === pending) delete compiled.executable;
      });
    }
    return compiled.executable;
  }

  async #keyframe(frame: CopiedInputs, reason: KeyframeReason, start: number, ticket: FrameTicket): Promise<TensorMap> {
    const shapes = Object.fromEntries(Object.entries(frame.tensors).map(([k, t]) => [k, t.shape]));
    const compiled = this.#admit(frame.shapeKey, shapes);
    let executable: Executable;
    let result: FrameResult;
    try {
      executable = await this.#executableFor(compiled);
      result = await executable.run('keyframe', frame.tensors);
    } catch (error) {
      // The keyframe may have written part of the state it shares with the stream: drop the
      // stream, so the next frame starts over (and says it is recovering).
      if (ticket.current()) {
        if (this.#stream?.compiled === compiled) this.#stream = undefined;
        this.#recover = true;
      }
      throw error;
    }
    // Overtaken by reset() or dispose(): the caller gets its outputs, the session keeps nothing.
    if (!ticket.current()) return result.outputs;
    const previous = this.#stream?.compiled;
    if (previous && previous !== compiled && previous.executable) this.#retired.push(previous.executable);
    // A keyframe leaves every delta empty: nothing is pending for the next frame.
    const stream: Stream = { compiled, executable, health: new StreamHealth(frame.peaks) };
    this.#stream = stream;
    this.#recover = false;
    return this.#finishFrame(stream, 'keyframe', result, start, reason, ticket);
  }

  #finishFrame(
    stream: Stream,
    entry: 'keyframe' | 'frame',
    result: FrameResult,
    start: number,
    reason: KeyframeReason | undefined,
    ticket: FrameTicket,
  ): TensorMap {
    const outputs = result.outputs;
    // A frame overtaken by reset() or dispose() answers its caller and leaves no statistics.
    if (!ticket.current()) return outputs;
    stream.health.checkOutputs(outputs);
    const figures = entryFigures(stream.compiled.lowered, entry, result, (node) => this.#ops.get(node) ?? node);
    this.#nodes = figures.nodes;
    this.#last = { entry, result };
    recordFrame(this.#frames, {
      index: this.#frameIndex++,
      ms: performance.now() - start,
      macs: entry === 'keyframe' ? figures.denseMacs : figures.macs,
      denseMacs: figures.denseMacs,
      keyframe: entry === 'keyframe',
      reason,
    });
    return outputs;
  }
}
