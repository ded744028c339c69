import { OptionError } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { BENCH_POLICIES, BLOCK_CLIPS, BLOCK_MODELS, parseBlockBenchOptions } from '../src/block/block-options.js';
import { runBlockBench } from '../src/block/command.js';
import { blockMarkdownTable } from '../src/block/block-table.js';

describe('parseBlockBenchOptions', () => {
  it('fills in the defaults: the three models on both clips, every policy at 0.4, a delta sweep', () => {
    const options = parseBlockBenchOptions({}, 2);
    expect(options).toEqual({
      models: [...BLOCK_MODELS],
      clips: [...BLOCK_CLIPS],
      frames: 40,
      warmup: 5,
      start: 0,
      size: 256,
      blockSize: 64,
      target: 0.4,
      policies: [...BENCH_POLICIES],
      thresholds: [4, 16, 48],
      policyPixels: 8,
      seed: 1,
      backend: 'cpu-native',
      threads: 2,
      markdown: false,
    });
  });

  it('parses what is given and refuses what it cannot take, naming what it accepts', () => {
    const options = parseBlockBenchOptions(
      {
        models: 'posenet',
        clips: 'cube',
        frames: '12',
        warmup: '2',
        target: '0.25',
        policies: 'rl,random',
        thresholds: '8,2,8',
        policyPixels: '16',
      },
      2,
    );
    expect(options).toMatchObject({
      models: ['posenet'],
      clips: ['cube'],
      frames: 12,
      warmup: 2,
      target: 0.25,
      thresholds: [2, 8],
      policyPixels: 16,
    });
    expect(() => parseBlockBenchOptions({ models: 'resnet' }, 2)).toThrow(/accepted: selfie, ppocr-det, posenet/);
    expect(() => parseBlockBenchOptions({ policies: 'fast' }, 2)).toThrow(OptionError);
    expect(() => parseBlockBenchOptions({ target: '0' }, 2)).toThrow(/--target: expected a fraction in \(0, 1\]/);
    expect(() => parseBlockBenchOptions({ frames: '4', warmup: '3' }, 2)).toThrow(/leaves no steady frame/);
    expect(() => parseBlockBenchOptions({ policyPixels: '12' }, 2)).toThrow(/8, 16 or 32/);
  });
});

describe('runBlockBench', () => {
  it('runs dense, block per policy and delta on the same frames and reports rates and ratios against dense', async () => {
    const options = parseBlockBenchOptions(
      {
        models: 'selfie',
        clips: 'vtest',
        frames: '4',
        warmup: '1',
        policies: 'random,threshold',
        thresholds: '16',
        blockSize: '128',
        threads: '2',
      },
      2,
    );
    const report = await runBlockBench(options, 'test');
    expect(report.rows.map((r) => r.run)).toEqual([
      { mode: 'dense' },
      { mode: 'block', policy: 'random' },
      { mode: 'block', policy: 'threshold' },
      { mode: 'delta', threshold: 16 },
    ]);
    const [dense, random, threshold] = report.rows;
    expect(dense!.speedVsDense).toBe(1);
    expect(dense!.psnrDb).toBeNull();
    // A 2x2 grid at 0.4, rounded up to a sixteenth of the grid: 2 blocks on each steady frame.
    expect(threshold!.executedRate).toBe(0.5);
    expect(random!.executedRate).toBeGreaterThan(0);
    expect(random!.macsRatio).toBeLessThan(1);
    expect(blockMarkdownTable(report.rows)).toContain('| selfie | vtest | 256x256 | block/threshold |');
  });
});
