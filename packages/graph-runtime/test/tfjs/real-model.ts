import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRng, randomFloat32, sizeOf } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { ensureData } from '@motiondelta/data';
import { createTfjsRunner } from '@motiondelta/reference-engines';
import { runGraphDense } from '../../src/executor/run-graph-dense.js';
import { importTfjs } from '../../src/import/tfjs/index.js';
import type { Graph } from '../../src/ir/graph.js';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { relativeL2 } from '../helpers/relative-l2.js';

/** Imports one of the catalogued real models (fetched and checksummed by @motiondelta/data). */
export async function importRealModel(id: 'esrgan-x2' | 'posenet' | 'selfie'): Promise<{ graph: Graph; path: string }> {
  const { main: path } = await ensureData(id);
  const json: unknown = JSON.parse(await readFile(path, 'utf8'));
  const graph = await importTfjs(json, (p) => readFile(join(dirname(path), p)), path);
  return { graph, path };
}

export interface Comparison {
  readonly name: string;
  readonly oursShape: readonly number[];
  readonly tfjsShape: readonly number[];
  readonly relativeL2: number;
}

/**
 * Runs the imported graph densely on the reference backend and the same file on tfjs-backend-cpu
 * with one seeded random input in [lo, hi), and compares every output.
 */
export async function compareWithTfjs(
  id: 'esrgan-x2' | 'posenet' | 'selfie',
  shape: readonly number[],
  lo: number,
  hi: number,
  seed: number,
): Promise<{ graph: Graph; comparisons: Comparison[] }> {
  const { graph, path } = await importRealModel(id);
  const input = graph.inputs[0]!;
  const x: Tensor = { data: randomFloat32(createRng(seed), sizeOf(shape), lo, hi), shape };
  const ours = await runGraphDense(graph, { [input.name]: x }, new ReferenceBackend());
  const runner = await createTfjsRunner(path);
  try {
    const theirs = await runner.run({ [input.name]: x });
    const comparisons = runner.outputNames.map((name) => {
      const mine = ours[name];
      const ref = theirs[name]!;
      if (mine === undefined) throw new Error(`our graph has no output '${name}'; it has ${Object.keys(ours).join(', ')}`);
      return { name, oursShape: mine.shape, tfjsShape: ref.shape, relativeL2: relativeL2(mine.data, ref.data) };
    });
    return { graph, comparisons };
  } finally {
    runner.dispose();
  }
}
