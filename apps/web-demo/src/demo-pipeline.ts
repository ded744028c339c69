import { createPolicy, loadModel, type Model, type Session, type SessionOptions, type UpdateMask } from 'motiondelta';
import type { DemoModel } from './demo-models.js';
import type { GrabbedFrame } from './frame-grabber.js';
import { relativeL2 } from './relative-l2.js';

/** The modes the demo offers: motion mode needs a per-frame homography, which the demo does not estimate. */
export const DEMO_MODES = ['dense', 'delta', 'block'] as const;
export type DemoMode = (typeof DEMO_MODES)[number];

/** What the demo runs: a model at a size, in a mode, on a backend preference. */
export interface PipelineOptions {
  readonly model: DemoModel;
  readonly size: readonly [number, number];
  readonly mode: DemoMode;
  /** Backend preference, first available wins; the demo asks for `['webgpu', 'reference']`. */
  readonly backend: readonly string[];
  /** Delta: the change below which a value is not propagated. */
  readonly threshold: number;
  /** Also run both on the `reference` backend and report how far the outputs are from it. */
  readonly verify: boolean;
}

/** One frame's results, dense and in the chosen mode. */
export interface FrameResult {
  readonly dense: Float32Array;
  readonly sparse: Float32Array;
  /** [1, H, W, C] of both outputs. */
  readonly shape: readonly number[];
  /** Multiply-accumulates the mode did, as a fraction of dense inference's. */
  readonly macFraction: number;
  readonly keyframe: boolean;
  readonly masks: readonly UpdateMask[];
  /** Relative L2 of the mode's output from dense's (what skipping small changes costs). */
  readonly modeVsDense: number;
  /** With `verify`: relative L2 of each output from the `reference` backend's on the same frame. */
  readonly denseVsReference?: number;
  readonly modeVsReference?: number;
}

/** Session options of a mode; block mode gets a threshold policy aiming at half the blocks. */
function modeOptions(options: PipelineOptions, backend: readonly string[]): SessionOptions {
  const common = { backend, layout: 'nhwc' as const };
  switch (options.mode) {
    case 'dense':
      return { ...common, mode: 'dense' };
    case 'delta':
      return { ...common, mode: 'delta', threshold: options.threshold };
    case 'block': {
      // Blocks of a quarter of the frame's shorter side, so that tiny frames still have several.
      const blockSize = Math.max(4, Math.floor(Math.min(...options.size) / 4));
      return { ...common, mode: 'block', blockSize, targetRate: 0.5, policy: createPolicy('threshold', { targetRate: 0.5 }) };
    }
  }
}

function firstOutput(outputs: Record<string, { data: Float32Array; shape: readonly number[] }>): {
  data: Float32Array;
  shape: readonly number[];
} {
  return Object.values(outputs)[0]!;
}

/**
 * A model running densely and in a mode on the same frames, side by side (and, to check the
 * backend, both again on `reference`).
 *
 * @example
 * ```ts
 * const pipeline = await DemoPipeline.create({ model: DEMO_MODELS[0]!, size: [24, 32], mode: 'delta', backend: ['webgpu', 'reference'], threshold: 0.01, verify: true });
 * const result = await pipeline.run(grabber.grab(video));
 * console.log(pipeline.backends, result.macFraction, result.modeVsReference);
 * ```
 */
export class DemoPipeline {
  private constructor(
    private readonly input: string,
    private readonly dense: Session,
    private readonly sparse: Session,
    private readonly reference: { readonly dense: Session; readonly sparse: Session } | undefined,
  ) {}

  static async create(options: PipelineOptions): Promise<DemoPipeline> {
    const model: Model = await loadModel(options.model.url);
    const input = model.inputs[0]!.name;
    const dense = await model.createSession({ mode: 'dense', backend: options.backend, layout: 'nhwc' });
    const sparse = await model.createSession(modeOptions(options, options.backend));
    const reference = options.verify
      ? {
          dense: await model.createSession({ mode: 'dense', backend: ['reference'], layout: 'nhwc' }),
          sparse: await model.createSession(modeOptions(options, ['reference'])),
        }
      : undefined;
    return new DemoPipeline(input, dense, sparse, reference);
  }

  /** The backend each session runs on, and why others were passed over. */
  get backends(): { readonly dense: string; readonly mode: string; readonly skipped: readonly string[] } {
    const skipped = [...this.dense.backendInfo.skipped, ...this.sparse.backendInfo.skipped].map((s) => `${s.id}: ${s.reason}`);
    return { dense: this.dense.backendInfo.id, mode: this.sparse.backendInfo.id, skipped: [...new Set(skipped)] };
  }

  async run(frame: GrabbedFrame): Promise<FrameResult> {
    const inputs = { [this.input]: frame.tensor };
    // Sessions copy their inputs before run() resolves, so one tensor serves all of them.
    const dense = firstOutput(await this.dense.run(inputs));
    const sparse = firstOutput(await this.sparse.run(inputs));
    const last = this.sparse.stats().frames.at(-1)!;
    let checks = {};
    if (this.reference !== undefined) {
      const referenceDense = firstOutput(await this.reference.dense.run(inputs));
      const referenceSparse = firstOutput(await this.reference.sparse.run(inputs));
      checks = {
        denseVsReference: relativeL2(dense.data, referenceDense.data),
        modeVsReference: relativeL2(sparse.data, referenceSparse.data),
      };
    }
    return {
      dense: dense.data,
      sparse: sparse.data,
      shape: dense.shape,
      macFraction: last.denseMacs > 0 ? last.macs / last.denseMacs : 1,
      keyframe: last.keyframe,
      masks: this.sparse.updateMasks(),
      modeVsDense: relativeL2(sparse.data, dense.data),
      ...checks,
    };
  }

  dispose(): void {
    for (const session of [this.dense, this.sparse, this.reference?.dense, this.reference?.sparse]) session?.dispose();
  }
}
