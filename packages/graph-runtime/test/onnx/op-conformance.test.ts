import { describe, it } from 'vitest';
import { createRng } from '@motiondelta/core';
import type { ConformanceCase } from './cases/case-helpers.js';
import { activationCases } from './cases/activation-cases.js';
import { binaryCases } from './cases/binary-cases.js';
import { convCases } from './cases/conv-cases.js';
import { layoutCases } from './cases/layout-cases.js';
import { poolCases } from './cases/pool-norm-cases.js';
import { resizeCases } from './cases/resize-cases.js';
import { structureCases } from './cases/structure-cases.js';
import { tensorOpCases } from './cases/tensor-op-cases.js';
import { expectMatchesOnnxRuntime } from './helpers/compare.js';

/**
 * Per-op conformance of the ONNX importer plus the reference backend against onnxruntime-node:
 * each case is a one-op (or few-op) model built in memory with shapes and attributes drawn from
 * a seeded RNG; every output must agree to a relative L2 error of 1e-4.
 */
const groups: Record<string, readonly ConformanceCase[]> = {
  convolution: convCases,
  'pooling and normalisation': poolCases,
  activations: activationCases,
  'broadcasting binary ops': binaryCases,
  'tensor ops': tensorOpCases,
  resize: resizeCases,
  'layout transposes': layoutCases,
  'structural ops': structureCases,
};

/** FNV-1a of the case name: each case has its own stable seed, independent of the others. */
function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

for (const [group, cases] of Object.entries(groups)) {
  describe(`ONNX conformance: ${group}`, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const built = c.build(createRng(seedOf(c.name)));
      await expectMatchesOnnxRuntime(built.model, built.feeds, built.plainOutputs ? { plainOutputs: built.plainOutputs } : {});
    });
  });
}
