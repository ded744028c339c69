import { DeltaBuffer } from '@motiondelta/core';
import type { LinearDeltaCall, LinearDeltaOp, Rng, Shape, Tensor } from '@motiondelta/core';
import { checkDelta } from './compare-delta.js';
import { cloneDelta, dirtyBuffer, makeDelta, patternPixels } from './change-patterns.js';
import type { ChangePattern } from './change-patterns.js';
import { deltaCase, framePatterns } from './delta-case.js';
import { cloneTensor } from './random-data.js';
import { DENSE_TOLERANCE } from './tolerance.js';
import type { ConformanceCase } from './types.js';

/** One linear delta op with its constants drawn: which inputs vary, and how to assemble the call. */
export interface LinearSetup {
  /** Shapes of the varying inputs, in the order `call` takes them. */
  readonly varying: readonly Shape[];
  readonly outShape: Shape;
  /** Constant inputs (weights, operands), drawn once per case. */
  readonly constants: readonly Tensor[];
  call(varying: readonly DeltaBuffer[], constants: readonly Tensor[]): LinearDeltaCall;
}

/**
 * A linear delta case: two frames (a dense scatter, then `pattern`) of random deltas through the
 * same dirty output buffer. Masks must be identical (which output pixels a change reaches is
 * geometry, not arithmetic) and values within the dense tolerance.
 */
export function linearCase(op: LinearDeltaOp, label: string, pattern: ChangePattern, setup: (rng: Rng) => LinearSetup): ConformanceCase {
  return deltaCase(`linear.${op}`, `${label} ${pattern}`, async ({ backend, reference, rng, report }) => {
    const s = setup(rng);
    const outRef = new DeltaBuffer(s.outShape);
    dirtyBuffer(outRef, rng);
    const outBackend = cloneDelta(outRef);
    for (const [f, framePattern] of framePatterns(pattern).entries()) {
      // Each varying input draws its own pixels, so sums and concatenations see partly overlapping masks.
      const deltas = s.varying.map((shape) => makeDelta(shape, patternPixels(framePattern, shape, rng), () => rng.next() * 2 - 1, rng));
      await reference.linear(s.call(deltas.map(cloneDelta), s.constants), outRef);
      await backend.linear(s.call(deltas, s.constants.map(cloneTensor)), outBackend);
      checkDelta(report, `frame ${f + 1} (${framePattern}) out`, outBackend, outRef, DENSE_TOLERANCE);
    }
  });
}
