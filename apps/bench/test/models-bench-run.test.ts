import { OptionError } from '@motiondelta/core';
import { MODEL_INPUTS, ensureData } from '@motiondelta/data';
import { loadModel } from '@motiondelta/graph-runtime';
import { describe, expect, it } from 'vitest';
import type { BenchMode } from '../src/models/bench-options.js';
import { parseModelsBenchOptions } from '../src/models/bench-options.js';
import { openDenseEngines } from '../src/models/dense-engines.js';
import { preflightSessions, runModelsBench } from '../src/models/run-models-bench.js';
import { reportJson } from '../src/models/write-report-json.js';

// Real runs on real frames at tiny sizes: they check the structure of the results and that the
// engines agree, never how fast anything is.
describe('bench models on real frames', () => {
  it('measures one ONNX model against onnxruntime and reports a complete row', async () => {
    const options = parseModelsBenchOptions({ models: 'ppocr-det', frames: '2', warmup: '1', size: '64x64', threads: '1' }, 2);
    const lines: string[] = [];
    const report = await runModelsBench(options, 'pnpm bench models --models ppocr-det', (l) => lines.push(l));
    const parsed = JSON.parse(reportJson(report)) as typeof report;
    expect(parsed).toMatchObject({ suite: 'models', command: 'pnpm bench models --models ppocr-det' });
    expect(Number.isNaN(Date.parse(parsed.date))).toBe(false);
    expect(parsed.machine.cpus).toBeGreaterThan(0);
    expect(parsed.machine.node).toBe(process.version);
    expect(parsed.rows).toHaveLength(1);
    const row = parsed.rows[0]!;
    expect(row).toMatchObject({
      model: 'ppocr-det',
      clip: 'vtest',
      inputShape: [1, 64, 64, 3],
      mode: 'dense',
      // The default backend; setup builds it, so the row runs on it.
      backend: 'cpu-native',
      warmupFrames: 1,
      timedFrames: 2,
      iterations: 1,
      threads: 1,
      otherEngines: [],
    });
    expect(row.ours.samplesMs).toHaveLength(2);
    expect(row.engine.samplesMs).toHaveLength(2);
    expect(row.engine.kind).toBe('onnxruntime');
    expect(row.engine.speedup).toBeCloseTo(row.ours.fps / row.engine.fps, 12);
    expect(row.macs.ratio).toBe(1);
    expect(row.macs.dense).toBeGreaterThan(0);
    expect(row.error.maxAbs).toBeLessThan(1e-4);
    // Warm-up frame plus two timed frames, each logged once.
    expect(lines.filter((l) => l.startsWith('[ppocr-det vtest dense/cpu-native]'))).toHaveLength(3);
  });

  it('runs a TF.js model on tfjs-backend-wasm and tfjs-backend-cpu, with the same outputs as ours', async () => {
    const options = parseModelsBenchOptions({ models: 'esrgan-x2', frames: '1', warmup: '0', size: '16x24', tfjsCpu: true }, 2);
    const report = await runModelsBench(options, 'test');
    const row = report.rows[0]!;
    expect(row.inputShape).toEqual([1, 16, 24, 3]);
    expect(row.engine.kind).toBe('tfjs-wasm');
    expect(row.engine.name).toMatch(/^tfjs-backend-wasm 4\.22 \(XNNPACK, \d threads?\)$/);
    expect(row.otherEngines.map((e) => e.kind)).toEqual(['tfjs-cpu']);
    // esrgan outputs are pixel values in [0, 255].
    expect(row.error.maxAbs).toBeLessThan(0.05);
  });

  it('fails before timing anything when the runtime refuses a mode or a backend', async () => {
    const model = await loadModel((await ensureData('selfie')).main);
    // A mode the harness does not offer stands for one the runtime does not have yet.
    await expect(preflightSessions(model, [{ mode: 'warp-drive' as BenchMode, backend: 'reference' }])).rejects.toThrow(OptionError);
    await expect(preflightSessions(model, [{ mode: 'warp-drive' as BenchMode, backend: 'reference' }])).rejects.toThrow(
      /Unknown mode 'warp-drive'/,
    );
    await expect(preflightSessions(model, [{ mode: 'dense', backend: 'no-such-backend' }])).rejects.toThrow(/no-such-backend/);
  });

  it('opens onnxruntime with the asked thread count', async () => {
    const [engine, ...rest] = await openDenseEngines(MODEL_INPUTS['ppocr-det'], (await ensureData('ppocr-det')).main, {
      threads: 2,
      tfjsCpu: true,
    });
    try {
      expect(rest).toHaveLength(0);
      expect(engine).toMatchObject({ kind: 'onnxruntime', threads: 2, name: 'onnxruntime-node 1.30 (2 threads)' });
    } finally {
      await engine?.dispose();
    }
  });
});
