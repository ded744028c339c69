import type { NativeActivation } from '../dense/native-dense-addon.js';

/**
 * A step as the addon compiles it (native/src/program_spec.h, StepSpec): its kind and op code,
 * operand value ids (-1 for an absent optional one) in the layout of native/src/program_step.h,
 * and its attributes reduced to the numbers and tables the kernels take.
 */
export interface EncodedStep {
  readonly kind: number;
  readonly op: number;
  /** The graph node, for messages. */
  readonly node: string;
  readonly operands: Int32Array;
  /** Integer attributes (geometry), as exact doubles. */
  readonly ints: Float64Array;
  readonly floats: Float64Array;
  readonly f32: readonly Float32Array[];
  readonly i32: readonly Int32Array[];
  readonly f64: readonly Float64Array[];
  /** A fused activation (dense steps), or null. */
  readonly act: NativeActivation | null;
}

/** A whole program as the addon compiles it: one entry per value in the per-value arrays. */
export interface EncodedProgram {
  readonly kinds: Int32Array;
  readonly lifetimes: Int32Array;
  readonly ranks: Int32Array;
  /** Every value's dimensions, concatenated. */
  readonly dims: Float64Array;
  readonly names: readonly string[];
  /** A constant's data (its value id's slot), null for other values. */
  readonly constants: readonly (Float32Array | null)[];
  readonly inputs: Int32Array;
  readonly outputs: Int32Array;
  readonly keyframe: readonly EncodedStep[];
  readonly frame: readonly EncodedStep[] | null;
}

/** A compiled program owned by the addon (an External; freed by programDispose or the GC). */
export type NativeProgramHandle = object & { readonly __nativeProgram?: never };

/** The addon's program entry points (native/src/napi_program_entries.cc). */
export interface NativeProgramAddon {
  /** Compiles a program synchronously: storage planned and allocated, steps checked, weights packed. */
  programCompile(spec: EncodedProgram): NativeProgramHandle;
  /**
   * Copies `inputs` into the program (before returning), runs entry 0 (keyframe) or 1 (frame) on
   * a worker thread, and resolves with arrays the addon made for this run: the outputs, and per
   * step the updated pixels (`active`) and the milliseconds (`ms`).
   */
  programRun(
    program: NativeProgramHandle,
    entry: number,
    inputs: readonly Float32Array[],
  ): Promise<{ readonly outputs: Float32Array[]; readonly active: Int32Array; readonly ms: Float64Array }>;
  /** A copy of the mask of the delta step `step` of `entry` wrote in the last run, or null. */
  programUpdateMask(program: NativeProgramHandle, entry: number, step: number): Uint8Array | null;
  /** Bytes of state (stream values and delta buffers) and of the buffers frame values share. */
  programInfo(program: NativeProgramHandle): { readonly stateBytes: number; readonly frameBytes: number };
  /** Frees the program's storage (at once, or when the run in flight ends). */
  programDispose(program: NativeProgramHandle): void;
}
