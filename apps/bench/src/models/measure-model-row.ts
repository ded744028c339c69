import type { TensorMap } from '@motiondelta/core';
import type { ModelInputSpec } from '@motiondelta/data';
import { argmaxAgreement, type Model } from '@motiondelta/graph-runtime';
import type { VideoInfo } from '@motiondelta/video-io';
import type { BenchClip } from './bench-options.js';
import type { EngineTiming, ModelBenchRow } from './bench-report.js';
import type { DenseEngine } from './dense-engines.js';
import { streamModelFrames } from './model-frame-stream.js';
import { NO_ERROR, frameError, worseError, type ComparedTensor, type OutputError } from './output-error.js';
import { buildSessionOptions, type OurSessionConfig } from './session-options.js';
import { ratio, summarizeTimings } from './statistics.js';

/** Everything one row measures. */
export interface RowPlan {
  readonly spec: ModelInputSpec;
  readonly clip: BenchClip;
  readonly clipPath: string;
  readonly clipInfo: VideoInfo;
  /** Model input [height, width]. */
  readonly size: readonly [number, number];
  /** First clip frame fed (the first warm-up frame). */
  readonly start: number;
  readonly warmup: number;
  readonly frames: number;
  readonly iterations: number;
  /** Threads asked of the dense engines. */
  readonly threads: number;
  readonly session: OurSessionConfig;
}

/** One line of progress, for a terminal; never part of the results. */
export type ProgressLog = (line: string) => void;

/** Per-engine samples gathered while the frames stream past. */
interface EngineSamples {
  readonly engine: DenseEngine;
  readonly ms: number[];
}

/** Running totals of the timed frames of a row. */
interface RowAccumulator {
  readonly ourMs: number[];
  readonly engines: readonly EngineSamples[];
  macsDone: number;
  macsDense: number;
  error: OutputError;
  /** Spatial argmax matches of `session.argmaxOutput` against the baseline (posenet heatmaps). */
  argmaxAgree: number;
  argmaxTotal: number;
}

/**
 * Measures one model x clip x mode x backend row. Each frame runs through our session, then
 * through every dense engine, so ours and theirs alternate and machine noise lands on both
 * alike; each pass restarts our session (a keyframe) and replays the warm-up frames untimed.
 * Timings are wall-clock around each `run` call (input checks and output copies included, as a
 * user sees them); errors are against the first engine, the baseline.
 *
 * @example
 * ```ts
 * const row = await measureModelRow(model, engines, plan, (line) => process.stderr.write(`${line}\n`));
 * console.log(row.ours.fps, row.engine.fps, row.engine.speedup);
 * ```
 */
export async function measureModelRow(
  model: Model,
  engines: readonly DenseEngine[],
  plan: RowPlan,
  log: ProgressLog = () => {},
): Promise<ModelBenchRow> {
  const [baseline] = engines;
  if (!baseline) throw new RangeError('measureModelRow needs at least one dense engine (the baseline)');
  const session = await model.createSession(buildSessionOptions(plan.session));
  const inputName = model.inputs[0]!.name;
  const outputNames = model.outputs.map((o) => o.name);
  const acc: RowAccumulator = {
    ourMs: [],
    engines: engines.map((engine) => ({ engine, ms: [] })),
    macsDone: 0,
    macsDense: 0,
    error: NO_ERROR,
    argmaxAgree: 0,
    argmaxTotal: 0,
  };
  const argmaxOutput = plan.session.argmaxOutput;
  const label = `${plan.spec.id} ${plan.clip} ${plan.session.mode}/${session.backendInfo.id}`;
  let inputShape: readonly number[] = [];
  try {
    for (let pass = 0; pass < plan.iterations; pass++) {
      if (pass > 0) session.reset();
      const stream = streamModelFrames(plan.spec, {
        clipPath: plan.clipPath,
        info: plan.clipInfo,
        start: plan.start,
        count: plan.warmup + plan.frames,
        size: plan.size,
      });
      let k = 0;
      for await (const input of stream) {
        inputShape = input.shape;
        const timed = k >= plan.warmup;
        const t0 = performance.now();
        const ours: TensorMap = await session.run({ [inputName]: input });
        const ourMs = performance.now() - t0;
        let dense: Record<string, ComparedTensor> | undefined;
        const engineMs: number[] = [];
        for (const samples of acc.engines) {
          const t1 = performance.now();
          const out = await samples.engine.run({ [samples.engine.inputNames[0]!]: input });
          engineMs.push(performance.now() - t1);
          dense ??= out;
        }
        if (timed) {
          acc.ourMs.push(ourMs);
          acc.engines.forEach((s, i) => s.ms.push(engineMs[i]!));
          const frame = session.stats().frames.at(-1);
          acc.macsDone += frame?.macs ?? 0;
          acc.macsDense += frame?.denseMacs ?? 0;
          acc.error = worseError(acc.error, frameError(outputNames, ours, dense!));
          if (argmaxOutput !== undefined) {
            const count = argmaxAgreement(ours[argmaxOutput]!, dense![argmaxOutput]!);
            acc.argmaxAgree += count.agree;
            acc.argmaxTotal += count.total;
          }
        }
        const times = acc.engines.map((s, i) => `${s.engine.kind} ${engineMs[i]!.toFixed(1)} ms`).join(', ');
        log(
          `[${label}] pass ${pass + 1}/${plan.iterations} frame ${k + 1}/${plan.warmup + plan.frames}${timed ? '' : ' (warm-up)'}: ours ${ourMs.toFixed(1)} ms, ${times}`,
        );
        k++;
      }
    }
  } finally {
    session.dispose();
  }
  const ours = summarizeTimings(acc.ourMs);
  const timings: EngineTiming[] = acc.engines.map(({ engine, ms }) => {
    const summary = summarizeTimings(ms);
    return {
      kind: engine.kind,
      name: engine.name,
      threads: engine.threads,
      ...(engine.note !== undefined && { note: engine.note }),
      ...summary,
      speedup: ours.fps / summary.fps,
    };
  });
  const timedCount = acc.ourMs.length;
  return {
    model: plan.spec.id,
    task: plan.spec.task,
    format: plan.spec.format,
    clip: plan.clip,
    inputShape,
    mode: plan.session.mode,
    backend: session.backendInfo.id,
    startFrame: plan.start,
    ...(plan.session.profile !== undefined && { profile: plan.session.profile }),
    ...(plan.session.mode === 'delta' && plan.session.threshold !== undefined && { threshold: plan.session.threshold }),
    ...(plan.session.mode === 'delta' && plan.session.inputThreshold !== undefined && { inputThreshold: plan.session.inputThreshold }),
    ...(argmaxOutput !== undefined && { argmax: { output: argmaxOutput, agreement: acc.argmaxAgree / Math.max(acc.argmaxTotal, 1) } }),
    warmupFrames: plan.warmup,
    timedFrames: plan.frames,
    iterations: plan.iterations,
    threads: plan.threads,
    ours,
    engine: timings[0]!,
    otherEngines: timings.slice(1),
    macs: { done: acc.macsDone / timedCount, dense: acc.macsDense / timedCount, ratio: ratio(acc.macsDone, acc.macsDense) },
    error: acc.error,
  };
}
