import { ResourceLimitError, formatBytes } from '@motiondelta/core';

/**
 * Counts the bytes an import allocates for decoded weights and constants, so that a model whose
 * declared shapes add up to more than the limit is refused before the allocation that would
 * exceed it, naming the tensor that did.
 */
export class DecodeBudget {
  private used = 0;

  constructor(
    /** Most bytes all decoded tensors together may take. */
    readonly limit: number,
    /** What raises the limit, for the error message. */
    private readonly raise = 'raise options.maxModelBytes (decoded weights may take twice that) to load larger models',
  ) {}

  /** Bytes charged so far. */
  get bytes(): number {
    return this.used;
  }

  /**
   * Charges `bytes` for tensor `what`, or throws ResourceLimitError when the tensor alone or the
   * running total would pass the limit. `bytes` may be Infinity or NaN (overflowed shapes).
   */
  charge(bytes: number, what: string): void {
    if (!(bytes >= 0 && bytes <= this.limit)) {
      throw new ResourceLimitError(what, bytes, this.limit, `its declared shape alone is over the limit; ${this.raise}.`);
    }
    if (this.used + bytes > this.limit) {
      throw new ResourceLimitError(
        what,
        this.used + bytes,
        this.limit,
        `the model's decoded weights would reach ${formatBytes(this.used + bytes)} with this one; ${this.raise}.`,
      );
    }
    this.used += bytes;
  }
}

/**
 * Number of elements of a declared shape, computed so that overflow shows: the result is
 * Infinity once it passes 2^53 (no silent precision loss), and NaN never comes out.
 */
export function declaredElementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) {
    n *= d;
    if (n > Number.MAX_SAFE_INTEGER) return Infinity;
  }
  return n;
}
