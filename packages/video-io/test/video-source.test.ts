import { OptionError, VideoError } from '@motiondelta/core';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVideo, type OpenVideoOptions } from '../src/open-video.js';
import { classifySource } from '../src/source-kind.js';
import { runningToolProcesses } from '../src/tool-processes.js';
import type { Frame } from '../src/types.js';
import { openVideoSource, prepareVideoSource, sourceInputArgs } from '../src/video-source.js';
import { clipPaths } from './clips.js';
import { serveFiles, type FileServer } from './http-file-server.js';

let clips: { vtest: string; cube: string };
let server: FileServer;
beforeAll(async () => {
  clips = await clipPaths();
  server = await serveFiles({ 'vtest.avi': clips.vtest, 'cube.mpeg': clips.cube });
});
afterAll(async () => server.close());

async function collect(reader: AsyncIterable<Frame>): Promise<Frame[]> {
  const frames: Frame[] = [];
  for await (const frame of reader) frames.push(frame);
  return frames;
}

const RANGE: Omit<OpenVideoOptions, 'info'> = {
  start: 5,
  count: 4,
  crop: { x: 96, y: 0, width: 576, height: 576 },
  resize: { width: 64, height: 64 },
};

/** The same frames, byte for byte, with the same indices. */
function expectSameFrames(got: readonly Frame[], want: readonly Frame[]): void {
  expect(got.map((f) => f.index)).toEqual(want.map((f) => f.index));
  got.forEach((f, i) => expect(Buffer.from(f.data).equals(Buffer.from(want[i]!.data)), `frame ${f.index}`).toBe(true));
}

describe('openVideoSource: where frames come from', () => {
  it('an http:// URL served on 127.0.0.1 gives exactly the frames of the file', async () => {
    const want = await collect(await openVideo(clips.vtest, RANGE));
    const source = await prepareVideoSource(server.url('vtest.avi'));
    expect(source.kind).toBe('url');
    // The AVI header states its frame count, over HTTP too.
    expect(source.info).toMatchObject({ width: 768, height: 576, fps: 10, frameCount: 795 });
    expectSameFrames(await collect(await source.open(RANGE)), want);
    expect(server.requests.some((r) => r.startsWith('GET /vtest.avi'))).toBe(true);
    expect(runningToolProcesses()).toBe(0);
  });

  it('a stream without a frame count (MPEG over HTTP) is read to its end, or to `count`', async () => {
    const source = await prepareVideoSource(server.url('cube.mpeg'));
    // Never counted by decoding: a live stream would never end.
    expect(source.info.frameCount).toBe(Infinity);
    expect(source.info.durationSeconds).toBe(Infinity);
    const all = await collect(await source.open({ resize: { width: 32, height: 24 } }));
    const file = await collect(await openVideo(clips.cube, { resize: { width: 32, height: 24 } }));
    expect(all).toHaveLength(file.length);
    expectSameFrames(all, file);
  });

  it('a Readable of the file bytes, and raw rgb24 frames on a Readable, give the frames of the file', async () => {
    const want = await collect(await openVideo(clips.vtest, RANGE));
    const piped = await prepareVideoSource(createReadStream(clips.vtest));
    expect(piped).toMatchObject({ kind: 'pipe', label: 'the input stream' });
    expect(piped.info).toMatchObject({ width: 768, height: 576 });
    expectSameFrames(await collect(await piped.open(RANGE)), want);

    // Raw frames pass through unchanged: the decoded 64x64 frames fed back give the same bytes.
    const raw = Readable.from(want.map((f) => Buffer.from(f.data)));
    const again = await collect(await openVideoSource({ stream: raw, format: 'rgb24', width: 64, height: 64, fps: 10 }));
    expect(again.map((f) => f.index)).toEqual([0, 1, 2, 3]);
    expect(again.map((f) => f.timestamp)).toEqual([0, 0.1, 0.2, 0.3]);
    again.forEach((f, i) => expect(Buffer.from(f.data).equals(Buffer.from(want[i]!.data))).toBe(true));
    expect(runningToolProcesses()).toBe(0);
  });

  it("'-' reads encoded video from stdin (a child process with the clip on its stdin)", async () => {
    const want = await collect(await openVideo(clips.vtest, { start: 3, count: 3, resize: { width: 48, height: 36 } }));
    const script = join(import.meta.dirname, 'fixtures', 'decode-stdin.mjs');
    const child = spawn(process.execPath, [script, '3', '3', '48', '36'], { stdio: ['pipe', 'pipe', 'pipe'] });
    // The child stops reading after 3 frames: the rest of the clip may meet a closed pipe.
    child.stdin.on('error', () => undefined);
    createReadStream(clips.vtest).pipe(child.stdin);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toEqual({ running: 0 });
    expect(lines.slice(0, -1)).toEqual(
      want.map((f) => ({ index: f.index, width: 48, height: 36, hash: createHash('sha256').update(f.data).digest('hex') })),
    );
  });

  it('breaking out of the loop early stops ffmpeg, for a URL and for a pipe', async () => {
    for (const source of [server.url('vtest.avi'), createReadStream(clips.vtest)]) {
      const video = await openVideoSource(source, { resize: { width: 32, height: 24 } });
      for await (const frame of video) {
        expect(frame.index).toBe(0);
        break;
      }
      expect(runningToolProcesses()).toBe(0);
    }
  });

  it('reports a URL that fails, a pipe that ends inside a raw frame, and an empty pipe with VideoError', async () => {
    const missing = await prepareVideoSource(server.url('nothing-here.avi')).catch((e: unknown) => e);
    expect(VideoError.isInstance(missing)).toBe(true);
    expect((missing as Error).message).toMatch(/ffprobe cannot read 'http:\/\/127\.0\.0\.1:\d+\/nothing-here\.avi'/);

    const partial = Readable.from([Buffer.alloc(8 * 8 * 3 * 2 + 10)]);
    const video = await openVideoSource({ stream: partial, format: 'rgb24', width: 8, height: 8 });
    const error = await collect(video).catch((e: unknown) => e);
    expect(VideoError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /in the input stream \(it is truncated or corrupt\).*packet size 10 < expected frame_size 192/s,
    );

    await expect(prepareVideoSource(Readable.from([]))).rejects.toThrow(/the input stream ended before any video data/);

    // A stream that fails midway: the frames before come through, then its error, as a VideoError.
    const failing = new Readable({ read: () => undefined });
    // ffmpeg holds back about two frames of a stream that has not ended: three get one out.
    failing.push(Buffer.alloc(3 * 8 * 8 * 3));
    const reader = await openVideoSource({ stream: failing, format: 'rgb24', width: 8, height: 8 });
    const got: Frame[] = [];
    const failure = await (async () => {
      for await (const frame of reader) {
        got.push(frame);
        failing.destroy(new Error('camera unplugged'));
      }
    })().catch((e: unknown) => e);
    expect(got).toHaveLength(1);
    expect(VideoError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toBe('reading the input stream failed: camera unplugged');
    expect(runningToolProcesses()).toBe(0);
  });
});

describe('classifySource', () => {
  it('takes URLs of the accepted schemes, stdin, devices and files, and refuses other schemes with OptionError', () => {
    expect(classifySource('rtsp://user:secret@cam.local:554/stream?token=x')).toMatchObject({
      kind: 'url',
      scheme: 'rtsp',
      // Messages never show the password or the query.
      label: "'rtsp://user:***@cam.local:554/stream?...'",
    });
    expect(classifySource(new URL('https://example.com/a.m3u8'))).toMatchObject({ kind: 'url', scheme: 'https' });
    expect(classifySource('-')).toMatchObject({ kind: 'pipe', stream: process.stdin, label: 'stdin' });
    expect(classifySource('/dev/video2')).toEqual({ kind: 'device', path: '/dev/video2' });
    expect(classifySource('./rtsp:name.mp4')).toEqual({ kind: 'file', path: './rtsp:name.mp4' });
    expect(classifySource('clip.mp4')).toEqual({ kind: 'file', path: 'clip.mp4' });
    // Not a scheme (a comma before the colon): a file name, which reaches ffmpeg as a file: URL.
    expect(classifySource('subfile,,start,0,end,0,,:x')).toMatchObject({ kind: 'file' });
    for (const trick of [
      'file:///etc/passwd',
      'FILE:/etc/passwd',
      'pipe:0',
      'concat:a.mp4|b.mp4',
      'data:video/mp4;base64,AAAA',
      'tcp://h:1?listen',
    ]) {
      const error = (() => {
        try {
          classifySource(trick);
        } catch (e) {
          return e;
        }
      })();
      expect(OptionError.isInstance(error), trick).toBe(true);
      expect((error as Error).message, trick).toMatch(
        /accepted: http\(s\):\/\/, rtsp\(s\):\/\/, rtmp\(s\):\/\/, srt:\/\/ or udp:\/\/ URLs/,
      );
    }
    expect(() => classifySource('rtsp:///stream')).toThrow(/names no host/);
    expect(() => classifySource({ stream: '-', format: 'yuv420p' as never, width: 8, height: 8 })).toThrow(/format: 'rgb24'/);
    expect(() => classifySource(42 as never)).toThrow(/a video source is a file path, a URL/);
  });

  it('builds the ffmpeg input: a protocol whitelist and timeout for URLs, -f v4l2 for devices, rawvideo for raw frames', () => {
    expect(sourceInputArgs(classifySource('http://127.0.0.1:8080/a.avi'))).toEqual([
      '-protocol_whitelist',
      'http,https,tcp,tls,crypto',
      '-rw_timeout',
      '30000000',
      '-i',
      'http://127.0.0.1:8080/a.avi',
    ]);
    expect(sourceInputArgs(classifySource('rtmp://host/live'), { networkTimeoutSeconds: 5 })).toEqual([
      '-protocol_whitelist',
      'rtmp,rtmps,tcp,tls',
      '-rw_timeout',
      '5000000',
      '-i',
      'rtmp://host/live',
    ]);
    expect(sourceInputArgs(classifySource('/dev/video0'))).toEqual(['-f', 'v4l2', '-i', '/dev/video0']);
    expect(sourceInputArgs(classifySource('-'))).toEqual(['-i', 'pipe:0']);
    expect(sourceInputArgs(classifySource({ stream: '-', format: 'rgb24', width: 64, height: 48 }))).toEqual([
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-video_size',
      '64x48',
      '-i',
      'pipe:0',
    ]);
    expect(() => sourceInputArgs(classifySource('http://h/a'), { networkTimeoutSeconds: 0 })).toThrow(OptionError);
  });

  it('refuses a V4L2 device that is not there with VideoError naming the devices present', async () => {
    // No camera on the test machines: /dev/video987 is absent everywhere.
    const error = await prepareVideoSource('/dev/video987').catch((e: unknown) => e);
    expect(VideoError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/no V4L2 capture device at '\/dev\/video987' \(ENOENT\); devices present: /);
  });
});
