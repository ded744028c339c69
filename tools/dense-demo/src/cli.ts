#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { MODEL_IDS, modelInputSize, type ModelId } from '@motiondelta/data';
import Table from 'cli-table3';
import { compareModel, type ModelComparison } from './compare-model.js';

/**
 * Default input sizes on vtest (768x576). The pure-TypeScript reference backend is the test
 * oracle, not the fast path, so the sizes keep the whole demo to a minute or two on 2 cores:
 * ppocr-det gets the frame at half size, esrgan-x2 a quarter-size frame (it upsamples x2 and is
 * the heaviest per pixel).
 */
const DEFAULT_SIZES: Record<ModelId, readonly [number, number]> = {
  'esrgan-x2': [144, 192],
  posenet: [385, 385],
  selfie: [256, 256],
  'ppocr-det': [288, 384],
};

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '3' },
    clip: { type: 'string', default: 'vtest' },
    start: { type: 'string', default: '100' },
    models: { type: 'string', default: MODEL_IDS.join(',') },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    'Usage: pnpm demo [--frames N] [--start N] [--clip vtest|cube] [--models esrgan-x2,posenet,selfie,ppocr-det] [--json]\n' +
      'Runs every real model densely on real frames with MotionDelta and with its own engine, and compares them.\n',
  );
  process.exit(0);
}

function fail(message: string): never {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(2);
}

const frames = Number(values.frames);
const start = Number(values.start);
if (!Number.isInteger(frames) || frames < 1) fail(`--frames must be a positive integer, got '${values.frames}'.`);
if (!Number.isInteger(start) || start < 0) fail(`--start must be a non-negative integer, got '${values.start}'.`);
if (values.clip !== 'vtest' && values.clip !== 'cube') fail(`--clip must be vtest or cube, got '${values.clip}'.`);
const models = values.models.split(',').map((m) => m.trim());
for (const m of models) if (!MODEL_IDS.includes(m as ModelId)) fail(`unknown model '${m}'; known: ${MODEL_IDS.join(', ')}.`);

const rows: ModelComparison[] = [];
for (const id of models as ModelId[]) {
  const size = modelInputSize(id, DEFAULT_SIZES[id]);
  if (!values.json) process.stdout.write(`running ${id} on ${frames} ${values.clip} frame(s) at ${size.join('x')} ...\n`);
  rows.push(await compareModel(id, { clip: values.clip, start, count: frames, size }));
}

if (values.json) {
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
} else {
  const table = new Table({
    head: ['model', 'input (NHWC)', 'GMACs', 'reference engine', 'engine ms', 'MotionDelta ms', 'max abs error', 'rel L2 error'],
  });
  for (const r of rows) {
    table.push([
      r.model,
      r.inputShape.join('x'),
      (r.macs / 1e9).toFixed(2),
      r.engine,
      r.engineMs.toFixed(1),
      `${r.ourMs.toFixed(1)} (${r.backend})`,
      r.maxAbsError.toExponential(2),
      r.maxRelL2.toExponential(2),
    ]);
  }
  process.stdout.write(
    `\nDense inference on ${values.clip} frames ${start}..${start + frames - 1}, mean per frame over frames 2..${frames}:\n`,
  );
  process.stdout.write(`${table.toString()}\n`);
  const fallbacks = [...new Set(rows.flatMap((r) => r.skipped))];
  for (const line of fallbacks) process.stdout.write(`Backend passed over: ${line}\n`);
}
