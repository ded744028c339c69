import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { MotionDeltaError, createRng } from '@motiondelta/core';
import { chooseBackend } from '@motiondelta/graph-runtime';
// Importing the package registers the backends it ships (cpu-native) with the runtime.
import { setCpuNativeThreads } from 'motiondelta';
import { parseInteger, parseList } from '../models/bench-options.js';
import { machineInfo } from '../models/machine-info.js';
import { kernelCostTable } from './kernel-cost-table.js';
import { layerCases } from './layer-cases.js';
import { measureKernelCost } from './measure-kernel-cost.js';

/** Input active fractions of the cost curve: 0.1% to 100%. */
const DEFAULT_FRACTIONS = '0.001,0.003,0.01,0.03,0.1,0.2,0.3,0.5,0.7,1';

interface RawKernelsOptions {
  readonly backend: string;
  readonly threads: string;
  readonly repetitions: string;
  readonly fractions: string;
  readonly seed: string;
  readonly json?: string;
}

/**
 * Adds `kernels` to the bench program: the cost of a delta convolution against the active
 * fraction of its input, next to the same backend's dense convolution, for a 3x3 layer and a
 * depthwise layer. Shows where work stops following the active pixels (the dense fallback).
 *
 * @example
 * ```ts
 * registerKernelsCommand(program);
 * await program.parseAsync(['node', 'bench', 'kernels', '--backend', 'cpu-native', '--threads', '2']);
 * ```
 */
export function registerKernelsCommand(program: Command): void {
  program
    .command('kernels')
    .description("Delta Conv2D cost against input active fraction (0.1% to 100%), against the same backend's dense Conv2D.")
    .option('--backend <id>', 'backend id (cpu-native, reference)', 'cpu-native')
    .option('--threads <n>', 'threads for cpu-native', String(availableParallelism()))
    .option('--repetitions <n>', 'timed repetitions per point (median kept)', '7')
    .option('--fractions <list>', 'comma-separated input active fractions', DEFAULT_FRACTIONS)
    .option('--seed <n>', 'seed of weights, inputs and active blobs', '1')
    .option('--json <file>', 'write the results as JSON')
    .action(async (raw: RawKernelsOptions, command: Command) => {
      try {
        const threads = parseInteger('threads', raw.threads, 1);
        const repetitions = parseInteger('repetitions', raw.repetitions, 1);
        const seed = parseInteger('seed', raw.seed, 0);
        const fractions = parseList('fractions', raw.fractions).map((f) => {
          const n = Number(f);
          if (!(n > 0 && n <= 1)) throw new RangeError(`--fractions: each value must be in (0, 1], got '${f}'`);
          return n;
        });
        setCpuNativeThreads(threads);
        const machine = machineInfo();
        // A benchmark names its backend: no fallback, and a missing one fails with its reason.
        const { backend } = await chooseBackend([raw.backend]);
        const results = [];
        try {
          for (const layer of layerCases(createRng(seed))) {
            process.stderr.write(`measuring ${layer.id} on ${backend.id} ...\n`);
            const points = await measureKernelCost(backend, layer, { fractions, repetitions, seed });
            results.push({ layer: { id: layer.id, description: layer.description, denseMacs: layer.denseMacs }, points });
            process.stdout.write(`${kernelCostTable(layer, points)}\n`);
          }
        } finally {
          backend.dispose?.();
        }
        if (raw.json) {
          const command = ['pnpm bench', ...process.argv.slice(2)].join(' ');
          await writeFile(
            raw.json,
            `${JSON.stringify({ suite: 'kernels', date: new Date().toISOString(), machine, command, backend: backend.id, threads, results }, null, 2)}\n`,
          );
          process.stderr.write(`Results written to ${raw.json}\n`);
        }
      } catch (error) {
        if (MotionDeltaError.isInstance(error) || error instanceof RangeError)
          command.error(`${(error as Error).name}: ${(error as Error).message}`, { exitCode: 2 });
        throw error;
      }
    });
}
