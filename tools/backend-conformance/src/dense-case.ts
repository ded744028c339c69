import type { DenseKernelCall, OpName, Rng } from '@motiondelta/core';
import { runChecked } from './case-report.js';
import { checkTensor } from './compare-values.js';
import { cloneTensor } from './random-data.js';
import { DENSE_TOLERANCE } from './tolerance.js';
import type { Tolerance } from './tolerance.js';
import type { ConformanceCase } from './types.js';

/**
 * A dense case: `build` draws a call from the rng, the reference computes the expected output,
 * the backend computes its own from copies of the inputs, and the two are compared. The backend
 * must also leave its inputs untouched (sessions reuse them).
 */
export function denseCase(
  op: OpName,
  label: string,
  build: (rng: Rng) => DenseKernelCall,
  tolerance: Tolerance = DENSE_TOLERANCE,
): ConformanceCase {
  return {
    name: `dense/${op}/${label}`,
    kind: 'dense',
    op,
    run: (backend, reference, rng) =>
      runChecked(async (report) => {
        const call = build(rng);
        if (!backend.supports(call)) {
          report.expect('supports()', false, `backend '${backend.id}' reports no kernel for this call`);
          return;
        }
        const expected = await reference.runDense(call);
        const inputs = call.inputs.map((t) => (t === undefined ? undefined : cloneTensor(t)));
        const actual = await backend.runDense({ ...call, inputs } as DenseKernelCall);
        checkTensor(report, 'output', actual, expected, tolerance);
        inputs.forEach((t, i) => {
          const original = call.inputs[i];
          if (t === undefined || original === undefined) return;
          const same = t.data.every((v, j) => Object.is(v, original.data[j]));
          report.expect(`input ${i} untouched`, same, same ? 'unchanged' : 'the backend wrote into its input');
        });
      }),
  };
}
