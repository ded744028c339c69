import { RlPolicy, createPolicy, type GainKind } from 'motiondelta';
import type { BlockSettings } from './block-figures.js';
import { RecordingPolicy } from './recording-policy.js';

/**
 * How the `rl` policy reads each catalog model's first output for its reward (see `GainKind`):
 * the selfie mask is a sigmoid map, posenet's first output its keypoint heatmaps, ppocr-det a text
 * probability map and esrgan an image; anything else (a model given by path) the generic change.
 */
const GAIN_BY_MODEL: Readonly<Record<string, GainKind>> = {
  selfie: 'sigmoid',
  posenet: 'heatmap',
  'ppocr-det': 'regression',
  'esrgan-x2': 'regression',
};

/**
 * The policy of a `run --mode block`: made by name as `motiondelta` does, its forward pass (rl) on
 * the run's backends, wrapped to record each frame's block grid for the report.
 *
 * @example
 * ```ts
 * const policy = policyForRun({ policy: 'rl', targetRate: 0.4, blockSize: 128, seed: 1 }, 'selfie', ['cpu-native', 'reference']);
 * ```
 */
export function policyForRun(settings: BlockSettings, catalogId: string | undefined, backend: readonly string[]): RecordingPolicy {
  const gain = (catalogId !== undefined ? GAIN_BY_MODEL[catalogId] : undefined) ?? 'generic';
  return new RecordingPolicy(
    createPolicy(settings.policy, {
      targetRate: settings.targetRate,
      seed: settings.seed,
      gain,
      rl: { backend },
    }),
  );
}

/** Where the rl policy's forward pass ran, once it has run; undefined for other policies. */
export async function policyBackendOf(policy: RecordingPolicy): Promise<string | undefined> {
  return policy.inner instanceof RlPolicy ? policy.inner.forwardBackend() : undefined;
}
