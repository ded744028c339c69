import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReport } from '../src/report/html-report.js';
import type { RunSummary } from '../src/run-summary.js';
import { runVideo } from '../src/run-video.js';
import { summaryToJson } from '../src/summary-json.js';

/** Pulls the chart data element back out of a report page. */
function chartData(html: string): ReturnType<typeof summaryToJson> {
  const match = /<script type="application\/json" id="motiondelta-data">([\s\S]*?)<\/script>/.exec(html);
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!) as ReturnType<typeof summaryToJson>;
}

// Small on purpose: the reference backend is the test oracle, not the fast path (2 shared cores).
const cases = [
  { model: 'selfie', size: undefined, expectSize: [256, 256] },
  { model: 'esrgan-x2', size: [16, 24] as const, expectSize: [16, 24] },
] as const;

describe.each(cases)('runVideo, dense against dense, 3 vtest frames: $model', ({ model, size, expectSize }) => {
  let summary: RunSummary;

  it('reports every field, with exact outputs and a speedup equal to the measured time ratio', async () => {
    const frames: number[] = [];
    summary = await runVideo(
      { video: 'vtest', model, frames: 3, start: 200, ...(size ? { size } : {}) },
      { onFrame: (r) => frames.push(r.index) },
    );
    expect(frames).toEqual([200, 201, 202]);
    const json = JSON.parse(JSON.stringify(summaryToJson(summary)));
    for (const key of [
      'frames',
      'mode',
      'backend',
      'fps',
      'denseFps',
      'speedup',
      'activeFraction',
      'macsRatio',
      'psnr',
      'maxAbsError',
      'exact',
      'perFrame',
    ]) {
      expect(json).toHaveProperty(key);
    }
    expect(json.frames).toBe(3);
    expect(json.mode).toBe('dense');
    expect(json.backend).toBe('reference');
    expect(json.inputSize).toEqual(expectSize);
    const ms = json.perFrame.ms.reduce((a: number, b: number) => a + b, 0);
    const denseMs = json.perFrame.denseMs.reduce((a: number, b: number) => a + b, 0);
    expect(json.speedup).toBeCloseTo(denseMs / ms, 9);
    expect(json.speedup).toBeCloseTo(json.fps / json.denseFps, 9);
    expect(json.fps).toBeCloseTo(3000 / ms, 9);
    // Dense against dense on the same backend: bit-identical, so PSNR is infinite, written null + exact.
    expect(json.psnr).toBeNull();
    expect(json.exact).toBe(true);
    expect(json.exactFrames).toBe(3);
    expect(json.maxAbsError).toBe(0);
    expect(json.activeFraction).toBe(1);
    expect(json.macsRatio).toBe(1);
    expect(json.perFrame.denseMacs.every((m: number) => m > 0)).toBe(true);
    expect(json.perFrame.macs).toEqual(json.perFrame.denseMacs);
    expect(summary.samples.map((s) => s.index)).toEqual([200, 201, 202]);
  });

  it('writes a report holding the chart data, the pictures and Chart.js inline', async () => {
    const out = mkdtempSync(join(tmpdir(), 'motiondelta-report-'));
    const files = await writeReport(summary, out);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    const html = readFileSync(files.html, 'utf8');
    const data = chartData(html);
    expect(data.perFrame.ms).toEqual(summary.perFrame.map((f) => f.ms));
    expect(data.perFrame.activeFraction).toEqual(summary.perFrame.map((f) => f.activeFraction));
    for (const id of ['chart-time', 'chart-active', 'chart-macs', 'chart-error']) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('Chart.js v4'); // the inlined library's banner: no network needed
    expect(html).not.toMatch(/<script[^>]+src=/);
    // Every sample's pictures are embedded, and also written beside the page.
    const pictures = html.match(/src="data:image\/png;base64,/g) ?? [];
    const maskCount = summary.samples.reduce((acc, s) => acc + s.masks.length, 0);
    expect(files.images.length).toBeGreaterThanOrEqual(summary.samples.length * 2);
    expect(pictures.length).toBe(files.images.length + maskCount);
    for (const image of files.images) expect(existsSync(image)).toBe(true);
    expect(html).toContain('every mask is white');
    expect(JSON.parse(readFileSync(files.json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(summaryToJson(summary))));
  });
});
