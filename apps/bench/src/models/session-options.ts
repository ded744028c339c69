import type { SessionOptions } from '@motiondelta/graph-runtime';
import type { BenchMode } from './bench-options.js';

/** What a benchmark row asks of our session. */
export interface OurSessionConfig {
  readonly mode: BenchMode;
  /** One backend id: a benchmark row names the backend it measures, so no fallback list. */
  readonly backend: string;
  /** Delta rows only: the default threshold (the runtime's default when absent). */
  readonly threshold?: number;
  /** Delta rows only: the input's threshold (the runtime's default when absent). */
  readonly inputThreshold?: number;
  /** Delta rows only: per-node thresholds (from a calibrated profile). */
  readonly nodeThresholds?: Readonly<Record<string, number>>;
  /** The profile file the thresholds came from (reported, not passed to the runtime). */
  readonly profile?: string;
  /** Report the spatial argmax agreement of this output with the baseline (posenet heatmaps). */
  readonly argmaxOutput?: string;
}

/**
 * The options our session is created with: the one place that knows how a benchmark row maps
 * onto the runtime's session options. Rows feed NHWC frames (`frameToTensor`) and compare with
 * NHWC baselines, ONNX models included, so the layout is `'nhwc'` rather than the model's own.
 *
 * @example
 * ```ts
 * const session = await model.createSession(buildSessionOptions({ mode: 'dense', backend: 'reference' }));
 * ```
 */
export function buildSessionOptions(config: OurSessionConfig): SessionOptions {
  return {
    mode: config.mode,
    backend: [config.backend],
    layout: 'nhwc',
    ...(config.mode === 'delta' && config.threshold !== undefined && { threshold: config.threshold }),
    ...(config.mode === 'delta' && config.inputThreshold !== undefined && { inputThreshold: config.inputThreshold }),
    ...(config.mode === 'delta' &&
      config.nodeThresholds !== undefined &&
      Object.keys(config.nodeThresholds).length > 0 && { nodeThresholds: config.nodeThresholds }),
  };
}
