import { formatShape } from '@motiondelta/core';
import type { Shape, Tensor } from '@motiondelta/core';
import type { CaseReport } from './case-report.js';
import type { Tolerance } from './tolerance.js';

/** Error metrics of `actual` against `expected` (same length), with the worst element. */
export interface ValueError {
  readonly relL2: number;
  readonly maxAbs: number;
  readonly worstIndex: number;
}

/**
 * relL2 and maxAbs as defined by Tolerance; any non-finite mismatch makes both Infinity. A
 * non-finite value matched exactly (NaN for NaN, an infinity of the same sign: log(-1), 1/0)
 * agrees and stays out of the magnitudes, which would otherwise be NaN or infinite and hide the
 * finite elements' errors.
 */
export function valueError(actual: ArrayLike<number>, expected: ArrayLike<number>, scale = 0): ValueError {
  let diff2 = 0;
  let ref2 = 0;
  let maxDiff = 0;
  let maxRef = 0;
  let worstIndex = -1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const same = Object.is(a, e);
    if (same && !Number.isFinite(e)) continue;
    const d = same ? 0 : Math.abs(a - e);
    // NaN, or an infinity the reference does not have: no tolerance covers it.
    if (!Number.isFinite(d)) return { relL2: Infinity, maxAbs: Infinity, worstIndex: i };
    diff2 += d * d;
    ref2 += e * e;
    if (d > maxDiff) {
      maxDiff = d;
      worstIndex = i;
    }
    maxRef = Math.max(maxRef, Math.abs(e));
  }
  const n = expected.length;
  const l2Floor = Math.max(Math.sqrt(ref2), scale * Math.sqrt(n));
  const absFloor = Math.max(maxRef, scale);
  return {
    relL2: diff2 === 0 ? 0 : l2Floor === 0 ? Infinity : Math.sqrt(diff2) / l2Floor,
    maxAbs: maxDiff === 0 ? 0 : absFloor === 0 ? Infinity : maxDiff / absFloor,
    worstIndex,
  };
}

/** Records how `actual` compares with `expected` under `tolerance`; `locate` names an element index. */
export function checkValues(
  report: CaseReport,
  what: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: Tolerance,
  locate: (index: number) => string = (i) => `[${i}]`,
): void {
  if (actual.length !== expected.length) {
    report.expect(what, false, `${actual.length} values, expected ${expected.length}`);
    return;
  }
  const e = valueError(actual, expected, tolerance.scale ?? 0);
  const ratio = Math.max(e.relL2 / tolerance.relL2, e.maxAbs / tolerance.maxAbs);
  const worst = e.worstIndex < 0 ? '' : `; worst at ${locate(e.worstIndex)}: ${actual[e.worstIndex]} vs ${expected[e.worstIndex]}`;
  report.add(what, ratio, `relL2 ${fmt(e.relL2)} (tol ${tolerance.relL2}), maxAbs ${fmt(e.maxAbs)} (tol ${tolerance.maxAbs})${worst}`);
}

/** Compares two dense tensors: shape first, then values. */
export function checkTensor(report: CaseReport, what: string, actual: Tensor, expected: Tensor, tolerance: Tolerance): void {
  const sameShape = actual.shape.length === expected.shape.length && actual.shape.every((d, i) => d === expected.shape[i]);
  report.expect(`${what} shape`, sameShape, `${formatShape(actual.shape)}, expected ${formatShape(expected.shape)}`);
  if (!sameShape) return;
  if (!(actual.data instanceof Float32Array)) {
    report.expect(`${what} data`, false, `is a ${Object.prototype.toString.call(actual.data)}, expected a Float32Array`);
    return;
  }
  checkValues(report, `${what} values`, actual.data, expected.data, tolerance, (i) => locateIndex(expected.shape, i));
}

/** `[n,y,x,c]`-style coordinates of a flat index. */
export function locateIndex(shape: Shape, index: number): string {
  const coords: number[] = [];
  let rest = index;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    coords.unshift(size === 0 ? 0 : rest % size);
    rest = size === 0 ? 0 : Math.floor(rest / size);
  }
  return `[${coords.join(',')}]`;
}

export function fmt(x: number): string {
  return x === 0 ? '0' : x.toExponential(2);
}
