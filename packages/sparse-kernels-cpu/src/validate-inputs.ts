import { ShapeError } from '@motiondelta/core';

// The checks every backend shares live in core; these are the native backend's own.
export {
  expectChannelVector,
  expectOutputShape,
  expectRank,
  normalizeAxis,
  optionalInput,
  requireInput,
  type KernelCall,
} from '@motiondelta/core';

/** Throws unless every value is a non-negative integer. */
export function expectNonNegativeInts(op: string, name: string, values: readonly number[], count: number): void {
  if (values.length !== count || !values.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new ShapeError(`${op}: ${name} [${values.join(',')}] must be ${count} non-negative integers.`);
  }
}

/** Throws unless a value fits the addon's 32-bit integer geometry. */
export function expectInt32(op: string, what: string, value: number): void {
  if (value > 0x7fffffff) {
    throw new ShapeError(`${op}: ${what} (${value}) exceeds 2^31 - 1, the largest size the native kernels index.`);
  }
}
