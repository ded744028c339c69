import { OptionError } from '@motiondelta/core';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVideo } from '../src/open-video.js';
import { writePng, writePngSequence } from '../src/png-writer.js';
import { probeVideo } from '../src/probe-video.js';
import { readImage } from '../src/read-image.js';
import type { Frame } from '../src/types.js';
import { createVideoWriter } from '../src/video-writer.js';
import { clipPaths } from './clips.js';

let dir: string;
let frames: Frame[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'md-video-io-'));
  const { cube } = await clipPaths();
  frames = [];
  for await (const frame of await openVideo(cube, { start: 30, count: 8 })) frames.push(frame);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

describe('createVideoWriter', () => {
  it('writes an mp4 that reads back with the same size, count and close pixels', async () => {
    const path = join(dir, 'cube.mp4');
    const writer = await createVideoWriter(path, { width: 384, height: 288, fps: 25 });
    for (const frame of frames) await writer.write(frame.data);
    await writer.close();
    expect(writer.framesWritten).toBe(8);

    const info = await probeVideo(path);
    expect(info).toMatchObject({ width: 384, height: 288, frameCount: 8, fps: 25 });
    const back: Frame[] = [];
    for await (const frame of await openVideo(path, { info })) back.push(frame);
    expect(back.length).toBe(8);
    // Lossy (yuv420p, CRF 18), but close: a few grey levels on average.
    for (let i = 0; i < 8; i++) expect(meanAbsDiff(back[i]!.data, frames[i]!.data)).toBeLessThan(4);
  });

  it('rejects odd sizes and frames of the wrong length', async () => {
    await expect(createVideoWriter(join(dir, 'odd.mp4'), { width: 383, height: 288, fps: 25 })).rejects.toThrow(OptionError);
    const writer = await createVideoWriter(join(dir, 'short.mp4'), { width: 64, height: 64, fps: 10 });
    await expect(writer.write(new Uint8Array(10))).rejects.toThrow(/needs 12288 bytes/);
    await writer.write(new Uint8Array(64 * 64 * 3));
    await writer.close();
  });
});

describe('PNG', () => {
  it('round-trips a frame exactly', async () => {
    const path = join(dir, 'frame.png');
    await writePng(path, frames[0]!);
    const image = await readImage(path);
    expect([image.width, image.height]).toEqual([384, 288]);
    expect(Buffer.from(image.data).equals(Buffer.from(frames[0]!.data))).toBe(true);
  });

  it('writes a numbered sequence that reads back exactly', async () => {
    const sink = writePngSequence(dir, 'seq-%03d.png', { width: 384, height: 288, startNumber: 1 });
    for (const frame of frames.slice(0, 3)) await sink.write(frame);
    await sink.close();
    expect((await readdir(dir)).filter((name) => name.startsWith('seq-')).sort()).toEqual(['seq-001.png', 'seq-002.png', 'seq-003.png']);
    const third = await readImage(join(dir, 'seq-003.png'));
    expect(Buffer.from(third.data).equals(Buffer.from(frames[2]!.data))).toBe(true);
  });

  it('rejects a sequence pattern without a number', () => {
    expect(() => writePngSequence(dir, 'frame.png', { width: 4, height: 4 })).toThrow(OptionError);
  });
});
