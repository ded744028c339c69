import { ensureData, modelInputMapping } from '@motiondelta/data';
import { frameToTensor, probeVideo, runningToolProcesses, type RgbImage } from '@motiondelta/video-io';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OptionError,
  VideoError,
  createVideoSession,
  loadModel,
  streamVideoFrames,
  type Model,
  type ProcessOptions,
  type TensorMap,
  type VideoFrameResult,
  type VideoSource,
} from '../src/index.js';

const SIZE: [number, number] = [24, 32];
const mapping = modelInputMapping('esrgan-x2');
const RUN = { start: 100, frames: 3, size: SIZE } as const;

let clip: string;
let cube: string;
let modelPath: string;
let model: Model;
let server: Server;
let base: string;
beforeAll(async () => {
  [clip, cube, modelPath] = await Promise.all([
    ensureData('vtest').then((d) => d.main),
    ensureData('cube').then((d) => d.main),
    ensureData('esrgan-x2').then((d) => d.main),
  ]);
  model = await loadModel(modelPath);
  // A plain file server on 127.0.0.1 (no range requests: ffmpeg then reads the AVI front to back).
  const files: Record<string, string> = { '/vtest.avi': clip, '/cube.mpeg': cube };
  server = createServer((req, res) => {
    const path = files[req.url ?? ''];
    if (!path) res.writeHead(404).end();
    else createReadStream(path).pipe(res.writeHead(200, { 'Content-Type': 'video/x-msvideo' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

async function run(source: VideoSource, options: ProcessOptions = RUN): Promise<VideoFrameResult[]> {
  // The default backends, as the child process of the stdin test uses.
  const video = await createVideoSession({ model, mode: 'delta', threshold: 0.02, ...mapping });
  const out: VideoFrameResult[] = [];
  for await (const r of video.process(source, options)) out.push(r);
  video.dispose();
  return out;
}

const sameOutputs = (a: TensorMap, b: TensorMap): void => {
  expect(Object.keys(a)).toEqual(Object.keys(b));
  for (const name of Object.keys(a)) {
    expect(a[name]!.shape).toEqual(b[name]!.shape);
    expect(a[name]!.data).toEqual(b[name]!.data);
  }
};

function expectSameRun(got: readonly VideoFrameResult[], want: readonly VideoFrameResult[]): void {
  expect(got).toHaveLength(want.length);
  got.forEach((r, i) => sameOutputs(r.outputs, want[i]!.outputs));
}

const hashOf = (t: { data: Float32Array }): string =>
  createHash('sha256')
    .update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength))
    .digest('hex');

describe('VideoSession.process over sources other than a file', () => {
  it('an http:// URL, a Readable of the file bytes and raw rgb24 frames give exactly the outputs of the file', async () => {
    const fromFile = await run(clip);
    expect(fromFile.map((r) => r.index)).toEqual([100, 101, 102]);
    const fromUrl = await run(`${base}/vtest.avi`);
    expect(fromUrl.map((r) => r.index)).toEqual([100, 101, 102]);
    expectSameRun(fromUrl, fromFile);
    expectSameRun(await run(new URL(`${base}/vtest.avi`)), fromFile);
    expectSameRun(await run(createReadStream(clip)), fromFile);

    // The frames the file run fed, already at the input size, as raw rgb24 bytes on a stream.
    const frames: RgbImage[] = [];
    for await (const f of streamVideoFrames(clip, await probeVideo(clip), { start: 100, count: 3, size: SIZE })) frames.push(f);
    const raw = Readable.from(frames.map((f) => Buffer.from(f.data)));
    const fromRaw = await run({ stream: raw, format: 'rgb24', width: SIZE[1], height: SIZE[0] }, { frames: 3 });
    expect(fromRaw.map((r) => r.index)).toEqual([0, 1, 2]);
    expectSameRun(fromRaw, fromFile);
    expect(runningToolProcesses()).toBe(0);
  });

  it("'-' reads the clip from stdin in a child process, with the outputs of the file", async () => {
    const want = await run(clip);
    const script = join(import.meta.dirname, 'fixtures', 'process-stdin.mjs');
    const child = spawn(process.execPath, [script, modelPath, '100', '3', String(SIZE[0]), String(SIZE[1])], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // The child stops after 3 frames: the rest of the clip may meet a closed pipe.
    child.stdin.on('error', () => undefined);
    createReadStream(clip).pipe(child.stdin);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    expect(await new Promise<number | null>((resolve) => child.on('close', resolve)), stderr).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toEqual({ running: 0 });
    expect(lines.slice(0, -1)).toEqual(
      want.map((r) => ({ index: r.index, hashes: Object.fromEntries(Object.entries(r.outputs).map(([n, t]) => [n, hashOf(t)])) })),
    );
  }, 120_000);

  it('a stream that does not state its length runs to its end without `frames`; breaking out stops ffmpeg', async () => {
    // cube.mpeg (an MPEG-1 stream) has no frame count: over HTTP it is not counted, just read to its end.
    const all = await run(`${base}/cube.mpeg`, { size: [12, 16] });
    const frames = (await probeVideo(cube)).frameCount;
    expect(all.map((r) => r.index)).toEqual(Array.from({ length: frames }, (_, i) => i));

    const video = await createVideoSession({ model, mode: 'dense' });
    for (const source of [`${base}/vtest.avi`, createReadStream(clip)]) {
      for await (const r of video.process(source, { size: [12, 16] })) {
        expect(r.index).toBe(0);
        break;
      }
      expect(runningToolProcesses()).toBe(0);
    }
    video.dispose();
  });

  it('refuses other URL schemes with OptionError and a missing camera with VideoError, before any session work', async () => {
    const video = await createVideoSession({ model, mode: 'dense', backend: ['reference'] });
    const collect = async (source: VideoSource, options = {}): Promise<unknown> => {
      for await (const r of video.process(source, options)) void r;
      return undefined;
    };
    const scheme = await collect('file:///etc/passwd').catch((e: unknown) => e);
    expect(OptionError.isInstance(scheme)).toBe(true);
    expect((scheme as Error).message).toMatch(/URL scheme 'file:' is not accepted as a video source; accepted: http\(s\):\/\//);
    const camera = await collect('/dev/video987').catch((e: unknown) => e);
    expect(VideoError.isInstance(camera)).toBe(true);
    expect((camera as Error).message).toMatch(/no V4L2 capture device at '\/dev\/video987'/);
    await expect(collect(clip, { frames: -1 })).rejects.toThrow(/frames must be an integer >= 0/);
    expect(video.session.stats().frames).toHaveLength(0);
    video.dispose();
  });
});

describe('layouts: an ONNX model (ppocr-det, NCHW in the file)', () => {
  it('a plain session takes and gives NCHW by default; a video session gives the same values NHWC on the frame grid', async () => {
    const ppocr = await loadModel((await ensureData('ppocr-det')).main);
    const size: [number, number] = [64, 96];
    const video = await createVideoSession({ model: ppocr, backend: ['reference'], ...modelInputMapping('ppocr-det') });
    const [result] = await (async () => {
      const out: VideoFrameResult[] = [];
      for await (const r of video.process(clip, { start: 10, frames: 1, size })) out.push(r);
      return out;
    })();
    const [name] = Object.keys(result!.outputs);
    const nhwc = result!.outputs[name!]!;
    expect(nhwc.shape).toEqual([1, 64, 96, 1]);

    const frames: RgbImage[] = [];
    for await (const f of streamVideoFrames(clip, await probeVideo(clip), { start: 10, count: 1, size })) frames.push(f);
    const input = frameToTensor(frames[0]!, { ...modelInputMapping('ppocr-det'), layout: 'nchw' });
    const session = await ppocr.createSession({ backend: ['reference'] });
    const inputName = ppocr.inputs[0]!.name;
    const nchw = (await session.run({ [inputName]: input }))[name!]!;
    expect(nchw.shape).toEqual([1, 1, 64, 96]);
    // One channel: NCHW and NHWC hold the same values in the same order.
    expect(nchw.data).toEqual(nhwc.data);
    // An NHWC feed to the default session is refused, saying how to pass NHWC.
    const wrong = await session.run({ [inputName]: frameToTensor(frames[0]!, modelInputMapping('ppocr-det')) }).catch((e: unknown) => e);
    expect((wrong as Error).message).toMatch(/accepts \[\?,3,\?,\?\] \(NCHW; \? is any size\)\. This looks like NHWC.*layout: 'nhwc'/);
    session.dispose();
    video.dispose();
  });
});
