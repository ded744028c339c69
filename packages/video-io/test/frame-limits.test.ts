import { OptionError, ResourceLimitError, VideoError } from '@motiondelta/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FRAME_BYTES, MAX_FRAME_BYTES_ENV, MAX_FRAME_SIDE, frameByteLimit } from '../src/frame-limits.js';
import { openVideo } from '../src/open-video.js';
import { probeVideo } from '../src/probe-video.js';
import { readImage } from '../src/read-image.js';
import { loggedCalls, writeTinyClip, writeToolWrapper } from './tiny-clip.js';

let dir: string;
let clip: string;

/**
 * A YUV4MPEG2 file whose header claims `width`x`height` and which holds a few bytes of one frame:
 * ffprobe believes the header (it has no frame count, so probing would then decode every frame
 * to count them), and no real frame of that size exists.
 */
function craftedY4m(name: string, width: number, height: number): string {
  const path = join(dir, name);
  writeFileSync(path, `YUV4MPEG2 W${width} H${height} F25:1 Ip A1:1 C420jpeg\nFRAME\n${'x'.repeat(64)}`);
  return path;
}

/** The error `promise` rejects with; fails the test if it resolves. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error, 'expected a rejection').toBeInstanceOf(Error);
  return error!;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'md-video-limits-'));
  clip = writeTinyClip(join(dir, 'clip.avi'), 32, 24, 3);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env[MAX_FRAME_BYTES_ENV];
});

describe('frame size limits, checked before anything is decoded or allocated', () => {
  it('probeVideo refuses a header claiming sides over MAX_FRAME_SIDE, without counting frames', async () => {
    const log = join(dir, 'side.log');
    const ffprobePath = writeToolWrapper(dir, 'ffprobe-side', log, 'exec ffprobe "$@"');
    const path = craftedY4m('wide.y4m', MAX_FRAME_SIDE + 1, 16);
    const error = await failure(probeVideo(path, { ffprobePath }));
    expect(VideoError.isInstance(error)).toBe(true);
    expect(error.message).toContain(`claims ${MAX_FRAME_SIDE + 1}x16 frames`);
    expect(error.message).toContain('corrupt or crafted');
    // One ffprobe call read the header; the frame-counting pass never ran.
    expect(loggedCalls(log)).toHaveLength(1);
    expect(loggedCalls(log)[0]).not.toContain('-count_frames');
  });

  it('probeVideo refuses a header whose rgb24 frame exceeds the byte limit (16000x16000 = 732 MiB)', async () => {
    const log = join(dir, 'bytes.log');
    const ffprobePath = writeToolWrapper(dir, 'ffprobe-bytes', log, 'exec ffprobe "$@"');
    const error = await failure(probeVideo(craftedY4m('square.y4m', 16000, 16000), { ffprobePath }));
    expect(ResourceLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ bytes: 16000 * 16000 * 3, limit: DEFAULT_MAX_FRAME_BYTES });
    expect(error.message).toContain(MAX_FRAME_BYTES_ENV);
    expect(loggedCalls(log).flat()).not.toContain('-count_frames');
  });

  it('openVideo refuses an absurd frame size in a caller-given info before starting ffmpeg', async () => {
    const log = join(dir, 'open.log');
    const ffmpegPath = writeToolWrapper(dir, 'ffmpeg-open', log, 'exec ffmpeg "$@"');
    const info = { width: 60000, height: 60000, fps: 25, frameCount: 1, codec: 'rawvideo', durationSeconds: 0.04 };
    const error = await failure(openVideo(clip, { info, ffmpegPath }));
    expect(VideoError.isInstance(error)).toBe(true);
    expect(error.message).toContain('claims 60000x60000 frames');
    expect(loggedCalls(log)).toEqual([]);
  });

  it.each([
    [{ width: 99999, height: 99999 }],
    [{ width: MAX_FRAME_SIDE + 1, height: 1 }],
    [{ width: 0, height: 0 }],
    [{ width: -4, height: 4 }],
    [{ width: 1.5, height: 4 }],
    [{ width: Number.NaN, height: 4 }],
  ])('openVideo refuses resize %j with OptionError naming the accepted range', async (resize) => {
    const error = await failure(openVideo(clip, { resize }));
    expect(OptionError.isInstance(error)).toBe(true);
    expect(error.message).toContain(`from 1 to ${MAX_FRAME_SIDE}`);
  });

  it('openVideo refuses a resize whose frame exceeds the byte limit, with ResourceLimitError', async () => {
    const error = await failure(openVideo(clip, { resize: { width: MAX_FRAME_SIDE, height: MAX_FRAME_SIDE } }));
    expect(ResourceLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ bytes: MAX_FRAME_SIDE * MAX_FRAME_SIDE * 3, limit: DEFAULT_MAX_FRAME_BYTES });
  });

  it('the byte limit comes from the option, else the environment, and applies to source frames', async () => {
    // 32x24 rgb24 is 2304 bytes.
    await expect(openVideo(clip, { maxFrameBytes: 2303 })).rejects.toSatisfy(ResourceLimitError.isInstance);
    const reader = await openVideo(clip, { maxFrameBytes: 2304 });
    await reader.close();
    process.env[MAX_FRAME_BYTES_ENV] = '2303';
    await expect(probeVideo(clip)).rejects.toSatisfy(ResourceLimitError.isInstance);
    await expect(readImage(clip)).rejects.toSatisfy(ResourceLimitError.isInstance);
    // The option wins over the environment.
    expect((await probeVideo(clip, { maxFrameBytes: 4096 })).width).toBe(32);
  });

  it('a malformed limit is an OptionError, not a silent default', () => {
    expect(() => frameByteLimit({ maxFrameBytes: 0 })).toThrow(OptionError);
    expect(() => frameByteLimit({ maxFrameBytes: Number.POSITIVE_INFINITY })).toThrow(OptionError);
    process.env[MAX_FRAME_BYTES_ENV] = '1e9';
    expect(() => frameByteLimit()).toThrow(/MOTIONDELTA_MAX_FRAME_BYTES must be a positive integer/);
    process.env[MAX_FRAME_BYTES_ENV] = '1073741824';
    expect(frameByteLimit()).toBe(2 ** 30);
  });

  it.each([
    [{ start: 1e300 }, /start must be an integer/],
    [{ start: -1 }, /start must be an integer/],
    [{ start: 3 }, /start must be an integer frame index in \[0, 2\]/],
    [{ count: 1e300 }, /count must be a positive integer/],
    [{ count: -5 }, /count must be a positive integer/],
  ])('openVideo refuses %j with OptionError', async (options, message) => {
    const error = await failure(openVideo(clip, options));
    expect(OptionError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(message);
  });
});
