import { OptionError, type Backend, type DenseKernelCall, type Tensor, type TensorMap } from '@motiondelta/core';
import { executePlan } from '../executor/run-graph-dense.js';
import type { Graph } from '../ir/graph.js';
import { shapeKeyOf, shapesOf, type CopiedInputs } from '../executor/validate-inputs.js';
import type { ExecutionPlan } from '../shape/plan-graph.js';
import { DEFAULT_MEMORY_LIMIT, planDenseWithin } from './memory-budget.js';
import { countMacs } from '../stats/count-macs.js';
import type { SkippedBackend } from './backend-registry.js';
import type { Session, SessionBackendInfo } from './session.js';
import { recordFrame, type FrameStats, type NodeStats, type SessionStats, type UpdateMask } from './session-stats.js';
import { FrameQueue, type FrameTicket } from './frame-queue.js';
import { InputPool } from './input-pool.js';

interface PlanWithMacs {
  readonly plan: ExecutionPlan;
  readonly macs: readonly number[];
}

/**
 * Runs a model frame after frame, every frame in full. Caches one execution plan per input shape
 * so repeated frames skip shape inference.
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

  constructor(graph: Graph, backend: Backend, skipped: readonly SkippedBackend[], memoryLimit = DEFAULT_MEMORY_LIMIT) {
    this.#graph = graph;
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
    const { plan, macs } = this.#planFor(frame.shapeKey, Object.fromEntries(Object.entries(frame.tensors).map(([k, t]) => [k, t.shape])));
    const nodes: NodeStats[] = [];
    const start = performance.now();
    const outputs = await executePlan(this.#graph, plan, frame.tensors, this.#backend, (index, ms) => {
      const step = plan.steps[index]!;
      nodes.push({ name: step.node.name, op: step.node.op, macs: macs[index]!, denseMacs: macs[index]!, activeFraction: 1, ms });
    });
    // A frame that reset() or dispose() overtook still answers its caller, but is no longer part of the stream's statistics.
    if (!ticket.current()) return outputs;
    const frameMacs = macs.reduce((a, b) => a + b, 0);
    this.#lastPlan = plan;
    this.#nodes = nodes;
    recordFrame(this.#frames, {
      index: this.#frameIndex++,
      ms: performance.now() - start,
      macs: frameMacs,
      denseMacs: frameMacs,
      keyframe: true,
      reason: 'dense',
    });
    return outputs;
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
    this.#queue.dispose(() => this.#backend.dispose?.());
  }

  #planFor(key: string, shapes: Readonly<Record<string, readonly number[]>>): PlanWithMacs {
    let cached = this.#plans.get(key);
    if (!cached) {
      const plan = planDenseWithin(this.#graph, shapes, this.#memoryLimit);
      const macs = plan.steps.map((step) =>
        countMacs(step, step.node.inputs.map((n) => (n === '' ? undefined : plan.shapes.get(n)))),
      );
      cached = { plan, macs };
      this.#plans.set(key, cached);
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
