import { OptionError, VideoError } from '@motiondelta/core';
import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVideo } from '../src/open-video.js';
import { probeVideo } from '../src/probe-video.js';
import { readImage } from '../src/read-image.js';
import { createVideoWriter } from '../src/video-writer.js';
import { clipPaths } from './clips.js';
import { nodeAsUnprivilegedUser } from './unprivileged.js';

let dir: string;
let clips: { vtest: string; cube: string };

/** The first `bytes` bytes of `source`, as a truncated download would leave them. */
async function truncatedCopy(source: string, bytes: number, name: string): Promise<string> {
  const target = join(dir, name);
  await copyFile(source, target);
  const handle = await open(target, 'r+');
  await handle.truncate(bytes);
  await handle.close();
  return target;
}

async function drain(path: string, options: Parameters<typeof openVideo>[1] = {}): Promise<number> {
  let n = 0;
  for await (const _frame of await openVideo(path, options)) n += 1;
  return n;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'md-video-err-'));
  clips = await clipPaths();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('video-io errors', () => {
  it('says how to install ffmpeg when the binary is missing (option or environment)', async () => {
    const info = await probeVideo(clips.cube);
    const missing = await drain(clips.cube, { info, ffmpegPath: '/nonexistent/ffmpeg' }).catch((e: unknown) => e);
    expect(VideoError.isInstance(missing)).toBe(true);
    expect((missing as Error).message).toMatch(/ffmpeg could not be started from '\/nonexistent\/ffmpeg'.*apt-get install ffmpeg/);

    process.env['MOTIONDELTA_FFPROBE'] = '/nonexistent/ffprobe';
    try {
      await expect(probeVideo(clips.cube)).rejects.toThrow(/ffprobe could not be started.*apt-get install ffmpeg.*MOTIONDELTA_FFPROBE/);
    } finally {
      delete process.env['MOTIONDELTA_FFPROBE'];
    }
    await expect(createVideoWriter(join(dir, 'x.mp4'), { width: 4, height: 4, fps: 1, ffmpegPath: '/nonexistent/ffmpeg' })).rejects.toThrow(
      VideoError,
    );
  });

  it('names a missing file', async () => {
    await expect(probeVideo(join(dir, 'nope.avi'))).rejects.toThrow(/Video file not found: '.*nope\.avi'/);
    await expect(readImage(join(dir, 'nope.png'))).rejects.toThrow(/Image file not found/);
  });

  it('refuses a directory, a FIFO, a device and an empty file by what they are, before ffprobe runs', async () => {
    const folder = join(dir, 'folder.avi');
    await mkdir(folder);
    const fifo = join(dir, 'fifo.avi');
    execFileSync('mkfifo', [fifo]);
    const empty = join(dir, 'empty.avi');
    await writeFile(empty, '');
    await expect(probeVideo(folder)).rejects.toThrow(/Video path '.*folder\.avi' is a directory, not a video file/);
    await expect(probeVideo(fifo)).rejects.toThrow(/is a FIFO \(named pipe\), not a video file/);
    await expect(probeVideo('/dev/zero')).rejects.toThrow(/is a device, not a video file/);
    await expect(probeVideo(empty)).rejects.toThrow(/is empty \(0 bytes\)/);
    await expect(readImage(folder)).rejects.toThrow(/Image path .* is a directory, not an image file/);
    // With a caller's info too: ffmpeg would otherwise wait on the FIFO for a writer forever.
    const info = await probeVideo(clips.cube);
    await expect(openVideo(fifo, { info })).rejects.toThrow(VideoError);
  });

  it('refuses a file it may not read (permission denied)', async () => {
    // Checked in a child process as an unprivileged user (root could read the file anyway),
    // through the built package, as a user would call it.
    const shared = await mkdtemp(join(tmpdir(), 'motiondelta-perm-'));
    try {
      await chmod(shared, 0o755);
      const locked = join(shared, 'locked.avi');
      await copyFile(clips.cube, locked);
      await chmod(locked, 0o000);
      const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
      const script = `import(${JSON.stringify(entry)}).then((m) => m.probeVideo(${JSON.stringify(locked)})).then(() => console.log('read it'), (e) => console.log(e.name + ': ' + e.message));`;
      const { stdout } = nodeAsUnprivilegedUser(['--input-type=module', '-e', script]);
      expect(stdout).toMatch(/^VideoError: .*locked\.avi' cannot be read \(permission denied\)/);
    } finally {
      await rm(shared, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not a video', async () => {
    const text = join(dir, 'notes.avi');
    await writeFile(text, 'this is a text file, not a video\n'.repeat(20));
    const error = await probeVideo(text).catch((e: unknown) => e);
    expect(VideoError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/ffprobe cannot read '.*notes\.avi' as a video.*Invalid data/s);
  });

  it('reports a truncated AVI after the frames that did decode', async () => {
    const path = await truncatedCopy(clips.vtest, 1_000_000, 'vtest-truncated.avi');
    let decoded = 0;
    const error = await (async () => {
      for await (const _frame of await openVideo(path, { resize: { width: 96, height: 72 } })) decoded += 1;
    })().catch((e: unknown) => e);
    expect(VideoError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/truncated or corrupt/);
    expect(decoded).toBeGreaterThan(0);
    expect(decoded).toBeLessThan(795);
  });

  it('reports a truncated MPEG stream (no frame count in the container)', async () => {
    const path = await truncatedCopy(clips.cube, 200_000, 'cube-truncated.mpeg');
    await expect(drain(path, { resize: { width: 96, height: 72 } })).rejects.toThrow(VideoError);
  });

  it('rejects invalid options with OptionError', async () => {
    const info = await probeVideo(clips.cube);
    await expect(openVideo(clips.cube, { info, crop: { x: 300, y: 0, width: 100, height: 10 } })).rejects.toThrow(
      /crop .* lies outside the 384x288 frame/,
    );
    await expect(openVideo(clips.cube, { info, start: 79 })).rejects.toThrow(OptionError);
    await expect(openVideo(clips.cube, { info, count: 0 })).rejects.toThrow(OptionError);
    await expect(openVideo(clips.cube, { info, resize: { width: 0, height: 10 } })).rejects.toThrow(OptionError);
  });
});
