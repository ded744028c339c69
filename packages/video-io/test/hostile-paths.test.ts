import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVideo } from '../src/open-video.js';
import { writePng, writePngSequence } from '../src/png-writer.js';
import { probeVideo } from '../src/probe-video.js';
import { readImage } from '../src/read-image.js';
import type { Frame } from '../src/types.js';
import { createVideoWriter } from '../src/video-writer.js';
import { loggedCalls, writeTinyClip, writeToolWrapper } from './tiny-clip.js';

/**
 * File names ffmpeg would read as something else if given bare: options, protocols, and the
 * characters a shell would act on. Each is a relative path, resolved against the working folder
 * (the hostile case: a bare `-report` or `pipe:0` on the command line).
 */
const HOSTILE_NAMES = [
  '-report', // an option: logging to a report file in the working folder
  '-version', // an option: prints the version, exits 0
  'pipe:0', // the pipe protocol: reads stdin
  'concat:decoy.avi|decoy.avi', // the concat protocol: reads other files
  'subfile,,start,0,end,0,,:decoy.avi', // the subfile protocol: reads another file
  'http://127.0.0.1:9/clip.avi', // a network URL (here folders 'http:' and '127.0.0.1:9')
  'a b:c|d;e$f"g\'h`i&.avi', // a shell would split, pipe, substitute and background
  'new\nline.avi',
  '-i.avi',
] as const;

const CLIP = { width: 16, height: 12, frames: 2 };

let dir: string;
let cwd: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'md-video-hostile-'));
  cwd = process.cwd();
  // A decoy of another size: a name read as a protocol would pick this up instead.
  writeTinyClip(join(dir, 'decoy.avi'), 32, 24, 3);
  const clip = writeTinyClip(join(dir, 'clip.avi'), CLIP.width, CLIP.height, CLIP.frames);
  for (const name of HOSTILE_NAMES) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    copyFileSync(clip, join(dir, name));
  }
  process.chdir(dir);
});

afterAll(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

async function collect(reader: AsyncIterable<Frame>): Promise<Frame[]> {
  const frames: Frame[] = [];
  for await (const frame of reader) frames.push(frame);
  return frames;
}

describe('file names are never read as ffmpeg options or protocols', () => {
  it.each(HOSTILE_NAMES)('probeVideo and openVideo read the file named %j itself', async (name) => {
    const info = await probeVideo(name);
    expect(info).toMatchObject({ width: CLIP.width, height: CLIP.height, frameCount: CLIP.frames });
    const frames = await collect(await openVideo(name));
    expect(frames.map((f) => [f.index, f.width, f.height])).toEqual([
      [0, CLIP.width, CLIP.height],
      [1, CLIP.width, CLIP.height],
    ]);
  });

  it('hands ffprobe and ffmpeg a file: URL of the absolute path', async () => {
    const log = join(dir, 'calls.log');
    const ffprobePath = writeToolWrapper(dir, 'ffprobe-wrapper', log, 'exec ffprobe "$@"');
    const ffmpegPath = writeToolWrapper(dir, 'ffmpeg-wrapper', log, 'exec ffmpeg "$@"');
    await collect(await openVideo('-report', { ffprobePath, ffmpegPath }));
    const calls = loggedCalls(log);
    expect(calls).toHaveLength(2);
    for (const args of calls) {
      expect(args).toContain(`file:${join(dir, '-report')}`);
      expect(args).not.toContain('-report');
    }
  });

  it('no name turned logging on (ffmpeg -report writes <program>-<date>.log in the working folder)', () => {
    expect(readdirSync(dir).filter((name) => /^ff(mpeg|probe)-.*\.log$/.test(name))).toEqual([]);
  });

  it.each(['-report.png', 'pipe:1.png', 'x|y;$z\n.png'])('writePng writes the file named %j, and readImage reads it back', async (name) => {
    const image = { width: 3, height: 2, data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 8, 7, 6, 5, 4, 3, 2, 1]) };
    await writePng(name, image);
    expect(existsSync(join(dir, name))).toBe(true);
    const back = await readImage(name);
    expect(back).toEqual(image);
  });

  it('createVideoWriter writes the file named pipe:1.mp4, not to its stdout', async () => {
    const frame = new Uint8Array(16 * 16 * 3).fill(128);
    const writer = await createVideoWriter('pipe:1.mp4', { width: 16, height: 16, fps: 5 });
    await writer.write(frame);
    await writer.write(frame);
    await writer.close();
    expect(await probeVideo('pipe:1.mp4')).toMatchObject({ width: 16, height: 16, frameCount: 2 });
  });

  it('writePngSequence takes a % in the folder name literally', async () => {
    mkdirSync(join(dir, '50%d off'));
    const sink = writePngSequence('50%d off', 'frame-%03d.png', { width: 2, height: 2 });
    await sink.write(new Uint8Array(12));
    await sink.write(new Uint8Array(12));
    await sink.close();
    expect(readdirSync(join(dir, '50%d off')).sort()).toEqual(['frame-000.png', 'frame-001.png']);
  });
});
