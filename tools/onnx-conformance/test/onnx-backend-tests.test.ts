import { ensureData } from '@motiondelta/data';
import { describe, expect, it } from 'vitest';
import { listBackendTests, readBackendTest } from '../src/corpus.js';
import { KNOWN_GAPS } from '../src/known-gaps.js';
import { readModelFacts } from '../src/model-facts.js';
import { FAMILY_NAMES, opFamily } from '../src/op-family.js';
import { runBackendTest, type ConformanceBackend } from '../src/run-case.js';
import { outOfScopeReason } from '../src/scope.js';

// The ONNX project's backend tests (libonnx-testdata 1.12.0, fetched into the data cache), each
// imported and run densely on each backend (docs/MODEL-COVERAGE.md has the tables). In-scope tests
// must match at onnxruntime's tolerances or end in UnsupportedOpError; out-of-scope ones (with
// their reason in the tables) must end in a typed error or run, never crash.

const { dir } = await ensureData('onnx-backend-tests');
const tests = await listBackendTests(dir);
const classified = await Promise.all(
  tests.map(async (test) => {
    const facts = readModelFacts((await readBackendTest(test)).model);
    return { test, family: opFamily(facts.ops), scope: outOfScopeReason(facts) };
  }),
);

// cpu-native is built by setup; where the addon could not be built, sessions cannot use it and
// its half of the suite is skipped with the reason (in CI it must run).
const probe = await runBackendTest(classified.find((c) => c.test.name === 'test_relu')!.test, ['cpu-native']);
const nativeMissing = probe.outcomes['cpu-native']?.kind === 'backend-unavailable' ? probe.outcomes['cpu-native'] : undefined;

const backends: readonly { readonly id: ConformanceBackend; readonly skip: string | undefined }[] = [
  { id: 'reference', skip: undefined },
  {
    id: 'cpu-native',
    skip: nativeMissing !== undefined && !process.env['CI'] ? `cpu-native cannot run here: ${nativeMissing.message}` : undefined,
  },
];

describe('the corpus', () => {
  it('holds the 1,072 tests of onnx 1.12.0, each with a model and outputs to compare', async () => {
    expect(tests).toHaveLength(1072);
    const sample = await readBackendTest(tests[0]!);
    expect(sample.outputs.length).toBeGreaterThan(0);
  });
});

for (const backend of backends) {
  describe.skipIf(backend.skip !== undefined)(`${backend.id}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`, () => {
    for (const family of FAMILY_NAMES) {
      const inFamily = classified.filter((c) => c.family === family);
      if (inFamily.length === 0) continue;
      describe(family, () => {
        it.each(inFamily.map((c) => [`${c.test.suite}/${c.test.name}`, c] as const))('%s', async (_id, { test, scope }) => {
          const report = await runBackendTest(test, [backend.id]);
          const outcome = report.outcomes[backend.id]!;
          const detail = 'message' in outcome ? outcome.message : '';
          if (scope !== undefined) {
            // Out of scope: a typed error or a result, never an untyped crash.
            expect(outcome.kind, detail).not.toBe('error');
            return;
          }
          const gap = KNOWN_GAPS[test.name];
          if (gap !== undefined) {
            expect(outcome.kind, `listed in KNOWN_GAPS (${gap.reason}); ${detail}`).toBe(gap.outcome);
            return;
          }
          if (outcome.kind !== 'pass') expect(outcome.kind, detail).toBe('unsupported');
        });
      });
    }
  });
}
