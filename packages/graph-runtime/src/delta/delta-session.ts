import { OptionError, type Executable, type FrameResult, type TensorMap } from '@motiondelta/core';
import type { InputTensor } from '../ir/graph.js';
import { shapeKeyOf, shapesOf, type CopiedInputs } from '../executor/validate-inputs.js';
import { CompiledProgram } from '../program/compiled-program.js';
import { lowerDelta } from '../program/lower-delta.js';
import { entryFigures, finalStepIndices } from '../program/program-stats.js';
import type { FrameTicket } from '../session/frame-queue.js';
import type { Session } from '../session/session.js';
import { SessionCore, type SessionContext } from '../session/session-core.js';
import type { KeyframeReason, UpdateMask } from '../session/session-stats.js';
import { StreamHealth } from '../session/stream-health.js';
import { planDeltaWithin } from './delta-memory.js';
import { InputRefresh, type RefreshOptions } from './input-refresh.js';
import { SceneCutDetector } from './scene-cut-detector.js';
import type { DeltaPlan, DeltaThresholds } from './delta-plan.js';

/** Delta mode's bounds on staleness: see `SessionOptions.refresh` and `keyframeInterval`. */
export interface StalenessOptions {
  readonly refresh?: RefreshOptions;
  readonly keyframeInterval?: number;
}

/** A delta plan for one input shape and its program. */
interface ShapeProgram {
  readonly shapeKey: string;
  readonly plan: DeltaPlan;
  readonly program: CompiledProgram;
}

/** The state of a stream: which program holds it, and whether it can still be updated incrementally. */
interface Stream {
  readonly shape: ShapeProgram;
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
 * (see `RESYNC_RATIO`) or non-finite outputs, after a failed frame, and, with the `sceneCut`
 * option, at a cut to another shot (`SceneCutDetector`); with `keyframeInterval`, every that many
 * frames. With `refresh`, the input's sparsify runs on the host (`InputRefresh`) so that residue
 * below the input threshold waits at most `refresh.maxAge` frames; `stats().frames[i].reason` says
 * why a frame was a keyframe.
 */
export class DeltaSession extends SessionCore implements Session {
  readonly mode = 'delta' as const;
  readonly #thresholds: DeltaThresholds;
  readonly #cuts: SceneCutDetector;
  readonly #refresh: InputRefresh | undefined;
  readonly #keyframeInterval: number;
  /** Frames run since the stream's last keyframe (the keyframe counts as 1). */
  #sinceKeyframe = 0;
  #stream: Stream | undefined;
  /** The previous frame failed mid-way and its state was dropped. */
  #recover = false;
  /** The plan (and its program) for the last input shape `run()` admitted, made when it was admitted. */
  #admitted: ShapeProgram | undefined;
  /** The entry the last frame ran and what it reported, for update masks. */
  #last: { readonly entry: 'keyframe' | 'frame'; readonly result: FrameResult } | undefined;

  /** `sceneCut`: see `SessionOptions.sceneCut` (default 0.4, `Infinity` off); `staleness`: options checked by `checkRefreshOptions`. */
  constructor(context: SessionContext, thresholds: DeltaThresholds, sceneCut?: number, staleness: StalenessOptions = {}) {
    super(context);
    const { backend } = context;
    if (!backend.delta && !backend.programs?.stepKinds.has('linear')) {
      throw new OptionError(`Backend '${backend.id}' has no delta kernels; use mode 'dense' or a backend that has them (reference).`);
    }
    this.#cuts = new SceneCutDetector(sceneCut);
    this.#keyframeInterval = staleness.keyframeInterval ?? Number.POSITIVE_INFINITY;
    if (staleness.refresh) {
      // The host chooses which input pixels to send; the program's own input sparsify then runs at
      // threshold 0 and sends exactly those (see InputRefresh).
      const images = context.graph.inputs.filter((i) => i.shape.length === 4).map((i) => i.name);
      this.#refresh = new InputRefresh(
        staleness.refresh,
        Object.fromEntries(images.map((name) => [name, thresholds.perNode[name] ?? thresholds.input])),
      );
      thresholds = { ...thresholds, perNode: { ...thresholds.perNode, ...Object.fromEntries(images.map((name) => [name, 0])) } };
    }
    this.#thresholds = thresholds;
  }

  /** Graph nodes that run as dense islands on the current input shape, with the reason and their MACs. */
  get islands(): DeltaPlan['islands'] {
    return this.#stream?.shape.plan.islands ?? [];
  }

  /**
   * The share of the model's dense MACs in nodes that run sparsely (their work follows what
   * changed); the rest is in `islands`, recomputed densely whenever an input of theirs changed.
   * 1 for a model with no islands; undefined before the first frame.
   *
   * @example
   * ```ts
   * await delta.run(inputs);
   * console.log(`${(100 * delta.sparseMacFraction!).toFixed(1)}% of MACs sparse`, delta.islands);
   * ```
   */
  get sparseMacFraction(): number | undefined {
    const macs = this.#stream?.shape.plan.macs;
    if (!macs) return undefined;
    return macs.total > 0 ? macs.sparse / macs.total : 1;
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
  run(inputs: Readonly<Record<string, InputTensor>>): Promise<TensorMap> {
    return this.submit(
      () => this.inputs.admit(inputs, (views) => this.#admit(shapeKeyOf(views), shapesOf(views))),
      (frame, ticket) => this.#runFrame(frame, ticket),
    );
  }

  updateMasks(): UpdateMask[] {
    const stream = this.#stream;
    const last = this.#last;
    if (!stream || !last) return [];
    const { program } = stream.shape.program.lowered;
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

  protected forget(): void {
    this.#stream = undefined;
    this.#last = undefined;
    this.#recover = false;
    this.#cuts.clear();
    this.#refresh?.clear();
    this.#sinceKeyframe = 0;
  }

  protected override release(): void {
    this.#admitted?.program.dispose();
    this.#stream?.shape.program.dispose();
  }

  async #runFrame(frame: CopiedInputs, ticket: FrameTicket): Promise<TensorMap> {
    const start = performance.now();
    // A frame that reset() or dispose() overtook before it started runs on its own, as a keyframe
    // whose state nothing will use.
    const current = ticket.current();
    const stream = current ? this.#stream : undefined;
    // Every frame of the stream is sampled, so the next one compares with this one.
    const cut = current && this.#cuts.isCut(frame.tensors);
    if (stream === undefined) return this.#keyframe(frame, current && this.#recover ? 'recovery' : 'first', start, ticket);
    if (stream.shape.shapeKey !== frame.shapeKey) return this.#keyframe(frame, 'shape', start, ticket);
    const unhealthy = stream.health.keyframeReason(frame.peaks);
    if (unhealthy !== undefined) return this.#keyframe(frame, unhealthy, start, ticket);
    if (cut) return this.#keyframe(frame, 'scene-cut', start, ticket);
    if (this.#sinceKeyframe >= this.#keyframeInterval) return this.#keyframe(frame, 'interval', start, ticket);

    const refreshed = this.#refresh?.frame(frame.tensors);
    let result: FrameResult;
    try {
      result = await stream.executable.run('frame', refreshed?.tensors ?? frame.tensors);
    } catch (error) {
      // A kernel failing mid-frame leaves some state updated and some not: forget it all, so
      // the next frame is a keyframe instead of building on inconsistent state.
      if (ticket.current()) {
        this.#stream = undefined;
        this.#recover = true;
        this.#refresh?.clear();
      }
      throw error;
    }
    stream.health.extend(frame.peaks);
    this.#sinceKeyframe++;
    return this.#finishFrame(stream, 'frame', result, start, undefined, ticket, refreshed?.refreshed);
  }

  /**
   * Plans a new input shape when `run()` admits it, before its inputs are copied: a frame too large
   * for `memoryLimit` (or one the graph cannot take) is refused before anything of its size is
   * allocated. The keyframe that follows compiles this plan's program.
   */
  #admit(shapeKey: string, shapes: Readonly<Record<string, readonly number[]>>): ShapeProgram {
    if (this.#stream?.shape.shapeKey === shapeKey) return this.#stream.shape;
    if (this.#admitted?.shapeKey !== shapeKey) {
      const plan = planDeltaWithin(this.graph, shapes, this.#thresholds, this.memoryLimit);
      const lowered = lowerDelta(this.graph, plan, new Map(Object.entries(shapes)));
      // A shape that was admitted but never became the stream's is not needed any more.
      if (this.#admitted && this.#admitted !== this.#stream?.shape) this.retire(this.#admitted.program);
      this.#admitted = { shapeKey, plan, program: new CompiledProgram(lowered, this.graph.constants, this.backend) };
    }
    return this.#admitted;
  }

  async #keyframe(frame: CopiedInputs, reason: KeyframeReason, start: number, ticket: FrameTicket): Promise<TensorMap> {
    const shapes = Object.fromEntries(Object.entries(frame.tensors).map(([k, t]) => [k, t.shape]));
    const shape = this.#admit(frame.shapeKey, shapes);
    let executable: Executable;
    let result: FrameResult;
    try {
      executable = await this.executableOf(shape.program);
      result = await executable.run('keyframe', frame.tensors);
    } catch (error) {
      // The keyframe may have written part of the state it shares with the stream: drop the
      // stream, so the next frame starts over (and says it is recovering).
      if (ticket.current()) {
        if (this.#stream?.shape === shape) this.#stream = undefined;
        this.#recover = true;
      }
      throw error;
    }
    // Overtaken by reset() or dispose(): the caller gets its outputs, the session keeps nothing.
    if (!ticket.current()) return result.outputs;
    const previous = this.#stream?.shape;
    if (previous && previous !== shape) this.retire(previous.program);
    // A keyframe leaves every delta empty: nothing is pending for the next frame.
    const stream: Stream = { shape, executable, health: new StreamHealth(frame.peaks) };
    this.#stream = stream;
    this.#refresh?.keyframe(frame.tensors);
    this.#sinceKeyframe = 1;
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
    refreshedPixels?: number,
  ): TensorMap {
    const outputs = result.outputs;
    // A frame overtaken by reset() or dispose() answers its caller and leaves no statistics.
    if (!ticket.current()) return outputs;
    stream.health.checkOutputs(outputs);
    const figures = entryFigures(stream.shape.program.lowered, entry, result, (node) => this.ops.get(node) ?? node);
    this.#last = { entry, result };
    this.record(
      {
        ms: performance.now() - start,
        macs: entry === 'keyframe' ? figures.denseMacs : figures.macs,
        denseMacs: figures.denseMacs,
        keyframe: entry === 'keyframe',
        reason,
        ...(this.#refresh && { refreshedPixels: refreshedPixels ?? 0 }),
      },
      figures.nodes,
    );
    return outputs;
  }
}
