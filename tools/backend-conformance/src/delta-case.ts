import type { DeltaKernels, Rng } from '@motiondelta/core';
import { runChecked } from './case-report.js';
import type { CaseReport } from './case-report.js';
import type { ChangePattern } from './change-patterns.js';
import type { ConformanceCase } from './types.js';

/** What a delta case body gets: both kernel sets, the case's rng and the report to record comparisons in. */
export interface DeltaContext {
  readonly backend: DeltaKernels;
  readonly reference: DeltaKernels;
  readonly rng: Rng;
  readonly report: CaseReport;
}

/**
 * Every delta case runs two frames on the same output buffers, which start dirty (as a previous
 * frame leaves them): first a dense scatter of changes, then the case's own pattern. What frame 1
 * activated must be gone in frame 2, so a kernel that does not clear `out` first fails every case.
 */
export function framePatterns(pattern: ChangePattern): readonly ChangePattern[] {
  return ['dense-scatter', pattern];
}

export function deltaCase(op: string, label: string, body: (context: DeltaContext) => Promise<void>): ConformanceCase {
  return {
    name: `delta/${op}/${label}`,
    kind: 'delta',
    op: `delta.${op}`,
    run: (backend, reference, rng) =>
      runChecked(async (report) => {
        if (backend.delta === undefined) {
          report.expect('delta kernels', false, `backend '${backend.id}' has no delta kernels`);
          return;
        }
        if (reference.delta === undefined) throw new Error(`the reference backend '${reference.id}' has no delta kernels`);
        await body({ backend: backend.delta, reference: reference.delta, rng, report });
      }),
  };
}
