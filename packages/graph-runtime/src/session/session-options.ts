import type { Backend, BlockPolicy } from '@motiondelta/core';
import type { RefreshOptions } from '../delta/input-refresh.js';
import type { ReanchorOptions } from '../motion/reanchor-options.js';

/**
 * Execution modes: `dense` computes every frame in full; `delta` propagates only what changed
 * since the previous frame (DeltaCNN); `motion` does the same for a moving camera, each frame
 * given with its homography to a world frame (MotionDeltaCNN); `block` recomputes only the blocks
 * of the frame a policy chooses and keeps last frame's features elsewhere (BlockCopy).
 */
export type SessionMode = 'dense' | 'delta' | 'motion' | 'block';

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
   * Block mode (required): decides per block of the frame whether to recompute it or keep last
   * frame's features there. Policies by name ('rl', 'threshold', ...) come from the `motiondelta`
   * package, which resolves them to objects.
   */
  readonly policy?: BlockPolicy;
  /** Block mode: side of a block in input pixels (default 128); the last row and column may be partial. */
  readonly blockSize?: number;
  /** Block mode: the execution rate the policy aims at, in [0, 1]; reported in each frame's statistics. */
  readonly targetRate?: number;
  /**
   * Block mode: a frame whose mean absolute change from the previous one is over this fraction of
   * the previous frame's mean magnitude is a scene cut and recomputes every block (default 0.4;
   * `Infinity` turns detection off). Delta mode: the same test makes the frame a keyframe (reason
   * `scene-cut`); motion mode measures the change after alignment. In delta and motion modes the
   * default is `Infinity` (off; `createVideoSession` uses 0.4).
   */
  readonly sceneCut?: number;
  /**
   * Delta mode: bounded staleness of the input. An input pixel whose change stays below
   * `inputThreshold` is otherwise never sent, and such residue everywhere makes the error climb
   * for hundreds of frames before it settles; with `refresh`, each frame sends one band of rows
   * (1/`maxAge` of the frame) wherever it holds residue, so none waits more than `maxAge` frames.
   * `stats().frames[i].refreshedPixels` counts the pixels sent only for that. Off by default.
   *
   * @example
   * ```ts
   * const session = await model.createSession({ mode: 'delta', threshold: 0.05, refresh: { maxAge: 16 } });
   * ```
   */
  readonly refresh?: RefreshOptions;
  /**
   * Delta mode: run a keyframe (reason `interval`) every this many frames, whatever else happens:
   * the bluntest bound on accumulated truncation error, at a dense frame's cost each time. Off by
   * default; an integer >= 1.
   */
  readonly keyframeInterval?: number;
  /**
   * Motion mode: `'homography'` (default) resamples each frame through its homography onto the
   * viewport grid; `'whole-pixel'` only moves it by the nearest whole-pixel translation, so the
   * rest of the motion becomes ordinary deltas and outputs carry no interpolation error.
   */
  readonly warp?: 'homography' | 'whole-pixel';
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
   * The layout `run()` takes and returns. `'model'` (the default) is the layout the model file
   * declares: an ONNX model's images and feature maps (the values marked `transposedFrom: 'nchw'`)
   * are taken and given NCHW, as onnxruntime does, at the cost of one transposition each way per
   * frame; a TF.js model's are NHWC either way. `'nhwc'` takes and gives every image channels
   * last, MotionDelta's own layout, with no transposition (what `frameToTensor` gives by default).
   * A tensor in the other layout is refused with a ShapeError naming the expected shape and this
   * option, never transposed silently.
   *
   * @example
   * ```ts
   * const onnx = await loadModel('ppocr-det.onnx');
   * const a = await onnx.createSession(); // run({ x: { data, shape: [1, 3, 640, 640] } }): NCHW in and out
   * const b = await onnx.createSession({ layout: 'nhwc' }); // run({ x: { data, shape: [1, 640, 640, 3] } })
   * ```
   */
  readonly layout?: 'nhwc' | 'model';
}
