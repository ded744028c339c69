import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockRunInfo, trailingRates } from '../src/block/block-figures.js';
import { blockSettingsFor } from '../src/block/block-settings.js';
import { EXIT_USAGE, runCli } from '../src/cli-main.js';
import { runVideo } from '../src/run-video.js';
import { summaryToJson, type SummaryJson } from '../src/summary-json.js';
import { renderSummaryTable } from '../src/summary-table.js';
import { bufferIo } from './buffer-io.js';

async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('--mode block', () => {
  it('runs the threshold policy on selfie and reports the rate against target, policy time and error figures', async () => {
    const summary = await runVideo({
      video: 'vtest',
      model: 'selfie',
      mode: 'block',
      block: { policy: 'threshold', targetRate: 0.5, blockSize: 64, seed: 1 },
      frames: 4,
      start: 200,
      samples: 2,
    });
    expect(summary.mode).toBe('block');
    expect(summary.threshold).toBeUndefined();
    // selfie takes 256x256 whatever --size: a 4x4 grid; the first frame executes all 16 blocks, the threshold policy 8 afterwards.
    expect(summary.perFrame.map((f) => f.block?.executedBlocks)).toEqual([16, 8, 8, 8]);
    const block = summary.block!;
    expect(block.meanRate).toBe(0.5);
    expect(block.lastRate).toBe(0.5);
    expect(block.rateWindowFrames).toBe(3);
    expect(block.policyShare).toBeGreaterThan(0);
    expect(block.policyShare).toBeLessThan(1);
    expect(summary.samples.at(-1)!.blockGrid!.executed.reduce((a, v) => a + v, 0)).toBe(8);
    const json = summaryToJson(summary);
    expect(json.block).toMatchObject({ policy: 'threshold', targetRate: 0.5, blockSize: 64, seed: 1, meanRate: 0.5, policyBackend: null });
    expect(json.block!.perFrame.executedFraction).toEqual([1, 0.5, 0.5, 0.5]);
    expect(json.block!.perFrame.trailingRate).toEqual([null, 0.5, 0.5, 0.5]);
    expect(json.psnrWindowFrames).toBe(4);
    expect(json.psnrP10).not.toBeUndefined();
    const table = renderSummaryTable(summary);
    expect(table).toContain('block (policy threshold, target 0.5, blocks 64 px, seed 1)');
    expect(table).toContain('executed fraction (last 3 frames)');
    expect(table).toContain('policy ms/frame');
  });

  it('motiondelta run --mode block --policy rl --json gives the block fields and a report with the rate chart', async () => {
    const out = await mkdtemp(join(tmpdir(), 'md-block-'));
    try {
      const { code, out: stdout } = await cli(
        'run',
        'vtest',
        '--model',
        'selfie',
        '--mode',
        'block',
        '--policy',
        'rl',
        '--target',
        '0.5',
        '--block-size',
        '64',
        '--seed',
        '3',
        '--size',
        '128x128',
        '--frames',
        '3',
        '--json',
        '--out',
        out,
      );
      expect(code).toBe(0);
      const json = JSON.parse(stdout) as SummaryJson;
      expect(json.mode).toBe('block');
      expect(json.block).toMatchObject({ policy: 'rl', targetRate: 0.5, blockSize: 64, seed: 3, rateWindowFrames: 2 });
      expect(json.block!.perFrame.executedFraction[0]).toBe(1);
      expect(json.block!.perFrame.totalBlocks).toEqual([16, 16, 16]);
      // The rl forward pass ran on one of the run's backends.
      expect(['cpu-native', 'reference']).toContain(json.block!.policyBackend);
      expect(json.block!.meanRate).toBeGreaterThan(0);
      const html = await readFile(join(out, 'report.html'), 'utf8');
      expect(html).toContain('chart-block-rate');
      expect(html).toContain('Blocks executed');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('refuses block options in other modes and a bad block size (exit 2)', async () => {
    expect(() => blockSettingsFor({ mode: 'delta', policy: 'rl' })).toThrow(/--policy applies to --mode block only/);
    expect(blockSettingsFor({ mode: 'block' })).toEqual({ policy: 'rl', targetRate: 0.4, blockSize: 128, seed: 1 });
    const size = await cli('run', 'vtest', '--model', 'selfie', '--mode', 'block', '--block-size', '0');
    expect(size.code).toBe(EXIT_USAGE);
    expect(size.err).toContain('--block-size');
    const policy = await cli('run', 'vtest', '--model', 'selfie', '--mode', 'block', '--policy', 'fastest');
    expect(policy.code).toBe(EXIT_USAGE);
    expect(policy.err).toContain('rl, threshold, random, all, none');
    const target = await cli('run', 'vtest', '--model', 'selfie', '--mode', 'block', '--target', '1.5');
    expect(target.code).toBe(EXIT_USAGE);
    const stray = await cli('run', 'vtest', '--model', 'selfie', '--target', '0.4', '--frames', '1');
    expect(stray.code).toBe(EXIT_USAGE);
    expect(stray.err).toContain('--target applies to --mode block only');
  });

  it('computes the rates without the first frame, over the trailing window', () => {
    const frames = [1, 0.5, 0.25].map((f) => ({ executedBlocks: f * 4, totalBlocks: 4, executedFraction: f, policyMs: 1 }));
    const info = blockRunInfo({ policy: 'random', targetRate: 0.4, blockSize: 64, seed: 1 }, frames, 6);
    expect(info.meanRate).toBe(0.375);
    expect(info.policyMs).toBe(1);
    expect(info.policyShare).toBe(0.5);
    expect(trailingRates([1, 0.5, 0.25, 0.75], 2)).toEqual([null, 0.5, 0.375, 0.5]);
  });
});
