import {
  OptionError,
  type Backend,
  type DeltaBuffer,
  type DeltaKernels,
  type LinearDeltaCall,
  type Tensor,
  type TensorMap,
} from '@motiondelta/core';
import { shapeKeyOf, shapesOf, type CopiedInputs } from '../executor/validate-inputs.js';
import type { Graph } from '../ir/graph.js';
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
import { type DeltaPlan, type DeltaStep, type DeltaThresholds, type StepInput } from './delta-plan.js';
import { DeltaState } from './delta-state.js';
import { runFirstFrame } from './first-frame.js';
import { FrameQueue, type FrameTicket } from '../session/frame-queue.js';
import { InputPool } from '../session/input-pool.js';
import { StreamHealth } from '../session/stream-health.js';

interface Stream {
  readonly shapeKey: string;
  readonly plan: DeltaPlan;
  readonly state: DeltaState;
  /** When the state can no longer be updated incrementally (extreme or non-finite values). */
  readonly health: StreamHealth;
}

/** Per-step figures of the last frame. */
interface StepFigures {
  macs: number;
  ms: number;
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
  readonly #kernels: DeltaKernels;
  readonly #thresholds: DeltaThresholds;
  readonly #ops: ReadonlyMap<string, string>;
  readonly #inputNames: ReadonlySet<string>;
  #stream: Stream | undefined;
  #frames: FrameStats[] = [];
  #nodes: NodeStats[] = [];
  #frameIndex = 0;
  /** The previous frame failed mid-way and its state was dropped. */
  #recover = false;
  readonly #queue: FrameQueue;
  readonly #inputs: InputPool;
  /** The plan for the last input shape `run()` admitted, made when it was admitted. */
  #admittedPlan: { readonly shapeKey: string; readonly plan: DeltaPlan } | undefined;
  readonly #memoryLimit: number;

  constructor(graph: Graph, backend: Backend, skipped: readonly SkippedBackend[], thresholds: DeltaThresholds, memoryLimit = DEFAULT_MEMORY_LIMIT) {
    if (!backend.delta) {
      throw new OptionError(`Backend '${backend.id}' has no delta kernels; use mode 'dense' or a backend that has them (reference).`);
    }
    this.#graph = graph;
    this.#backend = backend;
    this.#kernels = backend.delta;
    this.#thresholds = thresholds;
    this.#memoryLimit = memoryLimit;
    this.#ops = new Map(graph.nodes.map((n) => [n.name, n.op]));
    this.#inputNames = new Set(graph.inputs.map((i) => i.name));
    this.backendInfo = { id: backend.id, skipped };
    this.#queue = new FrameQueue(backend.id);
    this.#inputs = new InputPool(graph.inputs);
  }

  /** Graph nodes that run as dense islands on the current input shape, with the reason. */
  get islands(): DeltaPlan['islands'] {
    return this.#stream?.plan.islands ?? [];
  }

  /** Bytes of state kept between frames (0 before the first frame). */
  get stateBytes(): number {
    return this.#stream?.state.stateBytes ?? 0;
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
      () => this.#inputs.admit(inputs, (views) => this.#checkPlan(shapeKeyOf(views), shapesOf(views))),
      (frame, ticket) => this.#runFrame(frame, ticket),
      (frame) => this.#inputs.release(frame),
    );
  }

  async #runFrame(frame: CopiedInputs, ticket: FrameTicket): Promise<TensorMap> {
    const start = performance.now();
    // A frame that reset() or dispose() overtook before it started runs on its own, as a keyframe
    // that keeps no state.
    const current = ticket.current();
    const stream = current ? this.#stream : undefined;
    if (stream === undefined) return this.#keyframe(frame, current && this.#recover ? 'recovery' : 'first', start, ticket);
    if (stream.shapeKey !== frame.shapeKey) return this.#keyframe(frame, 'shape', start, ticket);
    const unhealthy = stream.health.keyframeReason(frame.peaks);
    if (unhealthy !== undefined) return this.#keyframe(frame, unhealthy, start, ticket);

    const { plan, state } = stream;
    const figures: StepFigures[] = [];
    const changedDense = new Set<string>();
    for (const input of this.#graph.inputs) {
      // The frame's own copy: nothing reads a graph input's entry between frames, so the copy may
      // go back to the input pool when the frame settles (the next frame replaces the entry).
      state.dense.set(input.name, frame.tensors[input.name]!);
      if (frame.tensors[input.name]!.shape.length !== 4) changedDense.add(input.name);
    }
    try {
      for (const [index, step] of plan.steps.entries()) {
        const t0 = performance.now();
        const macs = await this.#runStep(step, index, state, changedDense);
        figures.push({ macs, ms: performance.now() - t0 });
      }
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
    return this.#finishFrame(stream, frame, figures, start, undefined, ticket);
  }

  stats(): SessionStats {
    return { mode: this.mode, backend: this.#backend.id, frames: [...this.#frames], nodes: [...this.#nodes] };
  }

  updateMasks(): UpdateMask[] {
    const stream = this.#stream;
    if (!stream) return [];
    const masks: UpdateMask[] = [];
    // A keyframe computes every pixel of every node, whatever the (empty) delta buffers say.
    const keyframe = this.#frames.at(-1)?.keyframe ?? true;
    for (const step of finalSteps(stream.plan)) {
      const delta = stream.state.deltas.get(step.output);
      const [n, h, w] = step.outputShape.length === 4 ? [step.outputShape[0]!, step.outputShape[1]!, step.outputShape[2]!] : [1, 1, 1];
      const mask =
        delta && !keyframe ? new Uint8Array(delta.mask) : new Uint8Array(n * h * w).fill(keyframe || this.#islandRan(step.node) ? 1 : 0);
      masks.push({ node: step.node, shape: [n, h, w], mask });
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
    this.#queue.dispose(() => this.#backend.dispose?.());
    this.#stream = undefined;
  }

  #islandRan(node: string): boolean {
    return (this.#nodes.find((n) => n.name === node)?.macs ?? 0) > 0;
  }

  /**
   * Plans a new input shape when `run()` admits it, before its inputs are copied: a frame too large
   * for `memoryLimit` (or one the graph cannot take) is refused before anything of its size is
   * allocated. The keyframe that follows uses this plan.
   */
  #checkPlan(shapeKey: string, shapes: Readonly<Record<string, readonly number[]>>): DeltaPlan {
    if (this.#stream?.shapeKey === shapeKey) return this.#stream.plan;
    if (this.#admittedPlan?.shapeKey !== shapeKey) {
      this.#admittedPlan = { shapeKey, plan: planDeltaWithin(this.#graph, shapes, this.#thresholds, this.#memoryLimit) };
    }
    return this.#admittedPlan.plan;
  }

  async #keyframe(frame: CopiedInputs, reason: KeyframeReason, start: number, ticket: FrameTicket): Promise<TensorMap> {
    const shapes = Object.fromEntries(Object.entries(frame.tensors).map(([k, t]) => [k, t.shape]));
    const plan = this.#checkPlan(frame.shapeKey, shapes);
    let values: Map<string, Tensor>;
    try {
      values = await runFirstFrame(this.#graph, plan, frame.tensors, this.#backend);
    } catch (error) {
      // The stream (if any) is untouched; without one, the next frame says it is recovering.
      if (ticket.current()) this.#recover = true;
      throw error;
    }
    // Overtaken by reset() or dispose(): the caller gets its outputs, the session keeps nothing.
    if (!ticket.current()) return ownOutputs(this.#graph.outputs.map((o) => [o.name, values.get(o.name)!]));
    const state = new DeltaState(plan, values, this.#graph.constants);
    // A keyframe leaves every delta buffer empty: nothing is pending for the next frame.
    const stream: Stream = { shapeKey: frame.shapeKey, plan, state, health: new StreamHealth(frame.peaks) };
    this.#stream = stream;
    this.#recover = false;
    const figures = plan.steps.map((step) => ({ macs: step.denseMacs, ms: 0 }));
    return this.#finishFrame(stream, frame, figures, start, reason, ticket);
  }

  /** Runs one step of a delta frame; returns the MACs it did. */
  async #runStep(step: DeltaStep, index: number, state: DeltaState, changedDense: Set<string>): Promise<number> {
    const k = this.#kernels;
    const stepState = state.steps[index]!;
    const constants = this.#graph.constants;
    const delta = (name: string): DeltaBuffer => state.deltas.get(name)!;
    const operand = (input: StepInput): DeltaBuffer | Tensor | undefined =>
      input.kind === 'absent' ? undefined : input.kind === 'delta' ? delta(input.value) : constants.get(input.value)!;
    const anyActive = (inputs: readonly StepInput[]): boolean => inputs.some((i) => i.kind === 'delta' && delta(i.value).count > 0);
    const changed = (name: string): boolean => changedDense.has(name) || (state.deltas.get(name)?.count ?? 0) > 0;

    switch (step.kind) {
      case 'sparsify': {
        const out = delta(step.output);
        const source = state.dense.get(step.source)!;
        if (!this.#inputNames.has(step.source) && !changedDense.has(step.source)) {
          out.clear();
          return 0;
        }
        if (stepState.kind !== 'reference') throw new Error('delta state out of step');
        await k.sparsify(source, stepState.reference, step.threshold, out);
        return 0;
      }
      case 'densify': {
        const source = delta(step.source);
        if (source.count > 0) await k.accumulate(source, state.dense.get(step.output)!.data);
        return 0;
      }
      case 'linear': {
        const out = delta(step.output);
        if (!anyActive(step.inputs)) {
          out.clear();
          return 0;
        }
        await k.linear({ op: step.op, attrs: step.attrs, inputs: step.inputs.map(operand) } as LinearDeltaCall, out);
        return step.denseMacs * out.activeFraction;
      }
      case 'binary': {
        const out = delta(step.output);
        if (!anyActive(step.inputs) || stepState.kind !== 'binary') {
          out.clear();
          return 0;
        }
        await k.binary(step.op, operand(step.inputs[0])!, operand(step.inputs[1])!, stepState.state, step.threshold, out);
        return step.denseMacs * out.activeFraction;
      }
      case 'activation': {
        const out = delta(step.output);
        const input = delta(step.input);
        if (input.count === 0 || stepState.kind !== 'activation') {
          out.clear();
          return 0;
        }
        await k.activation(input, step.activation, stepState.state, step.threshold, out);
        return step.denseMacs * out.activeFraction;
      }
      case 'maxpool': {
        const out = delta(step.output);
        const input = delta(step.input);
        if (input.count === 0 || stepState.kind !== 'maxpool') {
          out.clear();
          return 0;
        }
        await k.maxPool(input, step.attrs, stepState.state, step.threshold, out);
        return step.denseMacs * out.activeFraction;
      }
      case 'island': {
        if (!step.inputs.some((name) => name !== '' && changed(name))) return 0;
        const r = step.resolved;
        const inputs = step.inputs.map((name) => (name === '' ? undefined : (state.dense.get(name) ?? constants.get(name))));
        const call = { op: r.node.op, attrs: r.attrs, inputs, outputShape: r.outputShape } as Parameters<Backend['runDense']>[0];
        state.dense.set(step.output, await this.#backend.runDense(call));
        changedDense.add(step.output);
        return step.denseMacs;
      }
    }
  }

  #finishFrame(
    stream: Stream,
    frame: CopiedInputs,
    figures: readonly StepFigures[],
    start: number,
    reason: KeyframeReason | undefined,
    ticket: FrameTicket,
  ): TensorMap {
    const { plan, state } = stream;
    // Copies: the accumulators are session state the caller must not be able to change. (An
    // output that is a graph input is the frame's input copy, which the pool will reuse.)
    const outputs = ownOutputs(this.#graph.outputs.map((o) => [o.name, state.dense.get(o.name) ?? frame.tensors[o.name]!]));
    // A frame overtaken by reset() or dispose() answers its caller and leaves no statistics.
    if (!ticket.current()) return outputs;
    stream.health.checkOutputs(outputs);
    const keyframe = reason !== undefined;
    const byNode = new Map<string, { macs: number; denseMacs: number; ms: number }>();
    plan.steps.forEach((step, i) => {
      const entry = byNode.get(step.node) ?? { macs: 0, denseMacs: 0, ms: 0 };
      entry.macs += figures[i]!.macs;
      entry.denseMacs += step.denseMacs;
      entry.ms += figures[i]!.ms;
      byNode.set(step.node, entry);
    });
    const nodes: NodeStats[] = [];
    for (const step of finalSteps(plan)) {
      const entry = byNode.get(step.node)!;
      const delta = state.deltas.get(step.output);
      const activeFraction = keyframe ? 1 : delta ? delta.activeFraction : entry.macs > 0 ? 1 : 0;
      nodes.push({ name: step.node, op: this.#ops.get(step.node) ?? step.kind, macs: entry.macs, denseMacs: entry.denseMacs, activeFraction, ms: entry.ms });
    }
    this.#nodes = nodes;
    const macs = figures.reduce((s, f) => s + f.macs, 0);
    const denseMacs = plan.steps.reduce((s, step) => s + step.denseMacs, 0);
    recordFrame(this.#frames, { index: this.#frameIndex++, ms: performance.now() - start, macs, denseMacs, keyframe, reason });
    return outputs;
  }
}

/** Outputs in arrays of their own (values and shape), so that no caller can reach session state. */
function ownOutputs(values: readonly (readonly [string, Tensor])[]): TensorMap {
  const outputs: TensorMap = {};
  for (const [name, t] of values) outputs[name] = { data: new Float32Array(t.data), shape: [...t.shape] };
  return outputs;
}

/** The last step of each graph node (the one producing the node's output), in plan order. */
function finalSteps(plan: DeltaPlan): DeltaStep[] {
  const last = new Map<string, DeltaStep>();
  for (const step of plan.steps) {
    if (step.kind === 'sparsify' || step.kind === 'densify') continue;
    last.set(step.node, step);
  }
  return [...last.values()];
}
