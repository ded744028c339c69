import { OptionError, type Backend, type DenseKernelCall, type Executable, type Tensor, type TensorMap } from '@motiondelta/core';
import type { Graph } from '../ir/graph.js';
import { compileProgram } from '../program/compile-program.js';
import { lowerDense } from '../program/lower-dense.js';
import type { LoweredProgram } from '../program/lowered-program.js';
import { entryFigures } from '../program/program-stats.js';
import { shapeKeyOf, shapesOf, type CopiedInputs } from '../executor/validate-inputs.js';
import type { ExecutionPlan } from '../shape/plan-graph.js';
import { DEFAULT_MEMORY_LIMIT, planDenseWithin } from './memory-budget.js';
import { countMacs } from '../stats/count-macs.js';
import type { SkippedBackend } from './backend-registry.js';
import type { Session, SessionBackendInfo } from './session.js';
import { recordFrame, type FrameStats, type NodeStats, type SessionStats, type UpdateMask } from './session-stats.js';
import { FrameQueue, type FrameTicket } from './frame-queue.js';
import { InputPool } from './input-pool.js';

/** How many input shapes keep their compiled program (and its buffers) at once. */
const COMPILED_SHAPES = 4;

interface PlanWithMacs {
  readonly plan: ExecutionPlan;
  readonly macs: readonly number[];
  readonly lowered: LoweredProgram;
  /** Compiled at the first frame of this shape (compiling may be asynchronous). */
  executable?: Promise<Executable>;
}

/**
 * Runs a model frame after frame, every frame in full. Each input shape is planned, lowered to a
 * program and compiled by the backend once (its buffers allocated once); a frame is one run of
 * that program.
 */
export class DenseSession implements Session {
  readonly mode = 'dense' as const;
  readonly backendInfo: SessionBackendInfo;
  readonly #graph: Graph;
  readonly #backend: Backend;
  readonly #plans = new Map<string, PlanWithMacs>();
  #frames: FrameStats[] = [];
  #nodes: NodeStats[] = [];
  #frameIndex = 0;
  readonly #queue: FrameQueue;
  readonly #inputs: InputPool;
  #lastPlan: ExecutionPlan | undefined;
  readonly #memoryLimit: number;
  readonly #ops: ReadonlyMap<string, string>;
  /** Executables of shapes no longer cached, released by the next frame. */
  readonly #retired: Promise<Executable>[] = [];

  constructor(graph: Graph, backend: Backend, skipped: readonly SkippedBackend[], memoryLimit = DEFAULT_MEMORY_LIMIT) {
    this.#graph = graph;
    this.#ops = new Map(graph.nodes.map((n) => [n.name, n.op]));
    this.#memoryLimit = memoryLimit;
    this.#backend = backend;
    this.backendInfo = { id: backend.id, skipped };
    this.#queue = new FrameQueue(backend.id);
    this.#inputs = new InputPool(graph.inputs);
    for (const node of graph.nodes) {
      const probe = { op: node.op, attrs: node.attrs } as DenseKernelCall;
      if (!backend.supports(probe)) {
        throw new OptionError(`Backend '${backend.id}' has no kernel for node '${node.name}' (${node.op}); choose another backend.`);
      }
    }
  }

  /**
   * Runs one frame. Inputs are NHWC float32 by input name; outputs come back the same way, in
   * arrays of their own. The inputs are validated and copied before `run()` returns, so the
   * caller may reuse or detach its buffers at once; invalid inputs reject the returned promise
   * (ShapeError, InputError) before anything changes, and the session stays usable.
   *
   * @example
   * ```ts
   * const out = await session.run({ input: { data: new Float32Array(1 * 32 * 32 * 3), shape: [1, 32, 32, 3] } });
   * ```
   */
  run(inputs: Readonly<Record<string, Tensor>>): Promise<TensorMap> {
    return this.#queue.submit(
      // Planned (and checked against memoryLimit) before the inputs are copied: a frame too large
      // for the session is refused before anything of its size is allocated.
      () => this.#inputs.admit(inputs, (views) => this.#planFor(shapeKeyOf(views), shapesOf(views))),
      (frame, ticket) => this.#runFrame(frame, ticket),
      (frame) => this.#inputs.release(frame),
    );
  }

  async #runFrame(frame: CopiedInputs, ticket: FrameTicket): Promise<TensorMap> {
    const cached = this.#planFor(frame.shapeKey, Object.fromEntries(Object.entries(frame.tensors).map(([k, t]) => [k, t.shape])));
    for (const retired of this.#retired.splice(0))
      void retired.then(
        (e) => e.dispose(),
        () => undefined,
      );
    const start = performance.now();
    const executable = await this.#executableFor(cached);
    const result = await executable.run('keyframe', frame.tensors);
    // A frame that reset() or dispose() overtook still answers its caller, but is no longer part of the stream's statistics.
    if (!ticket.current()) return result.outputs;
    const figures = entryFigures(cached.lowered, 'keyframe', result, (node) => this.#ops.get(node) ?? 'dense');
    const frameMacs = figures.denseMacs;
    this.#lastPlan = cached.plan;
    this.#nodes = figures.nodes;
    recordFrame(this.#frames, {
      index: this.#frameIndex++,
      ms: performance.now() - start,
      macs: frameMacs,
      denseMacs: frameMacs,
      keyframe: true,
      reason: 'dense',
    });
    return result.outputs;
  }

  /** Per-frame and per-node statistics of the frames run since creation or the last reset. */
  stats(): SessionStats {
    return { mode: this.mode, backend: this.#backend.id, frames: [...this.#frames], nodes: [...this.#nodes] };
  }

  /**
   * Per node, which output pixels the last frame updated: what a report draws as update masks.
   * In dense mode every pixel of every node is updated.
   */
  updateMasks(): UpdateMask[] {
    const last = this.#lastPlan;
    if (!last) return [];
    return last.steps.map((step) => {
      const shape = pixelGrid(step.outputShape);
      return { node: step.node.name, shape, mask: new Uint8Array(shape[0] * shape[1] * shape[2]).fill(1) };
    });
  }

  /**
   * Forgets all per-stream state (and statistics) at once: the next frame is treated as the first.
   * A frame still in flight answers its caller but is left out of the statistics.
   */
  reset(): void {
    this.#queue.reset();
    this.#frames = [];
    this.#nodes = [];
    this.#frameIndex = 0;
    this.#lastPlan = undefined;
  }

  /**
   * Releases the backend's resources: now, or once the frame in flight has settled (it still
   * answers its caller). Frames still queued, and later `run()` calls, reject with
   * BackendUnavailableError.
   */
  dispose(): void {
    this.#queue.dispose(() => {
      for (const e of [...[...this.#plans.values()].map((c) => c.executable), ...this.#retired.splice(0)]) {
        void e?.then(
          (x) => x.dispose(),
          () => undefined,
        );
      }
      this.#backend.dispose?.();
    });
  }

  /**
   * The program of a shape compiled once. A failed compile is not kept: the next frame of that
   * shape tries again (and fails the same way, or works if the cause was passing).
   */
  #executableFor(cached: PlanWithMacs): Promise<Executable> {
    if (!cached.executable) {
      const compiled = compileProgram(cached.lowered.program, this.#graph.constants, this.#backend);
      cached.executable = compiled;
      compiled.catch(() => {
        if (cached.executable === compiled) delete cached.executable;
      });
    }
    return cached.executable;
  }

  #planFor(key: string, shapes: Readonly<Record<string, readonly number[]>>): PlanWithMacs {
    let cached = this.#plans.get(key);
    if (!cached) {
      const plan = planDenseWithin(this.#graph, shapes, this.#memoryLimit);
      const macs = plan.steps.map((step) =>
        countMacs(
          step,
          step.node.inputs.map((n) => (n === '' ? undefined : plan.shapes.get(n))),
        ),
      );
      cached = { plan, macs, lowered: lowerDense(this.#graph, plan, macs) };
      this.#plans.set(key, cached);
      // Each compiled shape holds its buffers: keep the few most recent, release the others from
      // the frame queue (a frame in flight may still be running the one that leaves).
      for (const [old, entry] of this.#plans) {
        if (this.#plans.size <= COMPILED_SHAPES) break;
        this.#plans.delete(old);
        if (entry.executable) this.#retired.push(entry.executable);
      }
    }
    return cached;
  }
}

/** The pixel grid of an output: NHWC gives [N,H,W]; lower ranks are one row of pixels. */
function pixelGrid(shape: readonly number[]): [number, number, number] {
  if (shape.length === 4) return [shape[0]!, shape[1]!, shape[2]!];
  const pixels = shape.length <= 1 ? 1 : shape.slice(0, -1).reduce((a, b) => a * b, 1);
  return [1, 1, pixels];
}
