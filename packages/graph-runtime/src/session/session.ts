import type { Tensor, TensorMap } from '@motiondelta/core';
import type { SkippedBackend } from './backend-registry.js';
import type { SessionStats, UpdateMask } from './session-stats.js';

/** How a session's backend was chosen. */
export interface SessionBackendInfo {
  readonly id: string;
  readonly skipped: readonly SkippedBackend[];
}

/**
 * A model running on a stream of frames. Created by `model.createSession()`; every mode
 * (`dense`, `delta`, `motion`) has the same surface (`motion` adds a per-frame homography).
 */
export interface Session {
  readonly mode: 'dense' | 'delta' | 'motion';
  readonly backendInfo: SessionBackendInfo;
  /**
   * Runs one frame: NHWC float32 inputs by name in, NHWC outputs by name out (dense values, in
   * every mode). Invalid inputs throw before any state changes, so the session stays usable.
   */
  run(inputs: Readonly<Record<string, Tensor>>): Promise<TensorMap>;
  /** Per-frame and per-node statistics since creation or the last reset. */
  stats(): SessionStats;
  /** Which output pixels of each node the last frame updated. */
  updateMasks(): UpdateMask[];
  /** Forgets all per-stream state: the next frame is treated as the first. */
  reset(): void;
  /** Releases the backend's resources. */
  dispose(): void;
}
