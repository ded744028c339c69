import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// /proc helpers shared with the video-io tests (one definition of the fixture).
import { exitsWithin, liveDescendants, procEntry } from '../../../packages/video-io/test/proc-table.js';

// The built binary: signal handling lives in its entry point, not in runCli.
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'motiondelta-signals-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Interrupted {
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly stderr: string;
  /** Pids of the command's tool processes (ffmpeg, or the stand-in) alive when the signal went. */
  readonly tools: readonly number[];
}

/**
 * Starts the command, waits until stderr shows `ready`, sends `signal`, and waits for the command
 * to end. `tool` names the child process that must be running at that moment.
 */
async function interrupt(
  args: readonly string[],
  ready: string,
  signal: NodeJS.Signals,
  tool: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Interrupted> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, sig) => resolve({ code, signal: sig })),
  );
  // 'close' comes once stderr is read to its end, which may be before or after 'exit'.
  const closed = new Promise((resolve) => child.on('close', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(ready)) resolve();
    });
    void ended.then(() => reject(new Error(`the command ended before '${ready}':\n${stderr}`)));
  });
  // The tool may not be running under its name yet (a stand-in script still before its exec, on a
  // loaded machine): wait for it, up to 10 s, so the signal goes when it is really there.
  const toolPids = (): number[] =>
    liveDescendants(child.pid!)
      .filter((p) => p.ppid === child.pid && p.comm === tool)
      .map((p) => p.pid);
  let tools = toolPids();
  for (let waited = 0; tools.length === 0 && waited < 10_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    tools = toolPids();
  }
  child.kill(signal);
  const exit = await ended;
  await closed;
  return { ...exit, stderr, tools };
}

describe('a signal stops the command and every ffmpeg it started', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s mid-run on a real clip: the ffmpeg decoder is gone, the command ends by the signal',
    async (signal) => {
      const out = join(dir, `report-${signal}`);
      const run = await interrupt(
        ['run', 'vtest', '--model', 'esrgan-x2', '--size', '16x24', '--frames', '700', '--out', out],
        'frame 1/700',
        signal,
        'ffmpeg',
      );
      expect(run.tools).toHaveLength(1);
      expect(run.signal).toBe(signal);
      expect(run.stderr).toContain(`motiondelta: interrupted by ${signal} (stopped 1 ffmpeg process); no report written.`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(await exitsWithin(run.tools[0]!, 10_000)).toBe(true);
      expect(existsSync(join(out, 'report.html'))).toBe(false);
    },
  );

  it('SIGINT while the decoder writes nothing (so it would never see the closed pipe): it is killed, not left running', async () => {
    // Decodes for real, then holds its stdout open without writing, like an ffmpeg busy skipping frames.
    const stalling = join(dir, 'stalling-ffmpeg');
    writeFileSync(stalling, '#!/bin/sh\nffmpeg "$@"\nexec sleep 600\n');
    chmodSync(stalling, 0o755);
    const run = await interrupt(
      ['run', 'vtest', '--model', 'esrgan-x2', '--size', '16x24', '--frames', '2', '--out', join(dir, 'stalled')],
      'frame 2/2',
      'SIGINT',
      'sleep',
      { MOTIONDELTA_FFMPEG: stalling },
    );
    try {
      expect(run.tools).toHaveLength(1);
      expect(run.signal).toBe('SIGINT');
      expect(await exitsWithin(run.tools[0]!, 10_000)).toBe(true);
    } finally {
      // Only if the test failed: do not leave the stand-in running for ten minutes.
      for (const pid of run.tools) if (procEntry(pid)?.comm === 'sleep') process.kill(pid, 'SIGKILL');
    }
  });
});
