import { OptionError, type Backend, type DenseKernelCall, type Tensor, type TensorMap } from '@motiondelta/core';
import { executePlan } from '../executor/run-graph-dense.js';
import type { Graph } from '../ir/graph.js';
import { validateInputs } from '../executor/validate-inputs.js';
import { planGraph, type ExecutionPlan } from '../shape/plan-graph.js';
import { countMacs } from '../stats/count-macs.js';
import type { SkippedBackend } from './backend-registry.js';
import type { Session, SessionBackendInfo } from './session.js';
import { recordFrame, type FrameStats, type NodeStats, type SessionStats, type UpdateMask } from './session-stats.js';
import { SerialQueue } from './serial-queue.js';

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
  readonly #queue = new SerialQueue();
  #lastPlan: ExecutionPlan | undefined;

  constructor(graph: Graph, backend: Backend, skipped: readonly SkippedBackend[]) {
    this.#graph = graph;
    this.#backend = backend;
    this.backendInfo = { id: backend.id, skipped };
    for (const node of graph.nodes) {
      const probe = { op: node.op, attrs: node.attrs } as DenseKernelCall;
      if (!backend.supports(probe)) {
        throw new OptionError(`Backend '${backend.id}' has no kernel for node '${node.name}' (${node.op}); choose another backend.`);
      }
    }
  }

  /**
   * Runs one frame. Inputs are NHWC float32 by input name; outputs come back the same way.
   * Invalid inputs throw before any state changes, so the session stays usable.
   *
   * @example
   * ```ts
   * const out = await session.run({ input: { data: new Float32Array(1 * 32 * 32 * 3), shape: [1, 32, 32, 3] } });
   * ```
   */
  run(inputs: Readonly<Record<string, Tensor>>): Promise<TensorMap> {
    return this.#queue.run(() => this.#runFrame(inputs));
  }

  async #runFrame(inputs: Readonly<Record<string, Tensor>>): Promise<TensorMap> {
    validateInputs(this.#graph.inputs, inputs);
    const { plan, macs } = this.#planFor(inputs);
    this.#lastPlan = plan;
    const nodes: NodeStats[] = [];
    const start = performance.now();
    const outputs = await executePlan(this.#graph, plan, inputs, this.#backend, (index, ms) => {
      const step = plan.steps[index]!;
      nodes.push({ name: step.node.name, op: step.node.op, macs: macs[index]!, denseMacs: macs[index]!, activeFraction: 1, ms });
    });
    const frameMacs = macs.reduce((a, b) => a + b, 0);
    this.#nodes = nodes;
    recordFrame(this.#frames, { index: this.#frameIndex++, ms: performance.now() - start, macs: frameMacs, denseMacs: frameMacs, keyframe: true });
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

  /** Forgets all per-stream state (and statistics): the next frame is treated as the first. */
  reset(): void {
    this.#frames = [];
    this.#nodes = [];
    this.#frameIndex = 0;
    this.#lastPlan = undefined;
  }

  /** Releases the backend's resources. */
  dispose(): void {
    this.#backend.dispose?.();
  }

  #planFor(inputs: Readonly<Record<string, Tensor>>): PlanWithMacs {
    const key = this.#graph.inputs.map((i) => inputs[i.name]!.shape.join('x')).join('|');
    let cached = this.#plans.get(key);
    if (!cached) {
      const shapes = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, t.shape]));
      const plan = planGraph(this.#graph, shapes);
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
