import { MODEL_INPUTS, ensureData, modelInputMapping, type ModelId } from '@motiondelta/data';
import { checkProfile, loadModel, type Model } from '@motiondelta/graph-runtime';
import { registerShippedBackends } from 'motiondelta';
import { probeVideo, type VideoInfo } from '@motiondelta/video-io';
import type { BenchClip, ModelsBenchOptions } from './bench-options.js';
import type { ModelBenchRow, ModelsBenchReport } from './bench-report.js';
import { openDenseEngines } from './dense-engines.js';
import { machineInfo } from './machine-info.js';
import { MODEL_BENCH_DEFAULTS, benchInputSize, hasFixedSize } from './model-defaults.js';
import { loadModelProfile, withProfile } from './model-profile.js';
import { measureModelRow, type ProgressLog, type RowPlan } from './measure-model-row.js';
import { buildSessionOptions, type OurSessionConfig } from './session-options.js';

interface OpenedClip {
  readonly id: BenchClip;
  readonly path: string;
  readonly info: VideoInfo;
}

/** Every mode x backend of the run, as our session configurations. */
export function sessionConfigs(
  options: Pick<ModelsBenchOptions, 'modes' | 'backends' | 'threshold' | 'inputThreshold'>,
): OurSessionConfig[] {
  return options.modes.flatMap((mode) =>
    options.backends.map((backend) => ({
      mode,
      backend,
      ...(options.threshold !== undefined && { threshold: options.threshold }),
      ...(options.inputThreshold !== undefined && { inputThreshold: options.inputThreshold }),
    })),
  );
}

/**
 * Creates (and drops) one session per mode x backend before anything is timed, so an option the
 * runtime refuses (a mode it does not have yet, an unknown backend) fails in seconds with the
 * runtime's own message instead of after minutes of other rows.
 */
export async function preflightSessions(model: Model, configs: readonly OurSessionConfig[]): Promise<void> {
  for (const config of configs) {
    const session = await model.createSession(buildSessionOptions(config));
    session.dispose();
  }
}

/**
 * Runs the `models` suite: per model x clip x mode x backend, our session against the dense
 * engines a user would pick instead, on the same frames, interleaved, in this one process.
 *
 * @example
 * ```ts
 * const report = await runModelsBench(parseModelsBenchOptions({ models: 'selfie', frames: '2' }, 2), 'pnpm bench models --models selfie --frames 2');
 * console.log(report.rows[0]?.engine.speedup);
 * ```
 */
export async function runModelsBench(
  options: ModelsBenchOptions,
  command: string,
  log: ProgressLog = () => {},
): Promise<ModelsBenchReport> {
  // Rows name backends by id (cpu-native by default): make the shipped ones selectable.
  registerShippedBackends();
  const date = new Date().toISOString();
  // Taken before anything runs, so the load average says how busy the machine was already.
  const machine = machineInfo();
  const configs = sessionConfigs(options);
  const clips: OpenedClip[] = [];
  for (const id of options.clips) {
    const path = (await ensureData(id)).main;
    clips.push({ id, path, info: await probeVideo(path) });
  }
  const rows: ModelBenchRow[] = [];
  let preflighted = false;
  for (const id of options.models) {
    const modelPath = (await ensureData(id)).main;
    const model = await loadModel(modelPath);
    if (!preflighted) {
      await preflightSessions(model, configs);
      preflighted = true;
    }
    if (options.size && hasFixedSize(id)) log(`${id} takes one input size only; --size does not apply to it.`);
    // Loaded before the engines open, so a missing profile fails before anything is timed.
    const profile = options.profiles === undefined ? undefined : await loadModelProfile(options.profiles, id);
    if (profile)
      log(`${id}: delta thresholds from ${profile.path} (threshold ${profile.profile.threshold}, input ${profile.profile.inputThreshold})`);
    if (profile) {
      // A profile calibrated for another model, size or input mapping is refused before anything is timed.
      for (const clip of clips) {
        const [h, w] = benchInputSize(id, [clip.info.height, clip.info.width], options.size);
        await checkProfile(profile.profile, model, {
          inputShapes: { [model.inputs[0]!.name]: [1, h, w, 3] },
          preprocessing: { ...modelInputMapping(id) },
          where: profile.path,
        });
      }
    }
    const modelConfigs = profile ? configs.map((c) => withProfile(c, profile)) : configs;
    const spec = MODEL_INPUTS[id];
    const engines = await openDenseEngines(spec, modelPath, { threads: options.threads, tfjsCpu: options.tfjsCpu });
    try {
      for (const clip of clips) {
        for (const session of modelConfigs) {
          rows.push(await measureModelRow(model, engines, rowPlan(id, clip, session, options), log));
        }
      }
    } finally {
      await Promise.all(engines.map((e) => e.dispose()));
    }
  }
  return { suite: 'models', date, machine, command, rows };
}

function rowPlan(id: ModelId, clip: OpenedClip, session: OurSessionConfig, options: ModelsBenchOptions): RowPlan {
  const defaults = MODEL_BENCH_DEFAULTS[id];
  return {
    spec: MODEL_INPUTS[id],
    clip: clip.id,
    clipPath: clip.path,
    clipInfo: clip.info,
    size: benchInputSize(id, [clip.info.height, clip.info.width], options.size),
    start: options.start,
    warmup: options.warmup ?? defaults.warmup,
    frames: options.frames ?? defaults.frames,
    iterations: options.iterations,
    threads: options.threads,
    session,
  };
}
