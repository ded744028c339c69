import { OptionError, type TensorMap } from '@motiondelta/core';
import {
  Model,
  checkProfile,
  loadModel,
  loadProfile,
  outputsOnFrame,
  profileOptions,
  type FrameStats,
  type ModelSource,
  type MotionSession,
  type Session,
  type SessionOptions,
  type ThresholdProfile,
} from '@motiondelta/graph-runtime';
import { frameToTensor, prepareVideoSource, type FrameToTensorOptions, type RawFrameStream, type RgbImage } from '@motiondelta/video-io';
import { Readable } from 'node:stream';
import { createFrameAlignment, type AlignSpec, type AlignStep, type FrameAlignment, type InputGeometry } from './frame-alignment.js';
import { centredCrop, streamVideoFrames } from './video-frames.js';
import { resolveSessionOptions, type MotionDeltaSessionOptions } from '../block-session-options.js';

/** Options of {@link createVideoSession}. */
export interface VideoSessionOptions extends FrameToTensorOptionsWithoutLayout {
  /** The model: a path, a `file:` URL, its bytes, or a model already loaded. */
  readonly model: ModelSource | Model;
  /** `dense` (default), `delta`, `motion` or `block`. */
  readonly mode?: 'dense' | 'delta' | 'motion' | 'block';
  /** Block mode (required): the policy, by name or as an object, and its rate, seed, options and block size (see `createSession`). */
  readonly policy?: MotionDeltaSessionOptions['policy'];
  readonly targetRate?: number;
  readonly seed?: number;
  readonly policyOptions?: MotionDeltaSessionOptions['policyOptions'];
  readonly blockSize?: number;
  /** Delta and motion modes' thresholds (see `createSession`); or give `profile`. */
  readonly threshold?: number;
  readonly inputThreshold?: number;
  readonly nodeThresholds?: Readonly<Record<string, number>>;
  /**
   * A calibrated threshold profile, or its file path: its thresholds are used, and it is checked
   * against the model, the input size and this byte mapping at the first frame (`checkProfile`),
   * or earlier with {@link VideoSession.checkProfile}. A profile already loaded can come with the
   * name its mismatch messages give (`{ profile, where: 'selfie.thresholds.json' }`); a bare one
   * is named by its model.
   */
  readonly profile?: ThresholdProfile | string | { readonly profile: ThresholdProfile; readonly where: string };
  /** Backends in order of preference (default: the shipped ones, fastest first). */
  readonly backend?: SessionOptions['backend'];
  /** Bytes the session may allocate (default 8 GiB). */
  readonly memoryLimit?: number;
  /** The model input frames go to; default the model's only input. */
  readonly input?: string;
  /** Motion mode: each frame's homography to the world (default `'estimate'`). */
  readonly alignment?: AlignSpec;
  /**
   * Motion mode, frames given to `push` or as an iterable: where they lie in the video they were
   * decoded from (the centred crop, and the size it was resized to, as `streamVideoFrames` does),
   * so that `{ homographies }` given in the video's pixels are moved onto the frames' grid.
   * Default: each frame is the whole video picture. `process(path)` works this out itself.
   */
  readonly geometry?: InputGeometry;
  /** Motion mode: when to re-anchor, and the tolerance of the viewport's sub-pixel move (see `createSession`). */
  readonly reanchor?: SessionOptions['reanchor'];
  readonly alignTolerance?: number;
  /**
   * Motion mode: how frames are brought onto the viewport grid (see `createSession`). Default
   * `'whole-pixel'` here, unlike a bare session's `'homography'` (see {@link VIDEO_DEFAULTS}).
   */
  readonly warp?: SessionOptions['warp'];
  /** Delta and motion modes: the scene-cut bound (see `createSession`); default 0.4 here, `Infinity` turns it off. */
  readonly sceneCut?: number;
}

/**
 * The byte-to-value mapping of `frameToTensor`. Frames are always fed NHWC, and outputs come
 * back NHWC, for ONNX models too (whose plain sessions take and give NCHW by default).
 */
type FrameToTensorOptionsWithoutLayout = Omit<FrameToTensorOptions, 'layout'>;

/**
 * That mapping with its defaults filled in, as profiles record it (a type alias, not an
 * interface, so that it is also a `ProfilePreprocessing` record).
 */
type FrameMapping = {
  readonly scale: number;
  readonly offset: number;
  readonly mean?: readonly [number, number, number];
  readonly std?: readonly [number, number, number];
  readonly channelOrder?: 'bgr';
};

/**
 * What `createVideoSession` turns on for real footage that a bare `createSession` leaves off (it
 * computes exactly what it is given): motion frames moved by whole pixels, never resampled (on the
 * cube clip with esrgan-x2 at threshold 0, `'homography'` gave 26.5 dB at worst against dense, the
 * floor of bilinear resampling through an SR network, and `'whole-pixel'` exact outputs at the same
 * MACs); scene cuts (delta and motion) as keyframes at once; motion frames whose aligned residual
 * is over 0.25 re-anchored (motion the homography explains leaves 0.04 to 0.19 there).
 *
 * @example
 * ```ts
 * // The bare-session behaviour instead: resample through the homography, no scene cuts or residual re-anchors.
 * const video = await createVideoSession({
 *   model: 'esrgan-x2.json', mode: 'motion', warp: 'homography', sceneCut: Infinity,
 *   reanchor: { maxResidual: Infinity },
 * });
 * console.log(VIDEO_DEFAULTS.warp); // 'whole-pixel'
 * ```
 */
export const VIDEO_DEFAULTS = { warp: 'whole-pixel', sceneCut: 0.4, maxResidual: 0.25 } as const;

/** What one frame gave. */
export interface VideoFrameResult {
  /** The frame's position: its index in the file for `process(path)`, else the count of frames pushed before it. */
  readonly index: number;
  /**
   * The outputs, on the frame's own grid in every mode, NHWC (`[1, H, W, C]`, channels last, like
   * the frames) whatever the model's format: an ONNX model's NCHW feature maps come back
   * channels last here (the video session runs its session with `layout: 'nhwc'`). Motion outputs
   * are resampled from the viewport onto the frame (`outputsOnFrame`), so they line up with the
   * frame like dense ones.
   */
  readonly outputs: TensorMap;
  /** The session's statistics of this frame (time, MACs, keyframe and why; motion: offset, coverage). */
  readonly stats: FrameStats;
  /** Motion mode: the frame's homography and how it was obtained. */
  readonly alignment?: AlignStep;
  /** Motion mode: milliseconds spent obtaining the homography (not part of `stats.ms`). */
  readonly alignMs?: number;
  /**
   * Motion mode: the outputs as the session gave them, on the viewport grid, before they were
   * resampled onto the frame; with `session.frameGeometry` for measurements in the viewport's
   * own terms (e.g. `compareMappedOutputs`, which leaves out what the frame does not show).
   */
  readonly viewportOutputs?: TensorMap;
}

/** Options of {@link VideoSession.process}. */
export interface ProcessOptions {
  /** First frame of a decoded source (index in the stream: frames before it are decoded and dropped). Default 0. */
  readonly start?: number;
  /**
   * Frames to run at most. Default: to the end of the source; a live stream or a camera, which
   * has no end, runs until you break out of the loop.
   */
  readonly frames?: number;
  /**
   * Model input [height, width] a decoded source's frames are brought to (a centred crop with the
   * input's aspect ratio, then a resize). Default: the model's fixed input size, else the video's size.
   */
  readonly size?: readonly [number, number];
  /** URL sources: seconds without data before the stream counts as failed (default 30). */
  readonly networkTimeoutSeconds?: number;
}

/**
 * Frames a video session can take. Decoded by ffmpeg (brought to the model's input size):
 * - a video file path;
 * - a URL ffmpeg reads, as a string or a `URL`: `http://`, `https://` (files, HLS), `rtsp://`,
 *   `rtsps://`, `rtmp://`, `rtmps://`, `srt://`, `udp://`; any other scheme (`file:`, `pipe:`,
 *   `concat:`, `data:`, ...) is refused with OptionError (a local file is given by its path;
 *   write `./rtsp:x.mp4` for a file whose name starts like a URL);
 * - `'-'` (this process's stdin) or a Node `Readable`: encoded video in a container ffmpeg reads
 *   from a pipe (AVI, MPEG-TS/PS, Matroska/WebM, fragmented MP4; not an MP4 whose index is at its end);
 * - `{ stream: '-' | Readable, format: 'rgb24', width, height, fps? }`: raw rgb24 frames, HWC,
 *   back to back with no header;
 * - a V4L2 camera, `/dev/video0` (opened with ffmpeg's `-f v4l2`).
 *
 * Or frames you decode yourself: any iterable or async iterable of RGB images, run as given.
 */
export type VideoSource = string | URL | Readable | RawFrameStream | AsyncIterable<RgbImage> | Iterable<RgbImage>;

/** Whether `source` is something ffmpeg decodes (rather than frames given one by one). */
function isDecodedSource(source: VideoSource): source is string | URL | Readable | RawFrameStream {
  return (
    typeof source === 'string' ||
    source instanceof URL ||
    source instanceof Readable ||
    (typeof source === 'object' && source !== null && 'stream' in source && 'format' in source)
  );
}

/** A profile to apply, with where it came from (for messages). */
interface ResolvedProfile {
  readonly profile: ThresholdProfile;
  readonly where: string;
}

/**
 * A model running over a stream of frames in one mode: RGB frames in, outputs on the frame grid
 * out, with motion alignment built in. Made by {@link createVideoSession}.
 */
export class VideoSession {
  readonly #model: Model;
  readonly #session: Session;
  readonly #options: VideoSessionOptions;
  readonly #inputName: string;
  readonly #profile: ResolvedProfile | undefined;
  /** The input shape the profile was last checked against (`1xHxWx3`), if any. */
  #profileCheckedFor: string | undefined;
  #alignment: FrameAlignment | undefined;
  #pushed = 0;

  /** @internal use {@link createVideoSession} */
  constructor(model: Model, session: Session, options: VideoSessionOptions, inputName: string, profile: ResolvedProfile | undefined) {
    this.#model = model;
    this.#session = session;
    this.#options = options;
    this.#inputName = inputName;
    this.#profile = profile;
  }

  /** The model the session runs. */
  get model(): Model {
    return this.#model;
  }

  /** The underlying session (statistics, update masks, backend). */
  get session(): Session {
    return this.#session;
  }

  /**
   * Runs one frame (RGB bytes, HWC) at the size the model takes it. In motion mode its homography
   * comes from `alignment`, in this frame's pixels.
   *
   * @throws OptionError for a frame whose bytes do not match its size; ProfileMismatchError at the
   *   first frame when the profile was calibrated for another model, size or mapping; what
   *   `session.run` throws
   */
  async push(frame: RgbImage): Promise<VideoFrameResult> {
    this.#alignment ??= this.#createAlignment(
      this.#options.geometry ?? { crop: { x: 0, y: 0, width: frame.width, height: frame.height }, size: [frame.height, frame.width] },
    );
    return this.#run(frame, 'index' in frame && typeof frame.index === 'number' ? frame.index : this.#pushed);
  }

  /**
   * Runs every frame of a source, in order, yielding each frame's result as it is done: a file, a
   * URL, stdin or a stream, raw frames, a camera (decoded by ffmpeg and brought to the model's
   * input size, see {@link VideoSource}), or frames you decode yourself. A source that does not
   * state its length (a live stream, a pipe) runs to its end, or to `frames`. Breaking out of the
   * loop stops decoding: ffmpeg is killed and waited for; a stream you passed is unpiped, not closed.
   *
   * @throws OptionError for a source of no accepted kind (a `file:` URL, ...) or bad options;
   *   VideoError when the source cannot be read; what {@link VideoSession.push} throws
   *
   * @example
   * ```ts
   * for await (const { index, outputs, stats } of video.process('clip.mp4', { frames: 100 })) {
   *   console.log(index, stats.ms, Object.keys(outputs));
   * }
   * for await (const r of video.process('rtsp://192.168.1.20/stream1', { frames: 250 })) console.log(r.index);
   * for await (const r of video.process('-')) console.log(r.index); // ffmpeg -i cam.mkv -f matroska - | node app.js
   * ```
   */
  async *process(source: VideoSource, options: ProcessOptions = {}): AsyncGenerator<VideoFrameResult> {
    const start = options.start ?? 0;
    if (!Number.isSafeInteger(start) || start < 0) throw new OptionError(`process: start must be an integer >= 0, got ${start}.`);
    if (options.frames !== undefined && !(Number.isSafeInteger(options.frames) && options.frames >= 0)) {
      throw new OptionError(`process: frames must be an integer >= 0, got ${options.frames}.`);
    }
    if (!isDecodedSource(source)) {
      let n = 0;
      for await (const frame of source) {
        if (options.frames !== undefined && n++ >= options.frames) return;
        yield await this.push(frame);
      }
      return;
    }
    const prepared = await prepareVideoSource(source, {
      ...(options.networkTimeoutSeconds !== undefined && { networkTimeoutSeconds: options.networkTimeoutSeconds }),
    });
    const info = prepared.info;
    // Infinity when the source does not say (a live stream): then `frames`, or to its end.
    const count = Math.max(0, Math.min(options.frames ?? Number.POSITIVE_INFINITY, info.frameCount - start));
    if (count === 0) return;
    const size = options.size ?? this.#fixedSize() ?? [info.height, info.width];
    this.#alignment = this.#createAlignment({ crop: centredCrop(info, size), size });
    for await (const frame of streamVideoFrames(prepared, info, { start, count, size })) yield await this.#run(frame, frame.index);
  }

  /**
   * Checks the profile (if any) against the model, frames of `size` ([height, width]) and the byte
   * mapping now, rather than at the first frame: a caller that decodes, converts or warms up
   * before its first frame can refuse a profile made for something else before any of that. The
   * first frame is not checked again when it has this size.
   *
   * @throws ProfileMismatchError naming each difference
   *
   * @example
   * ```ts
   * await video.checkProfile([256, 256]);
   * ```
   */
  async checkProfile(size: readonly [number, number]): Promise<void> {
    if (!this.#profile) return;
    const shape = [1, size[0], size[1], 3];
    if (this.#profileCheckedFor === shape.join('x')) return;
    await checkProfile(this.#profile.profile, this.#model, {
      inputShapes: { [this.#inputName]: shape },
      preprocessing: this.#mapping(),
      where: this.#profile.where,
    });
    this.#profileCheckedFor = shape.join('x');
  }

  /** Forgets the stream: the next frame is a dense keyframe (motion mode: re-anchored there). */
  reset(): void {
    this.#session.reset();
    this.#alignment = undefined;
  }

  /** Releases the session's buffers; the session is unusable afterwards. */
  dispose(): void {
    this.#session.dispose();
  }

  #fixedSize(): [number, number] | undefined {
    const shape = this.#model.inputs.find((i) => i.name === this.#inputName)?.shape;
    const [h, w] = [shape?.[1], shape?.[2]];
    return typeof h === 'number' && typeof w === 'number' ? [h, w] : undefined;
  }

  #createAlignment(geometry: InputGeometry): FrameAlignment | undefined {
    return this.#options.mode === 'motion' ? createFrameAlignment(this.#options.alignment ?? 'estimate', geometry) : undefined;
  }

  /** The mapping as the CLI records it in profiles: scale and offset always, the rest when set. */
  #mapping(): FrameMapping {
    const { scale, offset, mean, std, channelOrder } = this.#options;
    return {
      scale: scale ?? 1,
      offset: offset ?? 0,
      ...(mean && { mean }),
      ...(std && { std }),
      ...(channelOrder === 'bgr' && { channelOrder }),
    };
  }

  async #run(frame: RgbImage, index: number): Promise<VideoFrameResult> {
    const input = frameToTensor(frame, this.#mapping());
    await this.checkProfile([frame.height, frame.width]);
    this.#pushed++;
    if (this.#options.mode !== 'motion') {
      const outputs = await this.#session.run({ [this.#inputName]: input });
      return { index, outputs, stats: this.#session.stats().frames.at(-1)! };
    }
    const motion = this.#session as MotionSession;
    const t0 = performance.now();
    const step = this.#alignment!.next(frame);
    const alignMs = performance.now() - t0;
    // The estimate's quality goes with the homography: a failed or poor one re-anchors (`alignment`).
    const quality =
      step.restart || step.source === 'failed'
        ? { failed: true }
        : step.rms !== undefined || step.inliers !== undefined
          ? { ...(step.rms !== undefined && { rms: step.rms }), ...(step.inliers !== undefined && { inliers: step.inliers }) }
          : undefined;
    const outputs = await motion.run({ [this.#inputName]: input }, { homography: step.homography, ...(quality && { alignment: quality }) });
    return {
      index,
      outputs: outputsOnFrame(outputs, motion.frameGeometry?.viewportFromFrame, (name) => motion.outputScale(name)),
      stats: motion.stats().frames.at(-1)!,
      alignment: step,
      alignMs,
      viewportOutputs: outputs,
    };
  }
}

/**
 * Creates a session that runs a model over video frames: push frames one by one, or hand it a
 * source (a file, a URL, stdin or a stream, raw frames, a camera, or any iterable of frames: see
 * {@link VideoSource}) and iterate the results. Frames are RGB bytes; `scale`, `offset`, `mean`
 * and `std` turn them into the model's input values (`frameToTensor`). In motion mode each
 * frame's homography comes from `alignment`: estimated from the frames (default), a static
 * camera, homographies you give (IMU, SLAM), or a function. Outputs come back on the frame's grid
 * in every mode, NHWC (`[1, H, W, C]`) for every model format: unlike `createSession`, whose
 * default for an ONNX model is its NCHW, a video session's tensors line up with the RGB frames.
 *
 * @throws OptionError for a bad option or a model with no single image input to feed; what
 *   `loadModel`, `loadProfile` and `createSession` throw
 *
 * @example
 * ```ts
 * import { createVideoSession } from 'motiondelta';
 * const video = await createVideoSession({ model: 'selfie.json', mode: 'delta', threshold: 0.05, scale: 1 / 255 });
 * for await (const { index, outputs, stats } of video.process('clip.mp4', { frames: 50 })) {
 *   console.log(index, stats.ms.toFixed(1), stats.macs / stats.denseMacs);
 * }
 * video.dispose();
 * ```
 */
export async function createVideoSession(options: VideoSessionOptions): Promise<VideoSession> {
  if (typeof options !== 'object' || options === null)
    throw new OptionError('createVideoSession: options must be an object such as { model, mode }.');
  const mode = options.mode ?? 'dense';
  if (mode !== 'dense' && mode !== 'delta' && mode !== 'motion' && mode !== 'block') {
    throw new OptionError(`createVideoSession: mode must be 'dense', 'delta', 'motion' or 'block', got ${JSON.stringify(mode)}.`);
  }
  if (options.alignment !== undefined && mode !== 'motion')
    throw new OptionError(`createVideoSession: alignment applies to motion mode only (mode is '${mode}').`);
  if (
    options.profile !== undefined &&
    (options.threshold !== undefined || options.inputThreshold !== undefined || options.nodeThresholds !== undefined)
  ) {
    throw new OptionError('createVideoSession: give either a profile or thresholds, not both.');
  }
  if (options.profile !== undefined && (mode === 'dense' || mode === 'block'))
    throw new OptionError('createVideoSession: a profile holds delta thresholds: use it with mode delta or motion.');
  const model = options.model instanceof Model ? options.model : await loadModel(options.model);
  const inputName = imageInput(model, options.input);
  const profile: ResolvedProfile | undefined =
    options.profile === undefined
      ? undefined
      : typeof options.profile === 'string'
        ? { profile: await loadProfile(options.profile), where: options.profile }
        : 'where' in options.profile
          ? { profile: options.profile.profile, where: options.profile.where }
          : { profile: options.profile, where: options.profile.model };
  const thresholds = profile
    ? profileOptions(profile.profile)
    : {
        ...(options.threshold !== undefined && { threshold: options.threshold }),
        ...(options.inputThreshold !== undefined && { inputThreshold: options.inputThreshold }),
        ...(options.nodeThresholds !== undefined && { nodeThresholds: options.nodeThresholds }),
      };
  const session = await model.createSession(
    // Block policies by name are made here as in this package's Model.createSession.
    resolveSessionOptions({
      mode,
      // Frames become NHWC tensors (frameToTensor), and outputs are resampled onto the frame grid
      // channels last: the session runs NHWC whatever layout the model file declares.
      layout: 'nhwc',
      ...(mode === 'dense' || mode === 'block' ? {} : thresholds),
      ...(mode === 'block' && {
        ...(options.policy !== undefined && { policy: options.policy }),
        ...(options.targetRate !== undefined && { targetRate: options.targetRate }),
        ...(options.seed !== undefined && { seed: options.seed }),
        ...(options.policyOptions !== undefined && { policyOptions: options.policyOptions }),
        ...(options.blockSize !== undefined && { blockSize: options.blockSize }),
      }),
      ...(options.backend !== undefined && { backend: options.backend }),
      ...(options.memoryLimit !== undefined && { memoryLimit: options.memoryLimit }),
      ...(options.alignTolerance !== undefined && { alignTolerance: options.alignTolerance }),
      // Real footage has cuts and frames the homography does not explain: the video defaults turn on
      // what a bare session leaves off (see VIDEO_DEFAULTS).
      ...(mode === 'motion' && {
        warp: options.warp ?? VIDEO_DEFAULTS.warp,
        reanchor: { maxResidual: VIDEO_DEFAULTS.maxResidual, ...options.reanchor },
      }),
      ...(mode !== 'dense' && { sceneCut: options.sceneCut ?? VIDEO_DEFAULTS.sceneCut }),
    }),
  );
  return new VideoSession(model, session, { ...options, mode }, inputName, profile);
}

/** The input frames go to: the named one, or the model's only input. */
function imageInput(model: Model, wanted: string | undefined): string {
  const names = model.inputs.map((i) => i.name);
  if (wanted !== undefined) {
    if (!names.includes(wanted))
      throw new OptionError(`createVideoSession: the model has no input '${wanted}'; its inputs: ${names.join(', ')}.`);
    return wanted;
  }
  if (names.length !== 1) {
    throw new OptionError(
      `createVideoSession: the model has ${names.length} inputs (${names.join(', ')}); name the one frames go to with options.input.`,
    );
  }
  return names[0]!;
}
