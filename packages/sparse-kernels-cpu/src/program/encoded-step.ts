import type { Shape, ValueId } from '@motiondelta/core';
import type { NativeActivation } from '../dense/native-dense-addon.js';
import type { EncodedStep } from './native-program-addon.js';

/** What an encoder knows of the program: value shapes, and the data of constants. */
export interface EncodeContext {
  shape(id: ValueId): Shape;
  /** The data of a constant value; undefined for any other value. */
  constant(id: ValueId): Float32Array | undefined;
}

/** The attributes of an encoded step; anything left out is empty. */
export interface StepAttributes {
  readonly ints?: readonly number[];
  readonly floats?: readonly number[];
  readonly f32?: readonly Float32Array[];
  readonly i32?: readonly Int32Array[];
  readonly f64?: readonly Float64Array[];
  readonly act?: NativeActivation | null;
}

const NO_NUMBERS = new Float64Array(0);

/** Builds an encoded step (native/src/program_spec.h, StepSpec). */
export function encodedStep(
  kind: number,
  op: number,
  node: string,
  operands: readonly (ValueId | null)[],
  attrs: StepAttributes = {},
): EncodedStep {
  return {
    kind,
    op,
    node,
    operands: Int32Array.from(operands, (id) => id ?? -1),
    ints: attrs.ints ? Float64Array.from(attrs.ints) : NO_NUMBERS,
    floats: attrs.floats ? Float64Array.from(attrs.floats) : NO_NUMBERS,
    f32: attrs.f32 ?? [],
    i32: attrs.i32 ?? [],
    f64: attrs.f64 ?? [],
    act: attrs.act ?? null,
  };
}
