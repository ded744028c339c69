import { DeltaBuffer, ShapeError, UnsupportedOpError, formatShape, sizeOf } from '@motiondelta/core';
import type { Shape, Tensor } from '@motiondelta/core';

/**
 * Argument checks shared by the delta kernels. Like the dense oracle, the delta oracle re-checks
 * what it reads: a wrong shape here would otherwise index silently out of bounds and the
 * conformance suite would compare other backends with garbage.
 */

/** The node name used in errors: delta kernels see calls, not graph nodes. */
export const DELTA_NODE = '(reference delta kernel)';

export function requireDelta(op: string, inputs: readonly (DeltaBuffer | Tensor | undefined)[], index: number, role: string): DeltaBuffer {
  const input = inputs[index];
  if (!(input instanceof DeltaBuffer)) {
    throw new UnsupportedOpError(op, DELTA_NODE, `input ${index} (${role}) must be a varying DeltaBuffer, got ${describe(input)}`);
  }
  return input;
}

export function requireConstant(op: string, inputs: readonly (DeltaBuffer | Tensor | undefined)[], index: number, role: string): Tensor {
  const input = inputs[index];
  if (input === undefined || input instanceof DeltaBuffer) {
    throw new UnsupportedOpError(op, DELTA_NODE, `input ${index} (${role}) must be a constant Tensor, got ${describe(input)}`);
  }
  expectTensorSize(op, role, input);
  return input;
}

export function expectTensorSize(op: string, role: string, t: Tensor): void {
  if (t.data.length !== sizeOf(t.shape)) {
    throw new ShapeError(`${op}: ${role} has ${t.data.length} values but its shape ${formatShape(t.shape)} needs ${sizeOf(t.shape)}.`);
  }
}

export function describe(input: DeltaBuffer | Tensor | undefined): string {
  if (input === undefined) return 'nothing';
  return input instanceof DeltaBuffer ? `a DeltaBuffer ${formatShape(input.shape)}` : `a constant Tensor ${formatShape(input.shape)}`;
}

/** Throws unless `out` has exactly the shape this kernel produces. */
export function expectOutShape(op: string, out: DeltaBuffer, computed: Shape): void {
  if (!sameShape(out.shape, computed)) {
    throw new ShapeError(
      `${op}: the output DeltaBuffer has shape ${formatShape(out.shape)} but the inputs and attributes give ${formatShape(computed)}.`,
    );
  }
}

/** Throws unless a state array holds exactly one value per element of `shape`. */
export function expectStateSize(op: string, role: string, array: Float32Array, shape: Shape): void {
  if (array.length !== sizeOf(shape)) {
    throw new ShapeError(`${op}: state ${role} has ${array.length} values; expected ${sizeOf(shape)} for shape ${formatShape(shape)}.`);
  }
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
