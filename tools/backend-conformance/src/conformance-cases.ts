import { convDenseCases } from './dense-conv-cases.js';
import { elementwiseDenseCases } from './dense-elementwise-cases.js';
import { layoutDenseCases } from './dense-layout-cases.js';
import { matrixDenseCases } from './dense-matrix-cases.js';
import { poolDenseCases } from './dense-pool-cases.js';
import { structureDenseCases } from './dense-structure-cases.js';
import { linearDeltaCases } from './delta-linear-cases.js';
import { sparsifyDeltaCases } from './delta-sparsify-cases.js';
import { statefulDeltaCases } from './delta-stateful-cases.js';
import type { ConformanceCase } from './types.js';

/**
 * Every conformance case: each dense op of the IR (OP_NAMES) over its attribute space, and each
 * delta kernel over change patterns aimed at tiled code (tile borders, corners, odd shapes,
 * nothing, everything, buffer reuse). Names are unique and stable across runs; inputs come from
 * the rng each case is run with.
 *
 * @example
 * ```ts
 * import { caseRng, conformanceCases } from '@motiondelta/backend-conformance';
 * import { ReferenceBackend } from '@motiondelta/reference-backend';
 * const reference = new ReferenceBackend();
 * const conv = conformanceCases().find((c) => c.op === 'Conv2D')!;
 * const result = await conv.run(new ReferenceBackend(), reference, caseRng(1, conv.name));
 * // result.ok === true
 * ```
 */
export function conformanceCases(): ConformanceCase[] {
  const cases = [
    ...convDenseCases(),
    ...poolDenseCases(),
    ...elementwiseDenseCases(),
    ...layoutDenseCases(),
    ...matrixDenseCases(),
    ...structureDenseCases(),
    ...sparsifyDeltaCases(),
    ...linearDeltaCases(),
    ...statefulDeltaCases(),
  ];
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.name)) throw new Error(`conformance case name '${c.name}' is used twice; names identify cases in reruns.`);
    seen.add(c.name);
  }
  return cases;
}
