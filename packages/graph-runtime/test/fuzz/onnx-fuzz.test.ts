import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, type Rng } from '@motiondelta/core';
import { ensureData } from '@motiondelta/data';
import type { ModelProto } from 'onnx-buf';
import { loadModel } from '../../src/node.js';
import type { ConformanceCase } from '../onnx/cases/case-helpers.js';
import { activationCases } from '../onnx/cases/activation-cases.js';
import { binaryCases } from '../onnx/cases/binary-cases.js';
import { convCases } from '../onnx/cases/conv-cases.js';
import { layoutCases } from '../onnx/cases/layout-cases.js';
import { poolCases } from '../onnx/cases/pool-norm-cases.js';
import { resizeCases } from '../onnx/cases/resize-cases.js';
import { tensorOpCases } from '../onnx/cases/tensor-op-cases.js';
import type { FuzzCase } from './check-model.js';
import { fuzzSettings, pick } from './fuzz-settings.js';
import { decodeBase, mutateOnnx } from './onnx-mutations.js';
import { formatCounts, runFuzz } from './run-fuzz.js';

/**
 * Structure-aware fuzzing of the ONNX importer: each case decodes a real or small model with
 * onnx-buf, mutates what the importer reads (dims, data types, raw_data lengths, attributes,
 * node inputs and outputs, op types, declared shapes, opset), re-encodes it, sometimes damages the
 * bytes too, and checks that loadModel resolves or throws a MotionDeltaError and that a model that
 * loads runs densely with finite outputs or a typed error (see check-model.ts).
 *
 * Bases: the one-op models of the ONNX conformance cases (every supported op, small inputs) and
 * one in ten cases the real PP-OCR detector (whose loads and runs are the slow part).
 */
const settings = fuzzSettings(300);

interface Base {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly proto: ModelProto;
  readonly unknownDim: number;
}

const CONFORMANCE: readonly ConformanceCase[] = [
  ...convCases,
  ...poolCases,
  ...activationCases,
  ...binaryCases,
  ...tensorOpCases,
  ...resizeCases,
  ...layoutCases,
];

describe('ONNX model fuzzing', () => {
  let small: Base[];
  let ppocr: Base;
  beforeAll(async () => {
    small = CONFORMANCE.map((c, i) => {
      const bytes = c.build(createRng(1000 + i)).model;
      return { name: c.name, bytes, proto: decodeBase(bytes), unknownDim: 8 };
    });
    const bytes = new Uint8Array(await readFile((await ensureData('ppocr-det')).main));
    ppocr = { name: 'ppocr-det', bytes, proto: decodeBase(bytes), unknownDim: 32 };
  });

  it(`loads or refuses ${settings.cases} mutated models with typed errors, and runs those that load`, async () => {
    const budget = { largeRuns: 4 };
    const makeCase = (rng: Rng, index: number): FuzzCase => {
      const base = index % 10 === 0 ? ppocr : pick(rng, small);
      const { bytes, mutations } = mutateOnnx(base.proto, base.bytes, rng);
      return {
        description: `${base.name} with ${mutations.map((m) => m.name).join('; ')}`,
        touchesValues: mutations.some((m) => m.values),
        unknownDim: base.unknownDim,
        load: () => loadModel(bytes),
      };
    };
    const counts = await runFuzz('ONNX', settings, budget, makeCase);
    console.log(`ONNX fuzz (seed ${settings.seed}): ${formatCounts(counts)}`);
    // The mutations must leave enough models loadable for the run path to be exercised.
    if (settings.only === undefined && settings.cases >= 100) expect(counts.get('ran') ?? 0).toBeGreaterThan(settings.cases / 10);
  }, 900_000);
});
