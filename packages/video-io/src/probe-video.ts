import { VideoError } from '@motiondelta/core';
import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { ffmpegFileUrl } from './file-url.js';
import { checkSourceFrame, type FrameLimitOptions } from './frame-limits.js';
import { runTool } from './run-tool.js';
import type { ToolOptions, VideoInfo } from './types.js';

/** Options of {@link probeVideo}. */
export interface ProbeVideoOptions extends ToolOptions, FrameLimitOptions {}

export interface ProbeStream {
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  nb_read_frames?: string;
  duration?: string;
}

interface ProbeOutput {
  streams?: ProbeStream[];
  format?: { duration?: string };
}

export function parseRate(rate: string | undefined): number {
  const [num, den] = (rate ?? '').split('/').map(Number);
  if (num === undefined || !Number.isFinite(num) || num <= 0) return 0;
  return den === undefined ? num : den > 0 ? num / den : 0;
}

export function positiveNumber(text: string | undefined): number | undefined {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** What a path that is not a regular file is, for messages. */
function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Throws a VideoError unless `path` is an existing, readable, non-empty regular file: ffmpeg
 * would wait forever on a FIFO, read `/dev/zero` without end, and give only a vague message for
 * the rest.
 */
export async function assertFile(path: string, what = 'Video'): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      throw new VideoError(`${what} file '${path}' cannot be read (${code ?? String(error)}).`, { cause: error });
    }
    throw new VideoError(`${what} file not found: '${path}'. Check the path; the test clips come from \`pnpm data fetch vtest cube\`.`);
  }
  if (!info.isFile()) {
    const article = /^[aeiou]/i.test(what) ? 'an' : 'a';
    throw new VideoError(`${what} path '${path}' is ${kindOf(info)}, not ${article} ${what.toLowerCase()} file.`);
  }
  if (info.size === 0) throw new VideoError(`${what} file '${path}' is empty (0 bytes).`);
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new VideoError(`${what} file '${path}' cannot be read (${code === 'EACCES' ? 'permission denied' : (code ?? String(error))}).`, {
      cause: error,
    });
  }
}

/**
 * ffprobe's view of the first video stream of an input: `inputArgs` name it (`file:/...`,
 * `-protocol_whitelist ... -i rtsp://...`, `-f v4l2 -i /dev/video0`, `-i pipe:0` with `input`
 * on stdin), `label` names it in messages.
 */
export async function ffprobeJson(
  inputArgs: readonly string[],
  label: string,
  extra: readonly string[],
  options: ToolOptions,
  input?: readonly Buffer[],
): Promise<ProbeStream & { formatDuration?: string }> {
  const { code, stdout, stderr } = await runTool(
    'ffprobe',
    [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      ...extra,
      '-show_entries',
      'stream=codec_name,width,height,avg_frame_rate,r_frame_rate,nb_frames,nb_read_frames,duration:format=duration',
      '-of',
      'json',
      ...inputArgs,
    ],
    options,
    input,
  );
  if (code !== 0) {
    throw new VideoError(`ffprobe cannot read ${label} as a video (exit code ${code}): ${stderr || 'no details'}`);
  }
  const parsed = JSON.parse(stdout) as ProbeOutput;
  const stream = parsed.streams?.[0];
  if (!stream) throw new VideoError(`${label} holds no video stream (ffprobe found none).`);
  return parsed.format?.duration === undefined ? stream : { ...stream, formatDuration: parsed.format.duration };
}

/**
 * Size, frame rate, frame count, codec and duration of the first video stream of `path`. When the
 * container does not store a frame count (MPEG elementary streams, images) the frames are counted
 * by decoding, which costs about one decode of the file. `path` is a local file only (given to
 * ffprobe as a `file:` URL). A frame size beyond `MAX_FRAME_SIDE` or `maxFrameBytes` is refused
 * before any frame is decoded.
 *
 * @example
 * const info = await probeVideo('vtest.avi'); // { width: 768, height: 576, fps: 10, frameCount: 795, ... }
 */
export async function probeVideo(path: string, options: ProbeVideoOptions = {}): Promise<VideoInfo> {
  await assertFile(path);
  const stream = await ffprobeJson([ffmpegFileUrl(path)], `'${path}'`, [], options);
  const width = stream.width ?? 0;
  const height = stream.height ?? 0;
  if (width <= 0 || height <= 0) throw new VideoError(`'${path}' has a video stream without a frame size.`);
  // Before counting frames: counting decodes every frame at the size the header claims.
  checkSourceFrame(path, { width, height }, options);
  const fps = parseRate(stream.avg_frame_rate) || parseRate(stream.r_frame_rate);
  let frameCount = positiveNumber(stream.nb_frames);
  let durationSeconds = positiveNumber(stream.duration) ?? positiveNumber(stream.formatDuration);
  if (frameCount === undefined) {
    const counted = positiveNumber((await ffprobeJson([ffmpegFileUrl(path)], `'${path}'`, ['-count_frames'], options)).nb_read_frames);
    if (counted === undefined) throw new VideoError(`'${path}' has no decodable video frames.`);
    frameCount = counted;
    // Containers without a frame count also tend to report a bogus duration (cube.mpeg says 0.04 s).
    if (fps > 0) durationSeconds = counted / fps;
  }
  return {
    width,
    height,
    fps,
    frameCount,
    codec: stream.codec_name ?? 'unknown',
    durationSeconds: durationSeconds ?? (fps > 0 ? frameCount / fps : 0),
  };
}
