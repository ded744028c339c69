import {
  OptionError,
  type Backend,
  type DeltaBuffer,
  type DeltaKernels,
  type LinearDeltaCall,
  type Tensor,
  type TensorMap,
} from '@motiondelta/core';
import { validateInputs } from '../executor/validate-inputs.js';
import type { Graph } from '../ir/graph.js';
import type { SkippedBackend } from '../session/backend-registry.js';
import type { Session, SessionBackendInfo } from '../session/session.js';
import { recordFrame, type FrameStats, type NodeStats, type SessionStats, type UpdateMask } from '../session/session-stats.js';
import { planGraph } from '../shape/plan-graph.js';
import { planDelta, type DeltaPlan, type DeltaStep, type DeltaThresholds, type StepInput } from './delta-plan.js';
import { DeltaState } from './delta-state.js';
import { runFirstFrame } from './first-frame.js';
import { SerialQueue } from '../session/serial-queue.js';

interface Stream {
  readonly shapeKey: string;
  readonly plan: DeltaPlan;
  readonly state: DeltaState;
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
 * values: at threshold 0 they equal dense inference, float rounding aside.
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
  readonly #queue = new SerialQueue();

  constructor(graph: Graph, backend: Backend, skipped: readonly SkippedBackend[], thresholds: DeltaThresholds) {
    if (!backend.delta) {
      throw new OptionError(`Backend '${backend.id}' has no delta kernels; use mode 'dense' or a backend that has them (reference).`);
    }
    this.#graph = graph;
    this.#backend = backend;
    this.#kernels = backend.delta;
    this.#thresholds = thresholds;
    this.#ops = new Map(graph.nodes.map((n) => [n.name, n.op]));
    this.#inputNames = new Set(graph.inputs.map((i) => i.name));
    this.backendInfo = { id: backend.id, skipped };
  }

  /** Graph nodes that run as dense islands on the current input shape, with the reason. */
  get islands(): DeltaPlan['islands'] {
    return this.#stream?.plan.islands ?? [];
  }

  /** Bytes of state kept between frames (0 before the first frame). */
  get stateBytes(): number {
    return this.#stream?.state.stateBytes ?? 0;
  }

  run(inputs: Readonly<Record<string, Tensor>>): Promise<TensorMap> {
    return this.#queue.run(() => this.#runFrame(inputs));
  }

  async #runFrame(inputs: Readonly<Record<string, Tensor>>): Promise<TensorMap> {
    validateInputs(this.#graph.inputs, inputs);
    const shapeKey = this.#graph.inputs.map((i) => inputs[i.name]!.shape.join('x')).join('|');
    const start = performance.now();
    const stream = this.#stream;
    if (stream === undefined || stream.shapeKey !== shapeKey) return this.#keyframe(inputs, shapeKey, start);

    const { plan, state } = stream;
    const figures: StepFigures[] = [];
    const changedDense = new Set<string>();
    for (const input of this.#graph.inputs) {
      state.dense.set(input.name, inputs[input.name]!);
      if (inputs[input.name]!.shape.length !== 4) changedDense.add(input.name);
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
      this.#stream = undefined;
      throw error;
    }
    return this.#finishFrame(plan, state, figures, start, false);
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

  reset(): void {
    this.#stream = undefined;
    this.#frames = [];
    this.#nodes = [];
    this.#frameIndex = 0;
  }

  dispose(): void {
    this.#stream = undefined;
    this.#backend.dispose?.();
  }

  #islandRan(node: string): boolean {
    return (this.#nodes.find((n) => n.name === node)?.macs ?? 0) > 0;
  }

  async #keyframe(inputs: Readonly<Record<string, Tensor>>, shapeKey: string, start: number): Promise<TensorMap> {
    const shapes = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, t.shape]));
    const plan = planDelta(this.#graph, planGraph(this.#graph, shapes), this.#thresholds);
    const values = await runFirstFrame(this.#graph, plan, inputs, this.#backend);
    const state = new DeltaState(plan, values, this.#graph.constants);
    // A keyframe leaves every delta buffer empty: nothing is pending for the next frame.
    this.#stream = { shapeKey, plan, state };
    const figures = plan.steps.map((step) => ({ macs: step.denseMacs, ms: 0 }));
    return this.#finishFrame(plan, state, figures, start, true);
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

  #finishFrame(plan: DeltaPlan, state: DeltaState, figures: readonly StepFigures[], start: number, keyframe: boolean): TensorMap {
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
    recordFrame(this.#frames, { index: this.#frameIndex++, ms: performance.now() - start, macs, denseMacs, keyframe });

    const outputs: TensorMap = {};
    for (const out of this.#graph.outputs) {
      const t = state.dense.get(out.name)!;
      // A copy: the accumulator is session state the caller must not be able to change.
      outputs[out.name] = { data: new Float32Array(t.data), shape: t.shape };
    }
    return outputs;
  }
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
