import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformanceSeed } from '@motiondelta/backend-conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHostConformance, hasCmake, runHostConformance, type HostCaseLine } from './host-build.js';
import { writeCaseFiles, type WrittenCases } from './cases/write-case-files.js';

// The CUDA kernels' per-tile and per-element arithmetic (native/include/mdcuda, __host__ __device__)
// compiled as plain C++ and run on the step conformance cases: fresh seeded inputs from the suite,
// expected values from the reference backend. MD_CUDA_CASES_DIR keeps the case files (to copy to a
// GPU machine for the driver, see the README); otherwise they go to a temporary folder.
// Skipped only where cmake is missing: the host build needs it (scripts/setup.sh installs it).
describe.skipIf(!hasCmake())('host test build: step conformance cases through the CUDA kernels arithmetic, on the CPU', () => {
  const seed = conformanceSeed();
  const keep = process.env['MD_CUDA_CASES_DIR'];
  const folder = keep ?? mkdtempSync(join(tmpdir(), 'md-cuda-cases-'));
  let binary = '';
  let written: WrittenCases;
  let lines: HostCaseLine[] = [];
  let summary = '';

  beforeAll(async () => {
    binary = buildHostConformance();
    written = await writeCaseFiles(folder, seed);
    const run = runHostConformance(binary, folder);
    lines = run.lines;
    summary = run.summary;
  });

  afterAll(() => {
    if (keep === undefined) rmSync(folder, { recursive: true, force: true });
  });

  it('exports every call of the covered cases (the recorder agrees with the reference)', () => {
    expect(written.broken).toEqual([]);
    const ops = new Set(written.files.map((f) => f.op));
    expect([...ops].sort()).toEqual([
      'delta.accumulate',
      'delta.activation',
      'delta.binary',
      'delta.linear.Add',
      'delta.linear.AvgPool2D',
      'delta.linear.BatchNorm',
      'delta.linear.Concat',
      'delta.linear.Conv2D',
      'delta.linear.ConvTranspose2D',
      'delta.linear.Div',
      'delta.linear.GlobalAvgPool',
      'delta.linear.Identity',
      'delta.linear.Mul',
      'delta.linear.Pad',
      'delta.linear.Resize',
      'delta.linear.Sub',
      'delta.maxPool',
      'delta.sparsify',
      'dense.Activation',
      'dense.AvgPool2D',
      'dense.BatchNorm',
      'dense.Binary',
      'dense.Concat',
      'dense.Conv2D',
      'dense.ConvTranspose2D',
      'dense.Copy',
      'dense.DepthToSpace',
      'dense.Gemm',
      'dense.GlobalAvgPool',
      'dense.MatMul',
      'dense.MaxPool2D',
      'dense.Pad',
      'dense.Reduce',
      'dense.Resize',
      'dense.Slice',
      'dense.Softmax',
      'dense.SpaceToDepth',
      'dense.Transpose',
    ]);
  });

  it(`passes every case within the suite's tolerances (CONFORMANCE_SEED=${seed})`, () => {
    const failed = lines.filter((l) => l.verdict !== 'pass').map((l) => `${l.verdict} ${l.name}: ${l.message}`);
    expect(failed, summary).toEqual([]);
    expect(lines.length).toBe(written.files.length);
    expect(summary).toBe(`${written.files.length} passed, 0 failed, 0 declined`);
  });

  it('declines no conformance case: every op and delta step kind of the suite has a case encoding', () => {
    expect(written.declined.map((d) => `${d.caseName}: ${d.reason}`)).toEqual([]);
  });

  it('fails a case whose expected output was altered (the comparison is live)', () => {
    const sabotaged = mkdtempSync(join(tmpdir(), 'md-cuda-sabotage-'));
    try {
      for (const op of ['dense.Conv2D', 'delta.linear.Conv2D']) {
        const source = written.files.find((f) => f.op === op)!;
        const target = join(sabotaged, 'case.case');
        copyFileSync(source.file, target);
        const bytes = readFileSync(target);
        // The last 4 bytes are the last float of the last array (an expected output); add 1 to it.
        const last = bytes.readFloatLE(bytes.length - 4);
        bytes.writeFloatLE(last + 1, bytes.length - 4);
        writeFileSync(target, bytes);
        const run = runHostConformance(binary, sabotaged);
        expect(run.status, op).toBe(1);
        expect(
          run.lines.map((l) => l.verdict),
          op,
        ).toEqual(['fail']);
      }
    } finally {
      rmSync(sabotaged, { recursive: true, force: true });
    }
  });
});
