import { OptionError, VideoError } from '@motiondelta/core';
import { readdir, stat } from 'node:fs/promises';
import { toolPath } from './ffmpeg-tools.js';
import { startFrameDecoder, type DecoderInput } from './frame-decoder.js';
import { checkRequestedFrame, checkSourceFrame } from './frame-limits.js';
import { filterChain, openVideo, rawOutputArgs, type OpenVideoOptions, type VideoReader } from './open-video.js';
import { ffprobeJson, parseRate, positiveNumber, probeVideo, type ProbeVideoOptions } from './probe-video.js';
import { URL_SCHEMES, classifySource, type RawFrameFormat, type SourceKind, type VideoSourceInput } from './source-kind.js';
import { readStreamPrefix, type StreamPrefix } from './stream-prefix.js';
import type { Size, VideoInfo } from './types.js';
import { checkCrop, checkRange } from './validate-options.js';

/**
 * Bytes of an encoded pipe read before decoding starts, for ffprobe to find the frame size:
 * enough for the headers of the containers ffmpeg reads from pipes, and a few frames.
 */
export const PIPE_PROBE_BYTES = 1 << 20;

/** Default most seconds a network source may stay silent before it counts as failed. */
export const DEFAULT_NETWORK_TIMEOUT_SECONDS = 30;

/** Options of {@link prepareVideoSource}. */
export interface PrepareVideoSourceOptions extends ProbeVideoOptions {
  /** Network sources: seconds without data before ffmpeg gives up (ffmpeg's `rw_timeout`); default 30. */
  readonly networkTimeoutSeconds?: number;
}

/**
 * A source whose frame size is known and whose decoder has not started yet: open it once, with
 * the crop and resize worked out from `info`. For a pipe, the bytes read to probe it are held
 * here and given to the decoder first.
 */
export interface PreparedVideoSource {
  /**
   * Frame size and rate of the source; `frameCount` and `durationSeconds` are `Infinity` when the
   * source does not state them (a live stream, a device, raw frames, most pipes): it is then read
   * to its end, or to `count` frames.
   */
  readonly info: VideoInfo;
  /** The source as messages name it (a URL without its password or query). */
  readonly label: string;
  /** What kind of source it is. */
  readonly kind: SourceKind['kind'];
  /**
   * Starts decoding, with `openVideo`'s options (`info` is this source's). A second call throws
   * OptionError: a pipe or a live stream cannot be read twice.
   */
  open(options?: Omit<OpenVideoOptions, 'info'>): Promise<VideoReader>;
}

function unknownLength(info: Omit<VideoInfo, 'frameCount' | 'durationSeconds'>, frameCount: number | undefined, fps: number): VideoInfo {
  if (frameCount === undefined) return { ...info, frameCount: Infinity, durationSeconds: Infinity };
  return { ...info, frameCount, durationSeconds: fps > 0 ? frameCount / fps : Infinity };
}

async function probeStreamInfo(
  inputArgs: readonly string[],
  label: string,
  options: ProbeVideoOptions,
  input?: readonly Buffer[],
): Promise<VideoInfo> {
  const stream = await ffprobeJson(inputArgs, label, [], options, input);
  const width = stream.width ?? 0;
  const height = stream.height ?? 0;
  if (width <= 0 || height <= 0) throw new VideoError(`${label} has a video stream without a frame size.`);
  // checkSourceFrame quotes the name itself.
  checkSourceFrame(label.replace(/^'(.*)'$/, '$1'), { width, height }, options);
  const fps = parseRate(stream.avg_frame_rate) || parseRate(stream.r_frame_rate);
  // Frames are never counted by decoding here: a live stream would never end.
  return unknownLength({ width, height, fps, codec: stream.codec_name ?? 'unknown' }, positiveNumber(stream.nb_frames), fps);
}

/** Throws VideoError naming the capture devices present unless `path` is one. */
async function assertDevice(path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const present = (await readdir('/dev').catch(() => [] as string[])).filter((n) => /^video\d+$/.test(n)).map((n) => `/dev/${n}`);
    throw new VideoError(
      `no V4L2 capture device at '${path}' (${(error as { code?: string }).code ?? String(error)}); ` +
        `devices present: ${present.length > 0 ? present.join(', ') : 'none (is a camera connected, and its driver loaded?)'}.`,
      { cause: error },
    );
  }
  if (!info.isCharacterDevice()) throw new VideoError(`'${path}' is not a V4L2 capture device (not a character device).`);
}

/**
 * The ffmpeg (and ffprobe) arguments that name a non-file source of `kind`, ending with
 * `-i <input>`: a URL with its scheme's protocol whitelist and a read timeout, a camera with
 * `-f v4l2`, a pipe as `pipe:0` (raw frames with their format and size).
 *
 * @throws OptionError for a file (`openVideo` names files itself) or a bad `networkTimeoutSeconds`
 *
 * @example
 * sourceInputArgs(classifySource('/dev/video0')); // ['-f', 'v4l2', '-i', '/dev/video0']
 */
export function sourceInputArgs(kind: SourceKind, options: PrepareVideoSourceOptions = {}): string[] {
  switch (kind.kind) {
    case 'file':
      throw new OptionError('a file source is opened by openVideo, which names it as a file: URL.');
    case 'url': {
      const timeout = options.networkTimeoutSeconds ?? DEFAULT_NETWORK_TIMEOUT_SECONDS;
      if (!(Number.isFinite(timeout) && timeout > 0)) {
        throw new OptionError(`networkTimeoutSeconds must be a number of seconds > 0, got ${String(options.networkTimeoutSeconds)}.`);
      }
      const protocols = URL_SCHEMES[kind.scheme]!.join(',');
      return ['-protocol_whitelist', protocols, '-rw_timeout', String(Math.round(timeout * 1e6)), '-i', kind.url];
    }
    case 'device':
      return ['-f', 'v4l2', '-i', kind.path];
    case 'pipe':
      return kind.raw
        ? ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-video_size', `${kind.raw.width}x${kind.raw.height}`, '-i', 'pipe:0']
        : ['-i', 'pipe:0'];
  }
}

function rawInfo(raw: RawFrameFormat, label: string, options: ProbeVideoOptions): VideoInfo {
  const size: Size = { width: raw.width, height: raw.height };
  // The caller's numbers: refused as options (not as a corrupt header) when they are not sizes.
  checkRequestedFrame(`raw frames from ${label}`, size, options);
  return unknownLength({ ...size, fps: raw.fps ?? 0, codec: 'rawvideo' }, undefined, raw.fps ?? 0);
}

/**
 * Learns the frame size of a video source (see {@link VideoSourceInput}: a file, a URL, `'-'`
 * or a Readable of encoded video, raw rgb24 frames, a V4L2 device) without decoding it: ffprobe on
 * the file, URL or device; on the first {@link PIPE_PROBE_BYTES} of a pipe (held, and fed to
 * ffmpeg first); the given size for raw frames. URLs reach ffmpeg with a protocol whitelist of
 * their scheme (a playlist or a redirect cannot open local files) and a read timeout.
 *
 * @throws OptionError for a source that is none of these (a `file:` or `pipe:` URL, ...);
 *   VideoError when the source cannot be read or holds no video; ResourceLimitError for frames
 *   over `maxFrameBytes`
 *
 * @example
 * const source = await prepareVideoSource('rtsp://192.168.1.20/stream1');
 * console.log(source.info); // { width: 1280, height: 720, fps: 25, frameCount: Infinity, ... }
 * const video = await source.open({ count: 100, resize: { width: 640, height: 360 } });
 * for await (const frame of video) console.log(frame.index);
 */
export async function prepareVideoSource(source: VideoSourceInput, options: PrepareVideoSourceOptions = {}): Promise<PreparedVideoSource> {
  const kind = classifySource(source);
  if (kind.kind === 'file') {
    const info = await probeVideo(kind.path, options);
    return preparedFile(kind.path, info, options);
  }
  const inputArgs = sourceInputArgs(kind, options);
  let prefix: StreamPrefix | undefined;
  let info: VideoInfo;
  let label: string;
  if (kind.kind === 'pipe') {
    label = kind.label;
    if (kind.raw) info = rawInfo(kind.raw, label, options);
    else {
      prefix = await readStreamPrefix(kind.stream, PIPE_PROBE_BYTES, label);
      if (prefix.bytes === 0) throw new VideoError(`${label} ended before any video data.`);
      info = await probeStreamInfo(inputArgs, label, options, prefix.chunks);
    }
  } else if (kind.kind === 'device') {
    label = `'${kind.path}'`;
    await assertDevice(kind.path);
    info = await probeStreamInfo(inputArgs, label, options);
  } else {
    label = kind.label;
    info = await probeStreamInfo(inputArgs, label, options);
  }
  const input: DecoderInput | undefined =
    kind.kind === 'pipe' ? { prefix: prefix?.chunks ?? [], stream: prefix?.ended ? undefined : kind.stream } : undefined;
  let opened = false;
  return {
    info,
    label,
    kind: kind.kind,
    open: async (openOptions = {}) => {
      if (opened) throw new OptionError(`${label} was opened already; a stream or a live source can be read once.`);
      opened = true;
      return openStream(inputArgs, label, info, { ...options, ...openOptions }, input);
    },
  };
}

function preparedFile(path: string, info: VideoInfo, options: ProbeVideoOptions): PreparedVideoSource {
  return {
    info,
    label: `'${path}'`,
    kind: 'file',
    open: (openOptions = {}) => openVideo(path, { ...options, ...openOptions, info }),
  };
}

/** The reader of a non-file source: `openVideo`'s checks and filters, its own input arguments. */
function openStream(
  inputArgs: readonly string[],
  label: string,
  info: VideoInfo,
  options: Omit<OpenVideoOptions, 'info'>,
  input: DecoderInput | undefined,
): Promise<VideoReader> {
  if (options.pixelFormat !== undefined && options.pixelFormat !== 'rgb24') {
    throw new OptionError(`pixelFormat '${String(options.pixelFormat)}' is not supported; use 'rgb24'.`);
  }
  const start = options.start ?? 0;
  checkRange(start, options.count, info.frameCount);
  if (options.crop) checkCrop(options.crop, info);
  if (options.resize) checkRequestedFrame('resize', options.resize, options);
  const frameSize: Size = options.resize ?? options.crop ?? { width: info.width, height: info.height };
  const args = [
    ...(input ? [] : ['-nostdin']),
    '-hide_banner',
    '-v',
    'error',
    ...inputArgs,
    ...rawOutputArgs(filterChain(start, options.count, options.crop, options.resize, info)),
  ];
  const decoder = startFrameDecoder({
    binary: toolPath('ffmpeg', options),
    args,
    label,
    frameSize,
    start,
    fps: info.fps,
    expected: Math.min(options.count ?? Infinity, info.frameCount - start),
    stopAfter: options.count,
    ...(input && { input }),
  });
  return Promise.resolve({
    info,
    frameSize,
    [Symbol.asyncIterator]: () => decoder.frames,
    close: async () => {
      await decoder.stop();
      await decoder.frames.return(undefined);
    },
  });
}

/**
 * Opens any video source for decoding into RGB frames: {@link prepareVideoSource} then `open`.
 * Use `prepareVideoSource` when the crop or size depends on the source's frame size.
 *
 * @example
 * const video = await openVideoSource('-', { count: 10 }); // encoded video piped to this process
 * for await (const frame of video) console.log(frame.index, frame.width, frame.height);
 */
export async function openVideoSource(
  source: VideoSourceInput,
  options: PrepareVideoSourceOptions & Omit<OpenVideoOptions, 'info'> = {},
): Promise<VideoReader> {
  return (await prepareVideoSource(source, options)).open(options);
}
