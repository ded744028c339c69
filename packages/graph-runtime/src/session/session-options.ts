import type { Backend } from '@motiondelta/core';
import type { ReanchorOptions } from '../motion/reanchor-options.js';

/**
 * Execution modes: `dense` computes every frame in full; `delta` propagates only what changed
 * since the previous frame (DeltaCNN); `motion` does the same for a moving camera, each frame
 * given with its homography to a world frame (MotionDeltaCNN). `block` arrives with its own work.
 */
export type SessionMode = 'dense' | 'delta' | 'motion';

/** Options of {@link Model.createSession}. */
export interface SessionOptions {
  /** Defaults to `dense`. */
  readonly mode?: SessionMode;
  /**
   * Backends in order of preference, by registered id or as instances. The first one that
   * initialises and can run the mode wins; the others are reported in
   * `session.backendInfo.skipped` with the reason. Defaults to every backend registered with a
   * default priority, highest first (`defaultBackends()`): with the `motiondelta` package,
   * `cpu-native` where its addon loads, then `reference`.
   */
  readonly backend?: string | Backend | readonly (string | Backend)[];
  /**
   * Delta and motion modes: the default truncation threshold of non-linear nodes (and of dense islands'
   * outputs). A node emits a pixel only where max over channels |new - last emitted| exceeds it;
   * the rest is kept and emitted once it adds up. 0 (the default) makes delta equal dense.
   */
  readonly threshold?: number;
  /** Delta mode: the input's threshold (max over channels |x - x_ref|); defaults to `threshold`. */
  readonly inputThreshold?: number;
  /** Delta mode: thresholds for single nodes (or graph inputs), by their stable names. */
  readonly nodeThresholds?: Readonly<Record<string, number>>;
  /** Motion mode: when to give up the world frame and take a dense keyframe. */
  readonly reanchor?: ReanchorOptions;
  /**
   * Motion mode, in pixels: a frame's pose within this distance (at every frame corner) of the
   * previous frame's pose reuses it, and one within it of a whole-pixel translation becomes that
   * translation, so that homography jitter on a still camera does not resample (and so update)
   * the whole frame. Default 0.1 (about the homography package's accuracy); 0 uses every pose
   * exactly as given. Outputs are exact for the pose used (`frameGeometry` reports it).
   */
  readonly alignTolerance?: number;
  /**
   * Most bytes the session may allocate for one input shape: intermediate tensors of a dense
   * frame, or a delta or motion keyframe's values plus the state kept between frames. Checked
   * against an estimate from the plan when a new input shape arrives, before anything is
   * allocated; over it, `run()` throws ResourceLimitError naming the largest buffer, and the
   * session stays usable for smaller frames. Your own input frames are not counted. Default 8 GiB
   * (`DEFAULT_MEMORY_LIMIT`); `Infinity` turns the check off, except that no single buffer may
   * exceed 2^32 values (what a typed array holds). Estimates follow the session's own buffers
   * (within 3% of what it allocates on the catalogue models); a backend's packed weights, which do
   * not depend on the input size, are not counted.
   *
   * @example
   * ```ts
   * const session = await model.createSession({ mode: 'delta', memoryLimit: 512 * 2 ** 20 });
   * await session.run({ x: hugeFrame }); // ResourceLimitError: ... over the limit of 512.0 MiB: the largest buffer is ...
   * ```
   */
  readonly memoryLimit?: number;
  /**
   * The layout `run()` takes and returns: `'nhwc'` (default), MotionDelta's own, or `'model'`, the
   * layout the model file declares: then the inputs and outputs marked `transposedFrom: 'nchw'`
   * (an ONNX model's images and feature maps) are taken and given NCHW, as onnxruntime does, at
   * the cost of one transposition each way per frame.
   */
  readonly layout?: 'nhwc' | 'model';
}
