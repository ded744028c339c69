import type { TensorMap } from '@motiondelta/core';
import type { InputTensor } from '../ir/graph.js';
import type { ProgramRoute } from '../program/compile-program.js';
import type { SkippedBackend } from './backend-registry.js';
import type { SessionMode } from './session-options.js';
import type { SessionStats, UpdateMask } from './session-stats.js';

/** How a session's backend was chosen. */
export interface SessionBackendInfo {
  readonly id: string;
  readonly skipped: readonly SkippedBackend[];
  /**
   * How the session's last compiled program runs (a program is compiled per input shape, at its
   * first frame; absent before that, and in motion sessions, which do not run programs yet):
   * `'native'` when the backend's own program compiler runs it (cpu-native: one native call per
   * frame on storage the addon owns), or `{ host: reason }` when it runs on the host, step by
   * step through the backend's kernels, with the reason (no compiler, a step kind the compiler
   * lacks, or a step it declined).
   *
   * @example
   * ```ts
   * await session.run(frame);
   * console.log(session.backendInfo.programs); // 'native', or { host: "node 'bn' (BatchNorm) ..." }
   * ```
   */
  readonly programs?: ProgramRoute;
}

/**
 * A model running on a stream of frames. Created by `model.createSession()`; every mode
 * (`dense`, `delta`, `motion`) has the same surface (`motion` adds a per-frame homography).
 */
export interface Session {
  readonly mode: SessionMode;
  readonly backendInfo: SessionBackendInfo;
  /**
   * Runs one frame: float32 inputs by name in, outputs by name out (dense values, in every mode,
   * in arrays of their own), images in the session's `layout`: by default the model's own (NCHW
   * for an ONNX model's images and feature maps, NHWC for TF.js), NHWC with `layout: 'nhwc'`.
   * Frames run one at a time, in call order.
   *
   * The inputs are validated and copied into session-owned storage before `run()` returns, so the
   * caller may reuse, change or transfer its buffers at once (no kernel ever reads them). Bad
   * arguments reject the returned promise before any state changes, and the session stays
   * usable: InputError (`inputs` not an object, a tensor not an object, data not a Float32Array,
   * NaN or infinite values), ShapeError (an unknown or missing input, a shape that is not an array
   * of integers in [0, 2^31), one the model does not take, data of the wrong length); a frame too
   * large for `memoryLimit` rejects with ResourceLimitError before anything of its size is
   * allocated. After `dispose()`, BackendUnavailableError.
   *
   * @example
   * ```ts
   * const frame = new Float32Array(1 * 32 * 32 * 3);
   * const pending = session.run({ x: { data: frame, shape: [1, 32, 32, 3] } });
   * frame.fill(0); // safe: the session already holds its own copy
   * const { y } = await pending;
   * ```
   */
  run(inputs: Readonly<Record<string, InputTensor>>): Promise<TensorMap>;
  /** Per-frame and per-node statistics since creation or the last reset. */
  stats(): SessionStats;
  /** Which output pixels of each node the last frame updated. */
  updateMasks(): UpdateMask[];
  /**
   * Forgets all per-stream state and statistics, at once: the next frame is treated as the first.
   * Frames already submitted still answer their callers but leave nothing behind.
   */
  reset(): void;
  /**
   * Releases the backend's resources, once the frame in flight (if any) has settled; frames still
   * queued and later `run()` calls reject with BackendUnavailableError. Calling it again does nothing.
   */
  dispose(): void;
}
