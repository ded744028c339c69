import { relative } from 'node:path';
import type { Backend } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceCases } from './conformance-cases.js';
import { caseRng, conformanceSeed, rerunHint } from './seed.js';
import type { ConformanceCase } from './types.js';

export interface BackendConformanceOptions {
  /** Shown in the suite name, e.g. `cpu-native`. */
  readonly name: string;
  /** Creates the backend under test; called once, before the first case. */
  readonly create: () => Promise<Backend>;
  /** When set, every case is reported as skipped with this reason (e.g. the addon is not built). */
  readonly skipReason?: string;
  /** Keeps only the cases this returns true for (default: all). */
  readonly filter?: (c: ConformanceCase) => boolean;
}

/**
 * Declares a vitest suite that runs every conformance case against the reference backend, one
 * test per case, on inputs from a fresh random seed (or `CONFORMANCE_SEED`). The backend is
 * created once and disposed after the last case. A failing case reports the seed and the command
 * that reruns it with the same inputs.
 *
 * @example
 * ```ts
 * // packages/my-backend/test/conformance.test.ts
 * import { defineBackendConformance } from '@motiondelta/backend-conformance';
 * import { createMyBackend } from '../src/index.js';
 * defineBackendConformance({ name: 'my-backend', create: () => createMyBackend() });
 * ```
 */
export function defineBackendConformance(options: BackendConformanceOptions): void {
  const seed = conformanceSeed();
  const cases = conformanceCases().filter(options.filter ?? (() => true));
  describe(`${options.name} conformance`, () => {
    const reference = new ReferenceBackend();
    let backend: Backend | undefined;
    // A create() that throws fails every case with its error (a throwing beforeAll would leave the
    // cases counted as skipped, and CI counts failures).
    let createError: unknown;

    beforeAll(async () => {
      // Printed on success too, so a CI log says which inputs passed.
      console.log(`${options.name} conformance: ${cases.length} cases, CONFORMANCE_SEED=${seed}`);
      if (options.skipReason !== undefined) return;
      try {
        backend = await options.create();
      } catch (error) {
        createError = error;
      }
    });
    afterAll(() => {
      backend?.dispose?.();
    });

    for (const c of cases) {
      it(c.name, async (context) => {
        if (options.skipReason !== undefined) context.skip(options.skipReason);
        if (createError !== undefined) throw createError;
        if (backend === undefined) throw new Error(`${options.name}: create() did not produce a backend.`);
        const result = await c.run(backend, reference, caseRng(seed, c.name));
        if (!result.ok) {
          const testPath = expect.getState().testPath;
          const file = testPath === undefined ? '<test file>' : relative(process.cwd(), testPath);
          throw new Error(
            `${options.name} differs from the reference on '${c.name}' (seed ${seed}): ${result.message}\n` +
              `rerun: ${rerunHint(seed, file, c.name)}\n` +
              result.details.join('\n'),
          );
        }
      });
    }
  });
}
