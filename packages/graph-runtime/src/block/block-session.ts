import {
  InputError,
  OptionError,
  ShapeError,
  blockGridOf,
  tileRects,
  type BlockDecision,
  type BlockGrid,
  type DenseKernelCall,
  type EntryName,
  type Executable,
  type FrameResult,
  type Tensor,
  type TensorMap,
} from '@motiondelta/core';
import type { InputTensor } from '../ir/graph.js';
import { shapeKeyOf, shapesOf, type CopiedInputs } from '../executor/validate-inputs.js';
import { CompiledProgram } from '../program/compiled-program.js';
import type { ExecutionPlan } from '../shape/plan-graph.js';
import { countMacs } from '../stats/count-macs.js';
import type { FrameTicket } from '../session/frame-queue.js';
import type { Session } from '../session/session.js';
import { SessionCore, type SessionContext } from '../session/session-core.js';
import type { KeyframeReason, SessionStats, UpdateMask } from '../session/session-stats.js';
import type { BlockOptions } from './block-options.js';
import { planBlockWithin } from './block-memory.js';
import { blockFigures, type BlockFrameStats } from './block-stats.js';
import { BLOCKS_INPUT, lowerBlock, type BlockProgram } from './lower-block.js';
import { frameChange, sampleFrame } from './scene-cut.js';

/** An input shape's plan, grid and program. */
interface ShapeProgram {
  readonly shapeKey: string;
  readonly plan: ExecutionPlan;
  readonly grid: BlockGrid;
  readonly lowered: BlockProgram;
  readonly program: CompiledProgram;
}

/** The stream a block session continues: its program, and what the policy saw last. */
interface Stream {
  readonly shape: ShapeProgram;
  readonly executable: Executable;
  /** The first graph output of the last frame (a copy the caller cannot change). */
  previousOutput: Tensor;
  previousDecisions: Uint8Array;
  /** Sample of the last frame's image, for scene cuts. */
  sample: Float32Array;
}

/** `session.stats()` of a block session: every frame with its block decisions. */
export interface BlockSessionStats extends SessionStats {
  readonly frames: readonly BlockFrameStats[];
}

/**
 * Block mode (BlockCopy with BlockPad halos): a policy decides per block of the frame whether to
 * recompute it or keep last frame's features there. Every node keeps its output map between
 * frames; each frame, in topological order, a node recomputes the pixels of its map under the
 * executed blocks (the blocks' span scaled by the node's stride) from its inputs' maps, which hold
 * this frame's values where their producer executed and earlier ones elsewhere, so halos come from
 * the neighbours, and padding is the op's own only at the image border. Copied pixels are never
 * written. Global nodes (global pooling, reductions, MatMul/Gemm heads, reshapes) are recomputed
 * whole on the combined maps every frame. With every block executed, a frame equals dense
 * inference exactly; the first frame, the first after a shape change or a failed frame, a scene
 * cut (`sceneCut`) and a {@link BlockSession.requestKeyframe} execute every block.
 *
 * @example
 * ```ts
 * const everything = { name: 'all', decide: ({ grid }) => ({ execute: new Uint8Array(grid.rows * grid.cols).fill(1) }) };
 * const session = await model.createSession({ mode: 'block', policy: everything, blockSize: 64 });
 * const out = await session.run({ input: frame });
 * const { executedBlocks, totalBlocks, macs } = session.stats().frames[0]!;
 * ```
 */
export class BlockSession extends SessionCore<BlockFrameStats> implements Session {
  readonly mode = 'block' as const;
  readonly #options: BlockOptions;
  #stream: Stream | undefined;
  #admitted: ShapeProgram | undefined;
  /** Why the next frame must be a keyframe beside the stream's own reasons. */
  #pending: KeyframeReason | undefined;
  /** Frames of the current stream so far: the policy's frame index. */
  #index = 0;
  #last: { readonly entry: EntryName; readonly executed: Uint8Array; readonly shape: ShapeProgram } | undefined;

  constructor(context: SessionContext, options: BlockOptions) {
    super(context);
    this.#options = options;
    for (const node of context.graph.nodes) {
      const probe = { op: node.op, attrs: node.attrs } as DenseKernelCall;
      if (!context.backend.supports(probe)) {
        throw new OptionError(
          `Backend '${context.backend.id}' has no kernel for node '${node.name}' (${node.op}); choose another backend.`,
        );
      }
    }
  }

  /** The policy's name, the block size and the target rate the session runs with. */
  get block(): { readonly policy: string; readonly blockSize: number; readonly targetRate: number | undefined } {
    return { policy: this.#options.policy.name, blockSize: this.#options.blockSize, targetRate: this.#options.targetRate };
  }

  /**
   * Runs one frame: the policy decides which blocks to recompute, the frame runs, the policy
   * observes the result. Inputs and outputs as in every mode (validated and copied before `run()`
   * returns); a policy that throws, or answers with a decision that does not fit the grid
   * (ShapeError, InputError), rejects the frame before anything changes.
   *
   * @example
   * ```ts
   * const { y } = await session.run({ x: { data, shape: [1, 256, 256, 3] } });
   * ```
   */
  run(inputs: Readonly<Record<string, InputTensor>>): Promise<TensorMap> {
    return this.submit(
      () => this.inputs.admit(inputs, (views) => this.#admit(shapeKeyOf(views), shapesOf(views))),
      (frame, ticket) => this.#runFrame(frame, ticket),
    );
  }

  /** Makes the next frame a keyframe (every block executed), whatever the policy decides. */
  requestKeyframe(): void {
    this.#pending ??= 'requested';
  }

  override stats(): BlockSessionStats {
    return { ...super.stats(), frames: [...this.frames] };
  }

  /**
   * Per node, which output pixels the last frame updated: every pixel on a keyframe and for
   * global nodes; the executed blocks' spans on the node's map otherwise.
   */
  updateMasks(): UpdateMask[] {
    const last = this.#last;
    if (!last) return [];
    const steps = last.entry === 'keyframe' ? last.shape.lowered.program.entries.keyframe : last.shape.lowered.program.entries.frame!;
    return steps.map((step, i) => {
      const out = last.shape.plan.steps[i]!.outputShape;
      const grid: [number, number, number] = out.length === 4 ? [out[0]!, out[1]!, out[2]!] : [1, 1, out.reduce((a, b) => a * b, 1)];
      const mask = new Uint8Array(grid[0] * grid[1] * grid[2]);
      if (step.kind !== 'tiles') mask.fill(1);
      else {
        for (const r of tileRects(step.rowSpans, step.colSpans, last.executed))
          for (let b = 0; b < grid[0]; b++)
            for (let y = r.y0; y < r.y1; y++) mask.fill(1, (b * grid[1] + y) * grid[2] + r.x0, (b * grid[1] + y) * grid[2] + r.x1);
      }
      return { node: step.node, shape: grid, mask };
    });
  }

  protected forget(): void {
    this.#stream = undefined;
    this.#last = undefined;
    this.#pending = undefined;
    this.#index = 0;
    this.#options.policy.reset?.();
  }

  protected override release(): void {
    this.#admitted?.program.dispose();
    this.#stream?.shape.program.dispose();
  }

  async #runFrame(frame: CopiedInputs, ticket: FrameTicket): Promise<TensorMap> {
    const start = performance.now();
    const shape = this.#admit(frame.shapeKey, Object.fromEntries(Object.entries(frame.tensors).map(([k, t]) => [k, t.shape])));
    const image = frame.tensors[this.#options.image]!;
    const sample = sampleFrame(image.data, image.shape);
    // A frame that reset() or dispose() overtook runs on its own, as a keyframe nothing continues.
    const stream = ticket.current() ? this.#stream : undefined;
    const reason = this.#keyframeReason(stream, shape, sample);
    const pending = this.#pending;
    const index = this.#index;
    // What the policy saw last, when it was on this grid.
    const previous = stream && stream.shape === shape ? stream : undefined;
    const policy = this.#options.policy;
    const grid = shape.grid;

    let policyMs = performance.now();
    const decision = await policy.decide({
      index,
      input: { data: new Float32Array(image.data), shape: [...image.shape] },
      grid,
      ...(previous ? { previousOutput: previous.previousOutput, previousDecisions: previous.previousDecisions } : {}),
    });
    const executed = reason === undefined ? checkDecision(decision, grid, policy.name) : new Uint8Array(grid.rows * grid.cols).fill(1);
    policyMs = performance.now() - policyMs;

    const entry: EntryName = reason === undefined ? 'frame' : 'keyframe';
    let executable: Executable;
    let result: FrameResult;
    try {
      executable = stream && entry === 'frame' ? stream.executable : await this.executableOf(shape.program);
      const blocks = { data: Float32Array.from(executed), shape: [1, grid.rows, grid.cols, 1] };
      result = await executable.run(entry, { ...frame.tensors, [BLOCKS_INPUT]: blocks });
    } catch (error) {
      // A failed frame leaves the persistent maps half updated: the next frame starts over.
      if (ticket.current()) {
        this.#stream = undefined;
        this.#pending = 'recovery';
      }
      throw error;
    }
    if (!ticket.current()) return result.outputs;

    const first = this.graph.outputs[0]!.name;
    const output = copyTensor(result.outputs[first]!);
    // The maps are updated: the stream moves on before observe() runs, so a policy that throws
    // there fails this frame's call but leaves the session consistent.
    if (stream && stream.shape !== shape) this.retire(stream.shape.program);
    this.#stream = { shape, executable, previousOutput: output, previousDecisions: executed, sample };
    // A keyframe answers a pending request, unless another came while it ran.
    if (this.#pending === pending) this.#pending = undefined;
    this.#index = index + 1;
    this.#last = { entry, executed, shape };
    const observed = performance.now();
    await policy.observe?.({
      index,
      grid,
      executed,
      output,
      ...(previous ? { previousOutput: previous.previousOutput } : {}),
    });
    policyMs += performance.now() - observed;
    if (!ticket.current()) return result.outputs;
    const figures = blockFigures(shape.lowered, entry, result, (node) => this.ops.get(node) ?? node);
    const executedBlocks = executed.reduce((sum, e) => sum + (e !== 0 ? 1 : 0), 0);
    const totalBlocks = grid.rows * grid.cols;
    this.record(
      {
        ms: performance.now() - start,
        macs: figures.macs,
        denseMacs: figures.denseMacs,
        keyframe: entry === 'keyframe',
        reason,
        executedBlocks,
        totalBlocks,
        executedFraction: totalBlocks === 0 ? 0 : executedBlocks / totalBlocks,
        policyMs,
        targetRate: this.#options.targetRate,
      },
      figures.nodes,
    );
    return result.outputs;
  }

  /** Why this frame executes every block, or undefined when the policy decides. */
  #keyframeReason(stream: Stream | undefined, shape: ShapeProgram, sample: Float32Array): KeyframeReason | undefined {
    if (!stream) return this.#pending === 'recovery' ? 'recovery' : 'first';
    if (stream.shape !== shape) return 'shape';
    if (this.#pending !== undefined) return this.#pending;
    return frameChange(stream.sample, sample) > this.#options.sceneCut ? 'scene-cut' : undefined;
  }

  /**
   * Plans a new input shape when `run()` admits it, before its inputs are copied: a frame too large
   * for `memoryLimit` (or one the graph cannot take) is refused before anything of its size is
   * allocated.
   */
  #admit(shapeKey: string, shapes: Readonly<Record<string, readonly number[]>>): ShapeProgram {
    if (this.#stream?.shape.shapeKey === shapeKey) return this.#stream.shape;
    if (this.#admitted?.shapeKey === shapeKey) return this.#admitted;
    const plan = planBlockWithin(this.graph, shapes, this.memoryLimit);
    const image = shapes[this.#options.image]!;
    if (image.length !== 4 || image[0] !== 1) {
      throw new ShapeError(
        `Block mode takes one image at a time: input '${this.#options.image}' must be [1, H, W, C], got [${image.join(',')}].`,
      );
    }
    const grid = blockGridOf(image[1]!, image[2]!, this.#options.blockSize);
    const macs = plan.steps.map((step) =>
      countMacs(
        step,
        step.node.inputs.map((n) => (n === '' ? undefined : plan.shapes.get(n))),
      ),
    );
    const lowered = lowerBlock(this.graph, plan, grid, macs);
    // A shape admitted but never run is not needed any more.
    if (this.#admitted && this.#admitted !== this.#stream?.shape) this.retire(this.#admitted.program);
    this.#admitted = { shapeKey, plan, grid, lowered, program: new CompiledProgram(lowered, this.graph.constants, this.backend) };
    return this.#admitted;
  }
}

/** The policy's decision as a mask of the grid's blocks (1 = execute). */
function checkDecision(decision: BlockDecision, grid: BlockGrid, policy: string): Uint8Array {
  const execute = (decision as Partial<BlockDecision> | undefined)?.execute as unknown;
  if (!(execute instanceof Uint8Array) && !Array.isArray(execute)) {
    throw new InputError(
      `Policy '${policy}' answered without an execute mask; decide() must return { execute: Uint8Array } (1 = execute, 0 = copy).`,
    );
  }
  const mask = execute as ArrayLike<number>;
  if (mask.length !== grid.rows * grid.cols) {
    throw new ShapeError(
      `Policy '${policy}' decided ${mask.length} blocks; the frame's grid is ${grid.rows}x${grid.cols} = ${grid.rows * grid.cols} blocks of ${grid.blockSize} pixels.`,
    );
  }
  return Uint8Array.from(mask, (e) => (e ? 1 : 0));
}

function copyTensor(t: Tensor): Tensor {
  return { data: new Float32Array(t.data), shape: [...t.shape] };
}
