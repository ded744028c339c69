import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfile } from '@motiondelta/graph-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE, runCli } from '../src/cli-main.js';
import { targetFromOptions } from '../src/calibrate-command.js';
import { bufferIo } from './buffer-io.js';

async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('motiondelta calibrate: argument validation (exit 2, one message)', () => {
  it('needs exactly one target', async () => {
    const none = await cli('calibrate', 'vtest', '--model', 'esrgan-x2', '--out', '/tmp/never.json', '--frames', '2');
    expect(none.code).toBe(EXIT_USAGE);
    expect(none.err).toContain('Give exactly one target');
    const two = await cli('calibrate', 'vtest', '--model', 'esrgan-x2', '--out', '/tmp/never.json', '--psnr', '40', '--max-abs-error', '1');
    expect(two.code).toBe(EXIT_USAGE);
    expect(two.err).toContain('(got 2)');
    expect(two.err).not.toMatch(/\n\s+at /);
  });

  it.each([
    [['--psnr', '0'], 'PSNR in dB > 0'],
    [['--psnr', 'abc'], 'PSNR in dB > 0'],
    [['--argmax-agreement', '1.5', '--output', 'y'], 'fraction from 0 to 1'],
    [['--max-abs-error', '-1'], 'finite number >= 0'],
    [['--psnr', '40', '--input-ratios', '1,0'], 'numbers > 0 separated by commas'],
  ])('rejects %j', async (args, message) => {
    const { code, err } = await cli('calibrate', 'vtest', '--model', 'esrgan-x2', '--out', '/tmp/never.json', ...args);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain(message);
  });

  it('pairs --argmax-agreement with --output, and --output with nothing else', () => {
    expect(() => targetFromOptions({ argmaxAgreement: 0.99 })).toThrow(/needs --output/);
    expect(() => targetFromOptions({ psnr: 40, output: 'y' })).toThrow(/--output goes with --argmax-agreement only/);
    expect(targetFromOptions({ argmaxAgreement: 0.99, output: 'y' })).toEqual({ argmaxAgreement: 0.99, output: 'y' });
    expect(targetFromOptions({ maxAbsError: 0 })).toEqual({ maxAbsError: 0 });
  });

  it('needs --out and --model, at least 2 frames, and an output the model has', async () => {
    expect((await cli('calibrate', 'vtest', '--model', 'esrgan-x2', '--psnr', '40')).code).toBe(EXIT_USAGE);
    const one = await cli('calibrate', 'vtest', '--model', 'esrgan-x2', '--psnr', '40', '--frames', '1', '--out', '/tmp/never.json');
    expect(one.code).toBe(EXIT_USAGE);
    expect(one.err).toContain('at least 2');
    const output = await cli(
      'calibrate',
      'vtest',
      '--model',
      'esrgan-x2',
      '--size',
      '16x24',
      '--frames',
      '2',
      '--argmax-agreement',
      '0.9',
      '--output',
      'nope',
      '--out',
      '/tmp/never.json',
    );
    expect(output.code).toBe(EXIT_USAGE);
    expect(output.err).toContain("'nope' is not an output");
  });
});

describe('motiondelta calibrate, then run --profile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'calibrate-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('calibrates esrgan-x2 at 16x24 on 4 vtest frames, writes the profile, and run uses it', async () => {
    const out = join(dir, 'esrgan.json');
    const calibrated = await cli(
      'calibrate',
      'vtest',
      '--model',
      'esrgan-x2',
      '--size',
      '16x24',
      '--frames',
      '4',
      '--start',
      '100',
      '--psnr',
      '40',
      '--steps',
      '3',
      '--out',
      out,
    );
    expect(calibrated.err).toBe('');
    expect(calibrated.code).toBe(EXIT_OK);
    expect(calibrated.out).toContain('calibrating esrgan-x2 on vtest frames 100..103 at 16x24');
    expect(calibrated.out).toMatch(/threshold [\d.e-]+ \(input [\d.e-]+\): PSNR .* MACs done\/dense [\d.]+ -> (meets|misses)/);
    expect(calibrated.out).toMatch(/chosen: threshold [\d.e-]+/);
    const profile = await loadProfile(out);
    expect(profile.model).toBe('esrgan-x2');
    expect(profile.target).toEqual({ psnr: 40 });
    expect(profile.frames).toBe(4);
    if (profile.achieved.psnr !== null) expect(profile.achieved.psnr).toBeGreaterThanOrEqual(40);

    const run = await cli(
      'run',
      'vtest',
      '--model',
      'esrgan-x2',
      '--size',
      '16x24',
      '--frames',
      '4',
      '--start',
      '100',
      '--mode',
      'delta',
      '--profile',
      out,
      '--json',
      '--out',
      join(dir, 'report'),
    );
    expect(run.code).toBe(EXIT_OK);
    const summary = JSON.parse(run.out) as { threshold: number; inputThreshold: number; perFrame: { psnr: (number | null)[] } };
    expect(summary.threshold).toBe(profile.threshold);
    expect(summary.inputThreshold).toBe(profile.inputThreshold);
    // The same frames as the calibration: the target holds on every frame after the first.
    for (const p of summary.perFrame.psnr.slice(1)) if (p !== null) expect(p).toBeGreaterThanOrEqual(40);
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(profile);

    // The profile records what it was calibrated for; elsewhere it is refused before any frame runs.
    expect(profile.inputShapes).toEqual({ LR: [1, 16, 24, 3] });
    expect(profile.preprocessing).toEqual({ scale: 1, offset: 0 });
    const elsewhere = (...args: string[]) => cli('run', 'vtest', '--frames', '2', '--mode', 'delta', '--profile', out, ...args);
    const otherSize = await elsewhere('--model', 'esrgan-x2', '--size', '32x48');
    expect(otherSize.code).toBe(EXIT_USAGE);
    expect(otherSize.err).toContain(
      `Threshold profile '${out}' does not fit: input 'LR' was [1, 16, 24, 3] at calibration, [1, 32, 48, 3] here`,
    );
    const otherModel = await elsewhere('--model', 'selfie');
    expect(otherModel.code).toBe(EXIT_USAGE);
    expect(otherModel.err).toContain('calibrated for another model (esrgan-x2, sha256:');
  });

  it('refuses --profile in dense mode, or together with thresholds', async () => {
    const dense = await cli('run', 'vtest', '--model', 'selfie', '--profile', 'p.json');
    expect(dense.code).toBe(EXIT_USAGE);
    expect(dense.err).toContain('use it with --mode delta');
    const both = await cli('run', 'vtest', '--model', 'selfie', '--mode', 'delta', '--profile', 'p.json', '--threshold', '0.1');
    expect(both.code).toBe(EXIT_USAGE);
    expect(both.err).toContain('either --profile or --threshold');
    const missing = await cli('run', 'vtest', '--model', 'selfie', '--mode', 'delta', '--profile', join(dir, 'missing.json'));
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.err).toContain('missing.json');
  });
});
