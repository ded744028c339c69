import { VideoError } from '@motiondelta/core';
import { stat } from 'node:fs/promises';
import { runTool } from './run-tool.js';
import type { ToolOptions, VideoInfo } from './types.js';

interface ProbeStream {
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

function parseRate(rate: string | undefined): number {
  const [num, den] = (rate ?? '').split('/').map(Number);
  if (num === undefined || !Number.isFinite(num) || num <= 0) return 0;
  return den === undefined ? num : den > 0 ? num / den : 0;
}

function positiveNumber(text: string | undefined): number | undefined {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Throws a VideoError unless `path` is an existing regular file. */
export async function assertFile(path: string, what = 'Video'): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new VideoError(
      `${what} file not found: '${path}'. Check the path; the test clips come from \`pnpm data fetch vtest cube\`.`,
    );
  }
  if (!info.isFile()) throw new VideoError(`${what} path '${path}' is not a file.`);
}

async function ffprobeJson(path: string, extra: readonly string[], options: ToolOptions): Promise<ProbeStream & { formatDuration?: string }> {
  const { code, stdout, stderr } = await runTool(
    'ffprobe',
    [
      '-v', 'error', '-select_streams', 'v:0', ...extra,
      '-show_entries', 'stream=codec_name,width,height,avg_frame_rate,r_frame_rate,nb_frames,nb_read_frames,duration:format=duration',
      '-of', 'json', path,
    ],
    options,
  );
  if (code !== 0) {
    throw new VideoError(`ffprobe cannot read '${path}' as a video (exit code ${code}): ${stderr || 'no details'}`);
  }
  const parsed = JSON.parse(stdout) as ProbeOutput;
  const stream = parsed.streams?.[0];
  if (!stream) throw new VideoError(`'${path}' holds no video stream (ffprobe found none).`);
  return parsed.format?.duration === undefined ? stream : { ...stream, formatDuration: parsed.format.duration };
}

/**
 * Size, frame rate, frame count, codec and duration of the first video stream of `path`. When the
 * container does not store a frame count (MPEG elementary streams, images) the frames are counted
 * by decoding, which costs about one decode of the file.
 *
 * @example
 * const info = await probeVideo('vtest.avi'); // { width: 768, height: 576, fps: 10, frameCount: 795, ... }
 */
export async function probeVideo(path: string, options: ToolOptions = {}): Promise<VideoInfo> {
  await assertFile(path);
  const stream = await ffprobeJson(path, [], options);
  const width = stream.width ?? 0;
  const height = stream.height ?? 0;
  if (width <= 0 || height <= 0) throw new VideoError(`'${path}' has a video stream without a frame size.`);
  const fps = parseRate(stream.avg_frame_rate) || parseRate(stream.r_frame_rate);
  let frameCount = positiveNumber(stream.nb_frames);
  let durationSeconds = positiveNumber(stream.duration) ?? positiveNumber(stream.formatDuration);
  if (frameCount === undefined) {
    const counted = positiveNumber((await ffprobeJson(path, ['-count_frames'], options)).nb_read_frames);
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
