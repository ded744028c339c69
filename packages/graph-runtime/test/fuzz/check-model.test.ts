import { describe, expect, it } from 'vitest';
import { createRng, ModelFormatError } from '@motiondelta/core';
import { makeNode, type Graph } from '../../src/ir/graph.js';
import { Model } from '../../src/model.js';
import { checkCase, FuzzFailure, type FuzzCase } from './check-model.js';
import { runFuzz } from './run-fuzz.js';

// The fuzz targets pass only if this harness fails when it should: these cases sabotage it.

/** x + c, with `c` holding `value` everywhere. */
function addConstant(value: number): Model {
  const graph: Graph = {
    source: { format: 'onnx', location: '<sabotage>' },
    inputs: [{ name: 'x', shape: [1, null, null, 2], dtype: 'float32' }],
    outputs: [{ name: 'y', shape: [1, null, null, 2], dtype: 'float32' }],
    nodes: [makeNode('add', 'Add', {}, ['x', 'c'], ['y'])],
    constants: new Map([['c', { data: new Float32Array(2).fill(value), shape: [2] }]]),
    intConstants: new Map(),
  };
  return new Model(graph, false);
}

function fuzzCase(load: () => Promise<Model>, touchesValues = false): FuzzCase {
  return { description: 'sabotage', touchesValues, unknownDim: 4, load };
}

describe('the fuzz harness', () => {
  const rng = () => createRng(1);
  const budget = () => ({ largeRuns: 0 });

  it('fails a case whose load throws an untyped error', async () => {
    const run = checkCase(
      fuzzCase(() => Promise.reject(new TypeError('Cannot read properties of undefined'))),
      rng(),
      budget(),
    );
    await expect(run).rejects.toThrow(FuzzFailure);
    await expect(run).rejects.toThrow(/loadModel threw an untyped error.*TypeError/s);
  });

  it('counts a typed refusal as one', async () => {
    await expect(
      checkCase(
        fuzzCase(() => Promise.reject(new ModelFormatError('broken'))),
        rng(),
        budget(),
      ),
    ).resolves.toBe('refused at load');
  });

  it('runs a model that loads, and fails NaN outputs when no mutation changed numbers', async () => {
    await expect(
      checkCase(
        fuzzCase(async () => addConstant(1)),
        rng(),
        budget(),
      ),
    ).resolves.toBe('ran');
    await expect(
      checkCase(
        fuzzCase(async () => addConstant(Number.NaN)),
        rng(),
        budget(),
      ),
    ).rejects.toThrow(/holds NaN/);
    await expect(
      checkCase(
        fuzzCase(async () => addConstant(Number.NaN), true),
        rng(),
        budget(),
      ),
    ).resolves.toBe('non-finite (values mutated)');
  });

  it('names the seed, the case and how to replay it when a case fails', async () => {
    const settings = { seed: 77, cases: 3, only: undefined, trace: false };
    const run = runFuzz('sabotage', settings, budget(), (_, index) =>
      fuzzCase(() =>
        index === 2 ? Promise.reject(new RangeError('Invalid typed array length')) : Promise.reject(new ModelFormatError('x')),
      ),
    );
    await expect(run).rejects.toThrow(
      /sabotage fuzz case 2 \(seed 77; replay with MOTIONDELTA_FUZZ_SEED=77 MOTIONDELTA_FUZZ_ONLY=2\).*RangeError/s,
    );
  });
});
