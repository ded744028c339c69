import type { MaybePromise } from '../maybe-promise.js';
import type { Tensor, TensorMap } from '../tensor.js';
import type { EntryName, Program } from './program.js';
import type { StepKind } from './steps.js';

/** What one run of an entry gives back, read once per frame. */
export interface FrameResult {
  /** The program's outputs, in arrays the caller owns (never the backend's storage). */
  readonly outputs: TensorMap;
  /**
   * Per step of the entry that ran, in order: the pixels its output covers that it updated (a
   * delta step: its active pixels; a dense or copy step: every pixel of its output), or -1 when
   * the backend skipped the step because nothing it reads changed. A step that updates state only
   * (`accumulate`) reports the active pixels it added.
   */
  readonly active: Int32Array;
  /** Per step, milliseconds, where the backend measures them (0 where it does not). */
  readonly ms: Float64Array;
}

/**
 * A program compiled by a backend: every buffer it needs (state, frame values, packed or uploaded
 * weights, pipelines) allocated once, on the backend's own device. Entries run a whole frame;
 * frames must not overlap (sessions queue them).
 */
export interface Executable {
  /**
   * Runs an entry on one frame's inputs (tensors of the program's input shapes, which the call
   * reads before its promise settles and never keeps). Throws (rejects) on a kernel failure, after
   * which the stream values are undefined until the next keyframe.
   */
  run(entry: EntryName, inputs: Readonly<Record<string, Tensor>>): Promise<FrameResult>;
  /** Bytes of `stream` values (state kept between frames), as allocated. */
  readonly stateBytes: number;
  /**
   * For reports, not for the frame path: which pixels step `index` of `entry`'s last run updated
   * (1 = updated), where the step's output is a delta; undefined otherwise. May read device memory.
   */
  updateMask?(entry: EntryName, index: number): Uint8Array | undefined;
  /** Releases every buffer; the executable is unusable afterwards. */
  dispose(): void;
}

/**
 * What a backend offers to compile programs: the step kinds it implements, and the compiler.
 * A session whose program holds a step kind the backend lacks skips that backend, naming the step.
 */
export interface ProgramCompiler {
  readonly stepKinds: ReadonlySet<StepKind>;
  /**
   * Why this compiler cannot run `program` although it implements every step kind the program
   * holds (an op or an operand combination it has no kernel for), or undefined when it can. A
   * program it declines runs on the host, step by step through the backend's kernels, and
   * sessions report the reason (`session.backendInfo.programs`). Without this method the compiler
   * takes every program whose step kinds it implements.
   *
   * @example
   * ```ts
   * const reason = backend.programs?.declines?.(program);
   * if (reason !== undefined) console.log(`runs on the host: ${reason}`);
   * ```
   */
  declines?(program: Program): string | undefined;
  /** Compiles `program`; `constants` holds the data of every `constant` value, by value name. */
  compile(program: Program, constants: ReadonlyMap<string, Tensor>): MaybePromise<Executable>;
}
