import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chance, fuzzSettings, pick } from './fuzz-settings.js';
import type { Rng } from '@motiondelta/core';
import { loadModel } from '../../src/node.js';
import { tempFolder } from '../load/helpers/tiny-models.js';
import type { FuzzCase } from './check-model.js';
import { formatCounts, runFuzz } from './run-fuzz.js';
import { tfjsBases, type TfjsBase } from './tfjs-bases.js';
import { modelJsonBytes, mutateTfjs } from './tfjs-mutations.js';

/**
 * Structure-aware fuzzing of the TF.js importers: each case mutates a copy of a real model
 * (PoseNet, the selfie segmenter, ESRGAN) or a small generated Keras model: manifest shapes,
 * dtypes, quantization, weight names and shard paths, shard bytes and lengths, graph nodes (ops,
 * inputs, attributes), layer configs, classes and connections, anywhere in the topology, and now
 * and then the JSON text itself. loadModel must resolve or throw a MotionDeltaError, and a model
 * that loads must run densely with finite outputs or a typed error (see check-model.ts).
 *
 * Most cases hand the shards through readWeightFile; one in eight writes the model to a folder
 * and loads it by path, so the file checks (containment, regular files, sizes) are fuzzed too.
 */
const settings = fuzzSettings(300);

describe('TF.js model fuzzing', () => {
  let bases: TfjsBase[];
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ bases } = await tfjsBases());
    ({ dir, cleanup } = await tempFolder('tfjs-fuzz'));
    // What an escaping shard path could reach if containment failed: readable, plausible bytes.
    await writeFile(join(dir, 'secret.bin'), new Uint8Array(4096).fill(0x3f));
  });
  afterAll(() => cleanup?.());

  it(`loads or refuses ${settings.cases} mutated models with typed errors, and runs those that load`, async () => {
    // Selfie's input is fixed at 256x256 (a second per run): two runs per test run.
    const budget = { largeRuns: 2 };
    const makeCase = (rng: Rng, index: number): FuzzCase => {
      const base = pick(rng, bases);
      const { model, mutations } = mutateTfjs(base, rng);
      const text = modelJsonBytes(model.json, rng);
      if (text.mutation !== undefined) mutations.push(text.mutation);
      const fromFolder = chance(rng, 1 / 8);
      const description = `${base.name} with ${mutations.map((m) => m.name).join('; ')}${fromFolder ? ' (from a folder)' : ''}`;
      const load = async () => {
        if (!fromFolder) {
          return loadModel(text.bytes, {
            readWeightFile: async (p) => {
              const bytes = model.files.get(p);
              if (bytes === undefined) throw new Error(`ENOENT: no shard '${p}'`);
              return bytes;
            },
          });
        }
        const folder = join(dir, `case-${index}`, 'model');
        await mkdir(folder, { recursive: true });
        await writeFile(join(folder, 'model.json'), text.bytes);
        for (const [p, bytes] of model.files) await writeFile(join(folder, p), bytes);
        return loadModel(join(folder, 'model.json'));
      };
      return { description, touchesValues: mutations.some((m) => m.values), unknownDim: base.unknownDim, load };
    };
    const counts = await runFuzz('TF.js', settings, budget, makeCase);
    console.log(`TF.js fuzz (seed ${settings.seed}): ${formatCounts(counts)}`);
    if (settings.only === undefined && settings.cases >= 100) expect(counts.get('ran') ?? 0).toBeGreaterThan(settings.cases / 10);
  }, 900_000);
});
