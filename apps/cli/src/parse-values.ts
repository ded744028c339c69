import { InvalidArgumentError } from 'commander';

/**
 * Parsers for option values. They throw commander's InvalidArgumentError so that commander names
 * the option in the message ("option '--size <HxW>' argument '12' is invalid. ...").
 */

/** `HxW` with positive integers, e.g. `256x320`, returned as [height, width]. */
export function parseSize(value: string): [number, number] {
  const match = /^\s*(\d+)\s*[xX]\s*(\d+)\s*$/.exec(value);
  const h = match ? Number(match[1]) : Number.NaN;
  const w = match ? Number(match[2]) : Number.NaN;
  if (!match || !(h > 0) || !(w > 0)) {
    throw new InvalidArgumentError('Expected HEIGHTxWIDTH with positive integers, e.g. 256x320.');
  }
  return [h, w];
}

/** A finite number >= 0 (delta thresholds are compared with absolute differences). */
export function parseThreshold(value: string): number {
  const t = Number(value);
  if (value.trim() === '' || !Number.isFinite(t) || t < 0) {
    throw new InvalidArgumentError('Expected a finite number >= 0, e.g. 0.05.');
  }
  return t;
}

/** An integer >= 1 (frame counts). */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError('Expected an integer >= 1.');
  return n;
}

/** An integer >= 0 (frame indices). */
export function parseNonNegativeInt(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError('Expected an integer >= 0.');
  return n;
}

/** Any finite number (input scale and offset). */
export function parseFiniteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('Expected a finite number, e.g. 0.00392 or -1.');
  return n;
}

/** `id[,id...]`: backends in order of preference. */
export function parseBackendList(value: string): string[] {
  const ids = value.split(',').map((id) => id.trim());
  if (ids.length === 0 || ids.some((id) => id === '')) {
    throw new InvalidArgumentError('Expected backend ids separated by commas, e.g. cpu-native,reference.');
  }
  return ids;
}
