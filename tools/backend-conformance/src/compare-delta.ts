import type { DeltaBuffer } from '@motiondelta/core';
import type { CaseReport } from './case-report.js';
import { checkValues } from './compare-values.js';
import type { Tolerance } from './tolerance.js';

/** `(n,y,x)` of a pixel index of an NHWC buffer. */
export function pixelName(buffer: DeltaBuffer, pixel: number): string {
  const [, h, w] = buffer.shape;
  const n = Math.floor(pixel / (h * w));
  const rest = pixel - n * h * w;
  const y = Math.floor(rest / w);
  return `(n=${n},y=${y},x=${rest - y * w})`;
}

/**
 * Checks that a DeltaBuffer is internally consistent: `count` in range, `active[0..count)` distinct
 * in-range pixels each marked in `mask`, and no other mask byte set. A mask byte left over from an
 * earlier frame (a kernel that did not clear `out` first) shows up here.
 */
export function checkConsistent(report: CaseReport, what: string, d: DeltaBuffer): boolean {
  const problems: string[] = [];
  if (!Number.isInteger(d.count) || d.count < 0 || d.count > d.pixels) {
    problems.push(`count ${d.count} outside 0..${d.pixels}`);
  } else {
    const seen = new Uint8Array(d.pixels);
    for (let i = 0; i < d.count; i++) {
      const p = d.active[i]!;
      if (!(p >= 0 && p < d.pixels)) problems.push(`active[${i}] = ${p} out of range`);
      else if (seen[p] === 1) problems.push(`pixel ${pixelName(d, p)} listed twice in active`);
      else if (d.mask[p] !== 1) problems.push(`active pixel ${pixelName(d, p)} has mask ${d.mask[p]}`);
      else seen[p] = 1;
      if (problems.length >= 3) break;
    }
    for (let p = 0; p < d.pixels && problems.length < 3; p++) {
      if (d.mask[p] !== 0 && seen[p] !== 1)
        problems.push(`pixel ${pixelName(d, p)} has mask ${d.mask[p]} but is not in active[0..count) (stale?)`);
    }
  }
  report.expect(`${what} consistent`, problems.length === 0, problems.length === 0 ? `count ${d.count}` : problems.join('; '));
  return problems.length === 0;
}

/**
 * Compares a backend's output delta with the reference's: identical masks (the same pixels
 * active, in any order), then the values of every active pixel under `tolerance`. Values of
 * inactive pixels are never read: the contract leaves them undefined.
 */
export function checkDelta(report: CaseReport, what: string, actual: DeltaBuffer, expected: DeltaBuffer, tolerance: Tolerance): void {
  const sameShape = actual.shape.every((d, i) => d === expected.shape[i]);
  report.expect(`${what} shape`, sameShape, `[${actual.shape.join(',')}] vs [${expected.shape.join(',')}]`);
  if (!sameShape || !checkConsistent(report, what, actual)) return;
  const extra: number[] = [];
  const missing: number[] = [];
  for (let p = 0; p < expected.pixels; p++) {
    const a = actual.mask[p] === 1;
    const e = expected.mask[p] === 1;
    if (a && !e) extra.push(p);
    if (e && !a) missing.push(p);
  }
  const sample = (list: number[]): string =>
    list
      .slice(0, 4)
      .map((p) => pixelName(expected, p))
      .join(' ') + (list.length > 4 ? ` (+${list.length - 4} more)` : '');
  report.expect(
    `${what} mask`,
    extra.length === 0 && missing.length === 0,
    `count ${actual.count}, expected ${expected.count}` +
      (missing.length ? `; missing ${sample(missing)}` : '') +
      (extra.length ? `; extra ${sample(extra)}` : ''),
  );
  // Values at the pixels both consider active, so a mask mismatch does not hide a value mismatch.
  const c = expected.channels;
  const a: number[] = [];
  const e: number[] = [];
  const where: number[] = [];
  for (let i = 0; i < expected.count; i++) {
    const p = expected.active[i]!;
    if (actual.mask[p] !== 1) continue;
    for (let ch = 0; ch < c; ch++) {
      a.push(actual.values[p * c + ch]!);
      e.push(expected.values[p * c + ch]!);
      where.push(p * c + ch);
    }
  }
  checkValues(report, `${what} values`, a, e, tolerance, (i) => `${pixelName(expected, Math.floor(where[i]! / c))} c=${where[i]! % c}`);
}
