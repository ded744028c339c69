import { describe, expect, it } from 'vitest';
import { runVideo } from '../src/run-video.js';
import { sessionOptionsFor } from '../src/session-options.js';
import { summaryToJson } from '../src/summary-json.js';
import { renderSummaryTable } from '../src/summary-table.js';

describe('--mode delta', () => {
  it('passes the delta options in the shape the runtime contract names', () => {
    // layout: 'nhwc' because the command feeds frameToTensor's NHWC frames to every model, ONNX ones included.
    expect(sessionOptionsFor({ mode: 'delta', backend: ['reference'], threshold: 0.05, inputThreshold: 0.01 })).toEqual({
      mode: 'delta',
      backend: ['reference'],
      layout: 'nhwc',
      threshold: 0.05,
      inputThreshold: 0.01,
    });
    expect(sessionOptionsFor({ mode: 'delta', backend: ['reference'] })).toEqual({
      mode: 'delta',
      backend: ['reference'],
      layout: 'nhwc',
      threshold: 0,
    });
    expect(sessionOptionsFor({ mode: 'dense', backend: ['reference'], threshold: 0.5 })).toEqual({
      mode: 'dense',
      backend: ['reference'],
      layout: 'nhwc',
    });
  });

  it('at threshold 0, delta does fewer MACs than dense and matches it up to float rounding', async () => {
    const summary = await runVideo({ video: 'vtest', model: 'selfie', mode: 'delta', threshold: 0, frames: 3, start: 200 });
    expect(summary.mode).toBe('delta');
    expect(summary.perFrame[0]!.exact).toBe(true); // the first frame runs dense
    const later = summary.perFrame.slice(1);
    for (const f of later) {
      expect(f.macs).toBeLessThan(f.denseMacs);
      expect(f.activeFraction).toBeLessThan(1);
    }
    expect(summary.macsRatio).toBeLessThan(1);
    expect(summary.maxAbsError).toBeLessThan(1e-3);
    if (!summary.exact) expect(summary.psnr).toBeGreaterThan(60);
    const lastMasks = summary.samples.at(-1)!.masks;
    expect(lastMasks.some((m) => m.mask.some((v) => v === 0))).toBe(true);
    // Which part ran sparsely: the share of dense MACs outside the dense islands, each listed with its MACs.
    const sparse = summary.sparse!;
    expect(sparse.fraction).toBeGreaterThan(0.5);
    expect(sparse.fraction).toBeLessThanOrEqual(1);
    const json = summaryToJson(summary);
    expect(json.sparseMacFraction).toBe(sparse.fraction);
    expect(json.islands).toEqual(sparse.islands);
    expect(renderSummaryTable(summary)).toContain(`${(sparse.fraction * 100).toFixed(1)}% of MACs`);
    // Beside the mean: the windowed and percentile PSNR, the steady-state speedup, keyframes by reason.
    const table = renderSummaryTable(summary);
    for (const row of ['PSNR worst 3-frame window', 'PSNR last 3-frame window', 'PSNR 10th-percentile frame', 'steady-state speedup']) {
      expect(table).toContain(row);
    }
    expect(table).toContain('1 first');
    expect(json.psnrWindowFrames).toBe(3);
    expect(json.psnrWorstWindowStart).toBe(200);
    expect(json.keyframes).toEqual({ first: 1 });
    expect(json.perFrame.keyframeReason).toEqual(['first', null, null]);
  });

  it('a higher threshold does less work', async () => {
    // Two frames suffice: the first runs dense, the second shows the threshold's effect.
    const at = (threshold: number) =>
      runVideo({ video: 'vtest', model: 'selfie', mode: 'delta', threshold, frames: 2, start: 200, samples: 0 });
    const [exact, loose] = [await at(0), await at(0.1)];
    expect(loose.macsRatio).toBeLessThanOrEqual(exact.macsRatio);
  });
});
