import { VideoError } from '@motiondelta/core';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVideo } from '../src/open-video.js';
import { killToolProcesses, runningToolProcesses } from '../src/tool-processes.js';
import { clipPaths } from './clips.js';
import { exitsWithin, liveDescendants, procEntry } from './proc-table.js';
import { writeTinyClip } from './tiny-clip.js';

// The built package, for the test that needs a process of its own to exit.
const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');

let dir: string;
let vtest: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'md-video-procs-'));
  vtest = (await clipPaths()).vtest;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** ffmpeg processes that are live children of this test process. */
function ffmpegChildren(): number[] {
  return liveDescendants(process.pid)
    .filter((p) => p.ppid === process.pid && p.comm === 'ffmpeg')
    .map((p) => p.pid);
}

describe('no ffmpeg outlives its reader', () => {
  it('an error thrown in the loop body stops ffmpeg', async () => {
    const reader = await openVideo(vtest, { resize: { width: 96, height: 72 } });
    const thrown = await (async () => {
      for await (const frame of reader) {
        expect(ffmpegChildren()).toHaveLength(1);
        throw new Error(`consumer failed at frame ${frame.index}`);
      }
    })().catch((e: unknown) => e as Error);
    expect(thrown?.message).toBe('consumer failed at frame 0');
    expect(ffmpegChildren()).toEqual([]);
    expect(runningToolProcesses()).toBe(0);
  });

  it('killToolProcesses stops a running decoder; its reader then reports a VideoError', async () => {
    const reader = await openVideo(vtest, { resize: { width: 96, height: 72 } });
    const frames = reader[Symbol.asyncIterator]();
    expect((await frames.next()).done).toBe(false);
    const [pid] = ffmpegChildren();
    expect(pid).toBeDefined();
    expect(killToolProcesses()).toBe(1);
    const error = await (async () => {
      for (;;) if ((await frames.next()).done) return undefined;
    })().catch((e: unknown) => e);
    expect(VideoError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('SIGKILL');
    expect(procEntry(pid!)).toBeUndefined();
    expect(runningToolProcesses()).toBe(0);
  });

  it('process.exit() with a decoder that writes nothing (it would never see the closed pipe) leaves no process behind', async () => {
    // A "decoder" that never writes: without the exit hook it would outlive its parent by 10 minutes.
    const hanging = join(dir, 'hanging-ffmpeg');
    writeFileSync(hanging, '#!/bin/sh\nexec sleep 600\n');
    chmodSync(hanging, 0o755);
    const clip = writeTinyClip(join(dir, 'clip.avi'), 16, 12, 2);
    const script = [
      `import { openVideo } from ${JSON.stringify(pathToFileURL(DIST).href)};`,
      `await openVideo(${JSON.stringify(clip)}, { ffmpegPath: ${JSON.stringify(hanging)} });`,
      `process.stdout.write('ready\\n');`,
      `process.stdin.once('data', () => process.exit(0));`,
    ].join('\n');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.on('exit', () => reject(new Error('the script exited before opening the video')));
    });
    // The stand-in is a shell script that execs sleep: on a loaded machine the exec may not have
    // happened yet when the script says it is ready, so wait for it (the process is the same).
    let decoders = liveDescendants(child.pid!).filter((p) => p.ppid === child.pid);
    for (let waited = 0; decoders[0]?.comm !== 'sleep' && waited < 10_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      decoders = liveDescendants(child.pid!).filter((p) => p.ppid === child.pid);
    }
    expect(decoders.map((p) => p.comm)).toEqual(['sleep']);
    const decoder = decoders[0]!.pid;
    try {
      child.stdin.write('exit\n');
      expect(await exited).toBe(0);
      expect(await exitsWithin(decoder, 10_000)).toBe(true);
    } finally {
      // Only if the test failed: do not leave the stand-in running for ten minutes.
      if (procEntry(decoder)?.comm === 'sleep') process.kill(decoder, 'SIGKILL');
    }
  });
});
