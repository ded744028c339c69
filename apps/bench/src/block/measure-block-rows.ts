import type { Tensor, TensorMap } from '@motiondelta/core';
import { MODEL_INPUTS, ensureData, modelInputSize } from '@motiondelta/data';
import { probeVideo } from '@motiondelta/video-io';
import { createPolicy, type BlockFrameStats, type Model, type Session } from 'motiondelta';
import { streamModelFrames } from '../models/model-frame-stream.js';
import { frameError } from '../models/output-error.js';
import type { BenchPolicy, BlockBenchOptions, BlockClip, BlockModel } from './block-options.js';

/** One session of a row: block with a policy, delta at a threshold, or dense (the reference). */
export type BlockBenchRun =
  | { readonly mode: 'dense' }
  | { readonly mode: 'block'; readonly policy: BenchPolicy }
  | { readonly mode: 'delta'; readonly threshold: number };

/** What one session did over a clip, against dense on the same frames in the same run. */
export interface BlockBenchRow {
  readonly model: BlockModel;
  readonly clip: BlockClip;
  readonly size: readonly [number, number];
  readonly backend: string;
  readonly run: BlockBenchRun;
  /** Mean ms per frame after the first frame and the warm-up frames (policy time included). */
  readonly steadyMs: number;
  /** Mean ms of the warm-up frames (after the keyframe), and the keyframe's. */
  readonly warmupMs: number;
  readonly keyframeMs: number;
  /** Dense steady ms over this row's steady ms (same frames, same run). */
  readonly speedVsDense: number;
  /** MACs done over dense MACs on the steady frames. */
  readonly macsRatio: number;
  /** Block mode: executed fraction on the steady frames, and over the last 100 frames (first left out). */
  readonly executedRate?: number;
  readonly lastRate?: number;
  /** Block mode: mean ms per steady frame in the policy. */
  readonly policyMs?: number;
  /** PSNR against dense of the mean squared error over steady frames (null: exact), and the worst frame's. */
  readonly psnrDb: number | null;
  readonly worstPsnrDb: number | null;
}

/** Progress lines for stderr. */
export type ProgressLog = (line: string) => void;

/** rl's reward reads each model's first output as what it is. */
const GAIN = { selfie: 'sigmoid', posenet: 'heatmap', 'ppocr-det': 'regression' } as const;

const label = (run: BlockBenchRun): string =>
  run.mode === 'block' ? `block/${run.policy}` : run.mode === 'delta' ? `delta/t=${run.threshold}` : 'dense';

/** The PSNR of the mean of per-frame errors (each relative to its frame's peak): few exact frames cannot hide bad ones. */
function meanErrorPsnr(psnr: readonly (number | null)[]): number | null {
  if (psnr.length === 0) return null;
  const mse = psnr.reduce((a: number, p) => a + (p === null ? 0 : 10 ** (-p / 10)), 0) / psnr.length;
  return mse === 0 ? null : -10 * Math.log10(mse);
}

/**
 * Runs one model on one clip: dense, block mode with each policy at the target rate, and delta at
 * each threshold, on the same frames, interleaved frame by frame (the order rotating) so that load
 * on the machine falls on every session alike. Frames are decoded once, before any timing.
 *
 * @example
 * ```ts
 * const rows = await measureBlockRows(model, 'selfie', 'vtest', parseBlockBenchOptions({ frames: '8' }, 2));
 * ```
 */
export async function measureBlockRows(
  model: Model,
  id: BlockModel,
  clip: BlockClip,
  options: BlockBenchOptions,
  log: ProgressLog = () => {},
): Promise<BlockBenchRow[]> {
  const spec = MODEL_INPUTS[id];
  const size = modelInputSize(id, [options.size, options.size]);
  const clipPath = (await ensureData(clip)).main;
  const info = await probeVideo(clipPath);
  const frames: Tensor[] = [];
  for await (const t of streamModelFrames(spec, { clipPath, info, start: options.start, count: options.frames, size })) frames.push(t);
  const input = model.inputs[0]!.name;
  const outputs = model.outputs.map((o) => o.name);
  // Delta thresholds are given in 0..255 pixel units: scaled into the model's input values.
  const unit = spec.scale / (spec.std?.[0] ?? 1);
  const runs: BlockBenchRun[] = [
    { mode: 'dense' },
    ...options.policies.map((policy) => ({ mode: 'block' as const, policy })),
    ...options.thresholds.map((threshold) => ({ mode: 'delta' as const, threshold })),
  ];
  const sessions: Session[] = [];
  for (const run of runs) {
    const common = { backend: [options.backend], layout: 'nhwc' as const };
    if (run.mode === 'dense') sessions.push(await model.createSession({ mode: 'dense', ...common }));
    else if (run.mode === 'delta') sessions.push(await model.createSession({ mode: 'delta', threshold: run.threshold * unit, ...common }));
    else {
      const policy = createPolicy(run.policy, {
        targetRate: options.target,
        seed: options.seed,
        gain: GAIN[id],
        rl: { backend: [options.backend], architecture: { pixelsPerBlock: options.policyPixels } },
      });
      sessions.push(
        await model.createSession({ mode: 'block', policy, targetRate: options.target, blockSize: options.blockSize, ...common }),
      );
    }
  }
  const psnr: (number | null)[][] = runs.map(() => []);
  try {
    for (let f = 0; f < frames.length; f++) {
      const results: TensorMap[] = new Array(runs.length);
      for (let k = 0; k < runs.length; k++) {
        const i = (f + k) % runs.length;
        results[i] = await sessions[i]!.run({ [input]: frames[f]! });
      }
      for (let i = 1; i < runs.length; i++) psnr[i]!.push(frameError(outputs, results[i]!, results[0]!).psnrDb);
      if ((f + 1) % 10 === 0 || f + 1 === frames.length) log(`${id} on ${clip}: frame ${f + 1}/${frames.length}`);
    }
    const steadyFrom = 1 + options.warmup;
    const mean = (xs: readonly number[]): number => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    const statsOf = (i: number) => sessions[i]!.stats().frames;
    const denseSteady = mean(
      statsOf(0)
        .slice(steadyFrom)
        .map((s) => s.ms),
    );
    return runs.map((run, i) => {
      const stats = statsOf(i);
      const steady = stats.slice(steadyFrom);
      const steadyMs = mean(steady.map((s) => s.ms));
      const macs = steady.reduce((a, s) => a + s.macs, 0);
      const denseMacs = steady.reduce((a, s) => a + s.denseMacs, 0);
      const block = run.mode === 'block' ? (stats as readonly BlockFrameStats[]) : undefined;
      const rate = (list: readonly BlockFrameStats[]): number =>
        list.reduce((a, s) => a + s.executedBlocks, 0) /
        Math.max(
          1,
          list.reduce((a, s) => a + s.totalBlocks, 0),
        );
      const errors = psnr[i]!.slice(steadyFrom);
      const finite = errors.filter((p): p is number => p !== null);
      return {
        model: id,
        clip,
        size,
        backend: sessions[i]!.backendInfo.id,
        run,
        steadyMs,
        warmupMs: mean(stats.slice(1, steadyFrom).map((s) => s.ms)),
        keyframeMs: stats[0]?.ms ?? 0,
        speedVsDense: steadyMs > 0 ? denseSteady / steadyMs : 0,
        macsRatio: denseMacs > 0 ? macs / denseMacs : 1,
        ...(block && {
          executedRate: rate(block.slice(steadyFrom)),
          lastRate: rate(block.slice(Math.max(1, block.length - 100))),
          policyMs: mean(block.slice(steadyFrom).map((s) => s.policyMs)),
        }),
        psnrDb: i === 0 ? null : meanErrorPsnr(errors),
        worstPsnrDb: finite.length > 0 ? Math.min(...finite) : null,
      } satisfies BlockBenchRow;
    });
  } finally {
    for (const s of sessions) s.dispose();
  }
}

export { label as runLabel };
