import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelBenchRow, ModelsBenchReport } from '../src/models/bench-report.js';
import { consoleTable } from '../src/models/console-table.js';
import { formatFps, formatSpeedup } from '../src/models/format-values.js';
import { cpuModelFromProcCpuinfo } from '../src/models/machine-info.js';
import { markdownTable } from '../src/models/markdown-table.js';
import { summarizeTimings } from '../src/models/statistics.js';
import { reportJson, writeReportJson } from '../src/models/write-report-json.js';

function row(overrides: Partial<ModelBenchRow> = {}): ModelBenchRow {
  const ours = summarizeTimings([400, 500, 600]);
  const engine = summarizeTimings([20, 25, 30]);
  return {
    model: 'ppocr-det',
    task: 'text detection probability map',
    format: 'onnx',
    clip: 'vtest',
    inputShape: [1, 576, 768, 3],
    mode: 'dense',
    backend: 'reference',
    startFrame: 0,
    warmupFrames: 1,
    timedFrames: 3,
    iterations: 1,
    threads: 2,
    ours,
    engine: { kind: 'onnxruntime', name: 'onnxruntime-node 1.30 (2 threads)', threads: 2, ...engine, speedup: ours.fps / engine.fps },
    otherEngines: [],
    macs: { done: 2.63e9, dense: 2.63e9, ratio: 1 },
    error: { maxAbs: 1.2e-6, relL2: 3.4e-7, psnrDb: 112.34 },
    ...overrides,
  };
}

const report: ModelsBenchReport = {
  suite: 'models',
  date: '2026-01-02T03:04:05.000Z',
  machine: { cpus: 2, cpuModel: 'AMD EPYC', node: 'v20.20.2', platform: 'linux', arch: 'x64', totalMemoryGiB: 23.5, loadAverage1m: 0.5 },
  command: 'pnpm bench models --models ppocr-det',
  rows: [row()],
};

describe('markdownTable', () => {
  it('writes a header, a separator and one line per row with the same number of cells', () => {
    const lines = markdownTable(report.rows).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const cells = (line: string) => line.split(' | ').length;
    expect(cells(lines[1]!)).toBe(cells(lines[0]!));
    expect(cells(lines[2]!)).toBe(cells(lines[0]!));
    expect(lines[0]).toContain('| model | clip | input | mode | backend |');
    expect(lines[2]).toBe(
      '| ppocr-det | vtest | 576x768 | dense | reference | 3 (+1 warm-up) | 2 | onnxruntime-node 1.30 (2 threads) | 40 | 0.05x | 2.63 G | 1.000 | n/a | 1.2e-6 | 3.4e-7 | 112.3 |',
    );
  });

  it('adds the extra-engine column only when some row has one, labelled with the engine name', () => {
    const extra = row({
      otherEngines: [
        { kind: 'tfjs-cpu', name: 'tfjs-backend-cpu 4.22 (pure JS, 1 thread)', threads: 1, ...summarizeTimings([1000]), speedup: 2 },
      ],
    });
    const table = markdownTable([row(), extra]);
    expect(table).toContain('also timed');
    expect(table).toContain('tfjs-backend-cpu 4.22 (pure JS, 1 thread): 1 fps (2x)');
    expect(markdownTable([row()])).not.toContain('also timed');
  });

  it('writes inf for identical outputs and n/a for a missing MACs ratio', () => {
    const line = markdownTable([row({ error: { maxAbs: 0, relL2: 0, psnrDb: null }, macs: { done: 0, dense: 0, ratio: null } })]);
    expect(line).toContain('| n/a | n/a | 0 | 0 | inf |');
  });

  it('writes the efficiency of delta rows: speedup over the baseline times MACs done/dense', () => {
    const ours = summarizeTimings([10]);
    const engine = summarizeTimings([100]);
    const delta = row({
      mode: 'delta',
      ours,
      engine: { kind: 'onnxruntime', name: 'onnxruntime-node 1.30 (2 threads)', threads: 2, ...engine, speedup: ours.fps / engine.fps },
      macs: { done: 0.2e9, dense: 2e9, ratio: 0.1 },
    });
    // 10x measured against an ideal of 1 / 0.1 = 10x: efficiency 1.
    expect(markdownTable([delta])).toContain('| 10x | 2 G | 0.100 | 1.00 |');
  });
});

describe('consoleTable', () => {
  it('renders the same cells in a box', () => {
    const text = consoleTable(report.rows);
    expect(text).toContain('ppocr-det');
    expect(text).toContain('onnxruntime-node 1.30 (2 threads)');
  });
});

describe('JSON report', () => {
  it('round-trips through a file unchanged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'md-bench-'));
    const path = join(dir, 'nested', 'models.json');
    await writeReportJson(path, report);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(report);
    expect(reportJson(report).endsWith('\n')).toBe(true);
  });
});

describe('value formats', () => {
  it('keeps three significant digits without exponents for fps', () => {
    expect(formatFps(1234.5)).toBe('1235');
    expect(formatFps(9.876)).toBe('9.88');
    expect(formatFps(0.04321)).toBe('0.0432');
    expect(formatSpeedup(0.0193456)).toBe('0.0193x');
    expect(formatSpeedup(null)).toBe('n/a');
  });

  it('reads the CPU model from /proc/cpuinfo text', () => {
    expect(cpuModelFromProcCpuinfo('processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t: sse\n')).toBe('AMD EPYC 7B13');
    expect(cpuModelFromProcCpuinfo('processor\t: 0\n')).toBeUndefined();
  });
});
