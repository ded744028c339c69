// Measures block mode on cpu-native against dense mode, in one process, steady state: per model,
// dense, block mode with every block executed, and block mode with seeded random blocks at a rate,
// each with its programs compiled natively and (for comparison) run step by step on the host.
// Not a test: timings depend on the machine. Run from this package's folder after building:
//   node scripts/measure-block-mode.mjs [model[@size] ...]   (default: posenet@257 selfie)
// `@size` opens a fully convolutional model's input to size x size; without it a model runs at the
// size its file fixes. Environment: THREADS (2), BLOCK (64), RATE (0.4), FRAMES (40), WARMUP (10).
import { createRng, randomFloat32, uniform } from '@motiondelta/core';
import { ensureData } from '@motiondelta/data';
import { Model, loadModel } from '@motiondelta/graph-runtime';
import { createCpuNativeBackend } from '@motiondelta/sparse-kernels-cpu';

const env = (name, fallback) => Number(process.env[name] ?? fallback);
const threads = env('THREADS', 2);
const blockSize = env('BLOCK', 64);
const rate = env('RATE', 0.4);
const count = env('FRAMES', 40);
const warmup = env('WARMUP', 10);
const models = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['posenet@257', 'selfie'];

/** Each block executed with probability `rate` (seeded), so every run sees the same masks. */
function randomPolicy(seed) {
  const rng = createRng(seed);
  return {
    name: 'random',
    decide: ({ grid }) => ({ execute: Uint8Array.from({ length: grid.rows * grid.cols }, () => (uniform(rng, 0, 1) < rate ? 1 : 0)) }),
  };
}
const allPolicy = { name: 'all', decide: ({ grid }) => ({ execute: new Uint8Array(grid.rows * grid.cols).fill(1) }) };

/** The model (`name` or `name@size`) and the frame size to run: `size` opens its input, else the file's own size. */
async function open(spec) {
  const [name, opened] = spec.split('@');
  const model = await loadModel((await ensureData(name)).main);
  const [, h, w, c = 3] = model.graph.inputs[0].shape;
  if (opened === undefined) return { name, model, h, w, c };
  const size = Number(opened);
  return {
    name,
    model: new Model({ ...model.graph, inputs: model.graph.inputs.map((i) => ({ ...i, shape: [1, null, null, c] })) }),
    h: size,
    w: size,
    c,
  };
}

/**
 * Median wall milliseconds per frame of each session (and its mean executed fraction) over
 * `count` frames after `warmup`. The sessions take turns frame by frame, so that a change in the
 * machine's load during the run affects them alike.
 */
async function measure(sessions, input, frames) {
  const ms = sessions.map(() => []);
  for (let i = 0; i < warmup + count; i++) {
    for (const [k, session] of sessions.entries()) {
      const t0 = performance.now();
      await session.run({ [input]: frames[i % frames.length] });
      if (i >= warmup) ms[k].push(performance.now() - t0);
    }
  }
  return sessions.map((session, k) => {
    const sorted = ms[k].sort((a, b) => a - b);
    const fractions = session
      .stats()
      .frames.slice(-count)
      .map((f) => f.executedFraction)
      .filter((f) => f !== undefined);
    const executed = fractions.length > 0 ? fractions.reduce((a, b) => a + b, 0) / fractions.length : 1;
    return { ms: sorted[Math.floor(sorted.length / 2)], executed, programs: session.backendInfo.programs };
  });
}

for (const spec of models) {
  const { name, model, h, w, c } = await open(spec);
  const input = model.inputs[0].name;
  const rng = createRng(1);
  const frames = Array.from({ length: 8 }, () => ({ data: randomFloat32(rng, h * w * c, 0, 1), shape: [1, h, w, c] }));
  const rows = [];
  for (const programs of ['native', 'host']) {
    const backend = () => createCpuNativeBackend({ threads, programs });
    const dense = await model.createSession({ mode: 'dense', backend: [await backend()], layout: 'nhwc' });
    const block = async (policy) =>
      model.createSession({ mode: 'block', backend: [await backend()], policy, blockSize, sceneCut: Infinity, layout: 'nhwc' });
    const labels = ['dense', 'block, all blocks', `block, random ${rate}`];
    const measured = await measure([dense, await block(allPolicy), await block(randomPolicy(7))], input, frames);
    const results = Object.fromEntries(labels.map((label, k) => [label, measured[k]]));
    const base = results.dense.ms;
    for (const [label, r] of Object.entries(results)) {
      rows.push(
        `${name} ${h}x${w} | ${programs} programs | ${label} | ${r.ms.toFixed(1)} ms | executed ${r.executed.toFixed(2)} | ${(base / r.ms).toFixed(2)}x dense | route ${JSON.stringify(r.programs)}`,
      );
    }
  }
  process.stdout.write(`${rows.join('\n')}\n`);
}
process.stdout.write(`threads ${threads}, blocks of ${blockSize} px, ${warmup} warm-up frames, median of ${count}\n`);
