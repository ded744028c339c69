import { OptionError } from '@motiondelta/core';
import { MODEL_IDS } from '@motiondelta/data';
import { describe, expect, it } from 'vitest';
import { parseModelsBenchOptions, parseSize } from '../src/models/bench-options.js';
import { MODEL_BENCH_DEFAULTS, benchInputSize } from '../src/models/model-defaults.js';
import { buildSessionOptions } from '../src/models/session-options.js';
import { sessionConfigs } from '../src/models/run-models-bench.js';

describe('parseModelsBenchOptions', () => {
  it('fills in the defaults: every model on vtest, dense on the cpu-native backend', () => {
    const options = parseModelsBenchOptions({}, 2);
    expect(options).toEqual({
      models: [...MODEL_IDS],
      clips: ['vtest'],
      start: 0,
      iterations: 1,
      modes: ['dense'],
      backends: ['cpu-native'],
      threads: 2,
      tfjsCpu: false,
      markdown: false,
    });
  });

  it('parses every option given', () => {
    const options = parseModelsBenchOptions(
      {
        models: 'selfie, posenet',
        clip: 'cube',
        frames: '3',
        warmup: '0',
        iterations: '2',
        modes: 'dense,delta',
        backends: 'reference',
        threads: '4',
        size: '288x384',
        threshold: '0.05',
        inputThreshold: '0.1',
        tfjsCpu: true,
        json: 'out.json',
        markdown: true,
      },
      2,
    );
    expect(options).toMatchObject({
      models: ['selfie', 'posenet'],
      clips: ['cube'],
      frames: 3,
      warmup: 0,
      iterations: 2,
      modes: ['dense', 'delta'],
      threads: 4,
      size: [288, 384],
      threshold: 0.05,
      inputThreshold: 0.1,
      tfjsCpu: true,
      json: 'out.json',
      markdown: true,
    });
  });

  it('names the option and what it accepts when a value is wrong', () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ models: 'resnet' }, /--models: unknown value 'resnet'; accepted: esrgan-x2, posenet, selfie, ppocr-det/],
      [{ clip: 'street' }, /--clip: unknown value 'street'; accepted: vtest, cube/],
      [{ modes: 'motion' }, /--modes: unknown value 'motion'; accepted: dense, delta/],
      [{ frames: '0' }, /--frames must be an integer >= 1, got '0'/],
      [{ frames: '2.5' }, /--frames must be an integer/],
      [{ warmup: '-1' }, /--warmup must be an integer >= 0/],
      [{ threads: 'two' }, /--threads must be an integer >= 1/],
      [{ size: '64' }, /--size must be HxW/],
      [{ threshold: '-0.1' }, /--threshold must be a number >= 0/],
      [{ backends: ' , ' }, /--backends needs at least one value/],
    ];
    for (const [raw, message] of bad) {
      expect(() => parseModelsBenchOptions(raw, 2)).toThrow(OptionError);
      expect(() => parseModelsBenchOptions(raw, 2)).toThrow(message);
    }
  });

  it('reads sizes as height x width', () => {
    expect(parseSize('576x768')).toEqual([576, 768]);
    expect(parseSize(' 32X64 ')).toEqual([32, 64]);
    expect(() => parseSize('0x64')).toThrow(OptionError);
  });
});

describe('per-model defaults', () => {
  it('uses full frames except where the reference backend makes that impractical', () => {
    expect(benchInputSize('ppocr-det', [576, 768])).toEqual([576, 768]);
    expect(benchInputSize('esrgan-x2', [576, 768])).toEqual([144, 192]);
    expect(benchInputSize('posenet', [576, 768])).toEqual([385, 385]);
    expect(benchInputSize('selfie', [288, 384])).toEqual([256, 256]);
  });

  it('lets --size override models that take any size, rounded to their multiple', () => {
    expect(benchInputSize('ppocr-det', [576, 768], [100, 70])).toEqual([96, 64]);
    expect(benchInputSize('esrgan-x2', [576, 768], [576, 768])).toEqual([576, 768]);
    expect(benchInputSize('posenet', [576, 768], [64, 64])).toEqual([385, 385]);
  });

  it('has one entry per model with at least one timed frame', () => {
    expect(Object.keys(MODEL_BENCH_DEFAULTS).sort()).toEqual([...MODEL_IDS].sort());
    for (const d of Object.values(MODEL_BENCH_DEFAULTS)) expect(d.frames).toBeGreaterThan(0);
  });
});

describe('session options', () => {
  it('asks for exactly the named backend, no fallback', () => {
    expect(buildSessionOptions({ mode: 'dense', backend: 'reference' })).toEqual({ mode: 'dense', backend: ['reference'], layout: 'nhwc' });
  });

  it('passes thresholds to delta sessions only', () => {
    expect(buildSessionOptions({ mode: 'delta', backend: 'reference', threshold: 0.05, inputThreshold: 0.1 })).toEqual({
      mode: 'delta',
      backend: ['reference'],
      layout: 'nhwc',
      threshold: 0.05,
      inputThreshold: 0.1,
    });
    expect(buildSessionOptions({ mode: 'dense', backend: 'reference', threshold: 0.05 })).toEqual({
      mode: 'dense',
      backend: ['reference'],
      layout: 'nhwc',
    });
  });

  it('makes one row configuration per mode x backend', () => {
    const configs = sessionConfigs({ modes: ['dense', 'delta'], backends: ['reference', 'cpu-native'], threshold: 0.02 });
    expect(configs.map((c) => `${c.mode}/${c.backend}`)).toEqual([
      'dense/reference',
      'dense/cpu-native',
      'delta/reference',
      'delta/cpu-native',
    ]);
    expect(configs.every((c) => c.threshold === 0.02)).toBe(true);
  });
});
