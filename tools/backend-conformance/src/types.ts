import type { Backend, Rng } from '@motiondelta/core';

/** The outcome of one conformance case: whether the backend agreed with the reference, and how closely. */
export interface CaseResult {
  readonly ok: boolean;
  /**
   * The worst comparison of the case, as a fraction of its tolerance (<= 1 passes). A mismatch
   * that has no size (a mask, a count, a thrown error) reports Infinity.
   */
  readonly worstError: number;
  /** One line saying what was compared and, on failure, what differed first. */
  readonly message: string;
  /** Every comparison made, one line each, for a failure report. */
  readonly details: readonly string[];
}

/** Which half of the backend contract a case exercises. */
export type CaseKind = 'dense' | 'delta';

/**
 * One conformance case: an op (or delta kernel) with fixed attributes and shapes, run on random
 * inputs drawn from `rng` by both the backend under test and the reference, and compared.
 */
export interface ConformanceCase {
  /** Unique and stable, e.g. `dense/Conv2D/3x3 s2 d1 pads[1,0,2,1] g1 relu [2,13,17,5]->8`. */
  readonly name: string;
  readonly kind: CaseKind;
  /** The op or delta kernel, e.g. `Conv2D`, `delta.activation`. */
  readonly op: string;
  /** Awaits every kernel call (kernels may return promises); never throws, a thrown error fails the case. */
  run(backend: Backend, reference: Backend, rng: Rng): Promise<CaseResult>;
}
