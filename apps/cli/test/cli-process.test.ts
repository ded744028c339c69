import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built binary, so a broken bin entry or bundle cannot hide behind the sources.
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

function motiondelta(args: string[], input?: Buffer) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, ...(input && { input }) });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('the built motiondelta binary', () => {
  it('--json prints one JSON object and nothing else; progress is plain lines on a non-TTY stderr', () => {
    const out = mkdtempSync(join(tmpdir(), 'motiondelta-cli-'));
    const {
      code,
      out: stdout,
      err,
    } = motiondelta(['run', 'vtest', '--model', 'selfie', '--frames', '2', '--start', '50', '--out', out, '--json']);
    expect(err).toContain('frame 1/2 (index 50): dense');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(json).toMatchObject({ frames: 2, mode: 'dense', psnr: null, exact: true, maxAbsError: 0 });
    // The default backend list is cpu-native where it is built, then reference.
    expect(['cpu-native', 'reference']).toContain(json.backend);
    expect(json.perFrame.index).toEqual([50, 51]);
    expect(err.split('\n').filter((l) => l.startsWith('frame '))).toEqual([
      expect.stringMatching(/^frame 1\/2 /),
      expect.stringMatching(/^frame 2\/2 /),
    ]);
    expect(err.includes('\r') || err.includes('\u001b')).toBe(false);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });

  it("reads the video piped to stdin with '-': the same frames as the file", async () => {
    const { ensureData } = await import('@motiondelta/data');
    const clip = (await ensureData('vtest')).main;
    const args = [
      '--model',
      'esrgan-x2',
      '--size',
      '24x32',
      '--mode',
      'delta',
      '--threshold',
      '0.05',
      '--frames',
      '3',
      '--start',
      '20',
      '--json',
    ];
    const fromFile = motiondelta(['run', clip, ...args, '--out', mkdtempSync(join(tmpdir(), 'motiondelta-cli-'))]);
    const fromStdin = motiondelta(['run', '-', ...args, '--out', mkdtempSync(join(tmpdir(), 'motiondelta-cli-'))], readFileSync(clip));
    expect(fromStdin.code, fromStdin.err).toBe(0);
    const [a, b] = [JSON.parse(fromFile.out), JSON.parse(fromStdin.out)];
    expect(b.perFrame.index).toEqual([20, 21, 22]);
    // The work delta mode did on each frame follows the frame's pixels: the same frames give the same MACs.
    expect(b.perFrame.macs).toEqual(a.perFrame.macs);
    expect(b.maxAbsError).toBe(a.maxAbsError);
  });

  it('a usage error exits 2 with one message and no stack trace', () => {
    const { code, err, out } = motiondelta(['run', 'vtest', '--model', 'nope']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain("Unknown model 'nope'");
    expect(err).not.toMatch(/\n\s+at /);
  });
});
