import type { Tolerance } from '@motiondelta/backend-conformance';

/** One array of a case file: float32 values or a byte mask, with its shape. */
export interface CaseArray {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array | Uint8Array;
}

/**
 * One recorded kernel call, as native/cases/case_file.h reads it: the op, numeric attributes,
 * input arrays (`in.*`) and expected outputs (`out.*`) with the suite's tolerance for each.
 */
export interface CaseRecord {
  /** The conformance case's name and which call of it this is, e.g. `delta/sparsify/t0 none [2,24,24,3] #2`. */
  readonly name: string;
  /** `dense.Conv2D`, `delta.sparsify`, ... */
  readonly op: string;
  readonly nums: Readonly<Record<string, readonly number[]>>;
  readonly arrays: readonly CaseArray[];
  readonly tolerances: Readonly<Record<string, Tolerance>>;
  /** Names whose `.values` and `.mask` arrays form a delta: compared at active pixels only. */
  readonly deltas: readonly string[];
}

/** Encodes a record in the case-file format: a text header, then each array's raw little-endian bytes. */
export function encodeCaseRecord(record: CaseRecord): Uint8Array {
  const lines = ['MDCASE 1', `name ${record.name.replace(/\n/g, ' ')}`, `op ${record.op}`];
  for (const [key, values] of Object.entries(record.nums)) lines.push(`num ${key} ${values.map(String).join(' ')}`);
  for (const a of record.arrays)
    lines.push(`array ${a.name} ${a.data instanceof Float32Array ? 'f32' : 'u8'} ${a.dims.length} ${a.dims.join(' ')}`);
  for (const [name, t] of Object.entries(record.tolerances)) lines.push(`tol ${name} ${t.relL2} ${t.maxAbs} ${t.scale ?? 0}`);
  for (const d of record.deltas) lines.push(`delta ${d}`);
  lines.push('end', '');
  const header = new TextEncoder().encode(lines.join('\n'));
  const parts: Uint8Array[] = [header, ...record.arrays.map((a) => new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
