import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built binary, so a broken bin entry or bundle cannot hide behind the sources.
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

function motiondelta(args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
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

  it('a usage error exits 2 with one message and no stack trace', () => {
    const { code, err, out } = motiondelta(['run', 'vtest', '--model', 'nope']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain("Unknown model 'nope'");
    expect(err).not.toMatch(/\n\s+at /);
  });
});
