import { OptionError, type DenseKernelCall, type TensorMap } from '@motiondelta/core';
import type { InputTensor } from '../ir/graph.js';
import { shapeKeyOf, shapesOf, type CopiedInputs } from '../executor/validate-inputs.js';
import { CompiledProgram } from '../program/compiled-program.js';
import { lowerDense } from '../program/lower-dense.js';
import { entryFigures } from '../program/program-stats.js';
import type { ExecutionPlan } from '../shape/plan-graph.js';
import { countMacs } from '../stats/count-macs.js';
import type { FrameTicket } from './frame-queue.js';
import { planDenseWithin } from './memory-budget.js';
import type { Session } from './session.js';
import { SessionCore, type SessionContext } from './session-core.js';
import type { UpdateMask } from './session-stats.js';

/** How many input shapes keep their compiled program (and its buffers) at once. */
const COMPILED_SHAPES = 4;

interface ShapeProgram {
  readonly plan: ExecutionPlan;
  readonly program: CompiledProgram;
}

/**
 * Runs a model frame after frame, every frame in full. Each input shape is planned, lowered to a
 * program and compiled by the backend once (its buffers allocated once); a frame is one run of
 * that program's keyframe entry.
 */
export class DenseSession extends SessionCore implements Session {
  readonly mode = 'dense' as const;
  readonly #shapes = new Map<string, ShapeProgram>();
  #lastPlan: ExecutionPlan | undefined;

  constructor(context: SessionContext) {
    super(context);
    for (const node of context.graph.nodes) {
      const probe = { op: node.op, attrs: node.attrs } as DenseKernelCall;
      if (!context.backend.supports(probe)) {
        throw new OptionError(
          `Backend '${context.backend.id}' has no kernel for node '${node.name}' (${node.op}); choose another backend.`,
        );
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
  run(inputs: Readonly<Record<string, InputTensor>>): Promise<TensorMap> {
    return this.submit(
      // Planned (and checked against memoryLimit) before the inputs are copied: a frame too large
      // for the session is refused before anything of its size is allocated.
      () => this.inputs.admit(inputs, (views) => this.#programFor(shapeKeyOf(views), shapesOf(views))),
      (frame, ticket) => this.#runFrame(frame, ticket),
    );
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

  protected forget(): void {
    this.#lastPlan = undefined;
  }

  protected override release(): void {
    for (const shape of this.#shapes.values()) shape.program.dispose();
    this.#shapes.clear();
  }

  async #runFrame(frame: CopiedInputs, ticket: FrameTicket): Promise<TensorMap> {
    const shape = this.#programFor(frame.shapeKey, Object.fromEntries(Object.entries(frame.tensors).map(([k, t]) => [k, t.shape])));
    const start = performance.now();
    const executable = await this.executableOf(shape.program);
    const result = await executable.run('keyframe', frame.tensors);
    // A frame that reset() or dispose() overtook still answers its caller, but is no longer part of the stream's statistics.
    if (!ticket.current()) return result.outputs;
    const figures = entryFigures(shape.program.lowered, 'keyframe', result, (node) => this.ops.get(node) ?? 'dense');
    this.#lastPlan = shape.plan;
    this.record(
      { ms: performance.now() - start, macs: figures.denseMacs, denseMacs: figures.denseMacs, keyframe: true, reason: 'dense' },
      figures.nodes,
    );
    return result.outputs;
  }

  /** The program of an input shape, planned (within the memory limit) and lowered on first use. */
  #programFor(key: string, shapes: Readonly<Record<string, readonly number[]>>): ShapeProgram {
    let cached = this.#shapes.get(key);
    if (!cached) {
      const plan = planDenseWithin(this.graph, shapes, this.memoryLimit);
      const macs = plan.steps.map((step) =>
        countMacs(
          step,
          step.node.inputs.map((n) => (n === '' ? undefined : plan.shapes.get(n))),
        ),
      );
      cached = { plan, program: new CompiledProgram(lowerDense(this.graph, plan, macs), this.graph.constants, this.backend) };
      this.#shapes.set(key, cached);
      // Each compiled shape holds its buffers: keep the few most recent, hand the others back.
      for (const [old, entry] of this.#shapes) {
        if (this.#shapes.size <= COMPILED_SHAPES) break;
        this.#shapes.delete(old);
        this.retire(entry.program);
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
