import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseRng, conformanceCases } from '@motiondelta/backend-conformance';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { encodeCaseRecord } from './case-record.js';
import { RecordingBackend } from './recording-backend.js';

/** Conformance case ops (ConformanceCase.op) the CUDA package has kernels for; the others are declined. */
export const CUDA_CASE_OPS: ReadonlySet<string> = new Set([
  'Conv2D',
  'ConvTranspose2D',
  'Activation',
  'MaxPool2D',
  'Resize',
  'Pad',
  'Concat',
  'BatchNorm',
  'Reshape',
  'Flatten',
  'Squeeze',
  'Unsqueeze',
  'Identity',
  'Transpose',
  'MatMul',
  'Gemm',
  'Softmax',
  'Slice',
  'Reduce',
  'DepthToSpace',
  'SpaceToDepth',
  'AvgPool2D',
  'GlobalAvgPool',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Max',
  'Min',
  'delta.sparsify',
  'delta.accumulate',
  'delta.linear.Conv2D',
  'delta.linear.ConvTranspose2D',
  'delta.linear.AvgPool2D',
  'delta.linear.GlobalAvgPool',
  'delta.linear.Resize',
  'delta.linear.Pad',
  'delta.linear.Concat',
  'delta.linear.Mul',
  'delta.linear.Div',
  'delta.linear.BatchNorm',
  'delta.linear.Identity',
  'delta.linear.Add',
  'delta.linear.Sub',
  'delta.activation',
  'delta.maxPool',
  'delta.binary',
]);

/** What writeCaseFiles did. */
export interface WrittenCases {
  /** Case files written, with the conformance case each came from. */
  readonly files: readonly { readonly file: string; readonly caseName: string; readonly op: string }[];
  /** Conformance cases not exported, and why (an op without a CUDA kernel yet). */
  readonly declined: readonly { readonly caseName: string; readonly op: string; readonly reason: string }[];
  /** Conformance cases whose run on the recorder did not pass (the recorder is the reference, so: none). */
  readonly broken: readonly string[];
}

/**
 * Runs the project's step conformance suite with `seed` (each case's inputs from caseRng(seed,
 * name), as the suite draws them) against a recorder backend whose kernels are the reference's,
 * and writes every kernel call of the cases the CUDA package covers into `folder` as a case file
 * (`NNNNN.case`: inputs, attributes, the reference's outputs, the suite's tolerances).
 */
export async function writeCaseFiles(folder: string, seed: number): Promise<WrittenCases> {
  mkdirSync(folder, { recursive: true });
  const reference = new ReferenceBackend();
  const files: { file: string; caseName: string; op: string }[] = [];
  const declined: { caseName: string; op: string; reason: string }[] = [];
  const broken: string[] = [];
  for (const c of conformanceCases()) {
    if (!CUDA_CASE_OPS.has(c.op)) {
      declined.push({ caseName: c.name, op: c.op, reason: `no CUDA kernel for ${c.op} yet` });
      continue;
    }
    const recorder = new RecordingBackend();
    recorder.startCase(c.name);
    const result = await c.run(recorder, reference, caseRng(seed, c.name));
    if (!result.ok) broken.push(`${c.name}: ${result.message}`);
    if (recorder.unrecorded.length > 0) broken.push(`${c.name}: calls without a case encoding: ${recorder.unrecorded.join(', ')}`);
    for (const record of recorder.records) {
      const file = join(folder, `${String(files.length).padStart(5, '0')}.case`);
      writeFileSync(file, encodeCaseRecord(record));
      files.push({ file, caseName: record.name, op: record.op });
    }
  }
  return { files, declined, broken };
}
