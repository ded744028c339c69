import { InvalidArgumentError } from 'commander';
import { formatBytes } from '@motiondelta/core';
import { MAX_FRAME_BYTES_ENV, MAX_FRAME_SIDE, frameByteLimit, rgbFrameBytes } from '@motiondelta/video-io';

/**
 * Parsers for option values. They throw commander's InvalidArgumentError so that commander names
 * the option in the message ("option '--size <HxW>' argument '12' is invalid. ...").
 */

/**
 * `HxW` with positive integers, e.g. `256x320`, returned as [height, width]. Sides go up to
 * video-io's `MAX_FRAME_SIDE` (16384) and one RGB frame of that size must fit its frame byte
 * limit (512 MiB unless `MOTIONDELTA_MAX_FRAME_BYTES` says otherwise), checked here so that an
 * absurd size stops the command before anything is loaded or decoded.
 */
export function parseSize(value: string): [number, number] {
  const match = /^\s*(\d+)\s*[xX]\s*(\d+)\s*$/.exec(value);
  const h = match ? Number(match[1]) : Number.NaN;
  const w = match ? Number(match[2]) : Number.NaN;
  if (!match || !(h > 0) || !(w > 0) || h > MAX_FRAME_SIDE || w > MAX_FRAME_SIDE) {
    throw new InvalidArgumentError(`Expected HEIGHTxWIDTH with integers from 1 to ${MAX_FRAME_SIDE}, e.g. 256x320.`);
  }
  const bytes = rgbFrameBytes({ width: w, height: h });
  const limit = frameByteLimit();
  if (bytes > limit) {
    throw new InvalidArgumentError(
      `A ${h}x${w} RGB frame takes ${formatBytes(bytes)}, over the frame limit of ${formatBytes(limit)}; ` +
        `give a smaller HEIGHTxWIDTH, or raise ${MAX_FRAME_BYTES_ENV}.`,
    );
  }
  return [h, w];
}

const BYTE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 2 ** 10,
  kib: 2 ** 10,
  m: 2 ** 20,
  mib: 2 ** 20,
  g: 2 ** 30,
  gib: 2 ** 30,
  t: 2 ** 40,
  tib: 2 ** 40,
};

/**
 * A byte count for `--memory-limit`: a positive number with an optional binary unit (`512MiB`,
 * `8GiB`, `8g`, `1073741824`), or `none` for no limit (Infinity, what `createSession` takes).
 */
export function parseByteSize(value: string): number {
  if (/^\s*none\s*$/i.test(value)) return Number.POSITIVE_INFINITY;
  const match = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = match ? BYTE_UNITS[match[2]!.toLowerCase()] : undefined;
  const bytes = match && unit !== undefined ? Number(match[1]) * unit : Number.NaN;
  if (!Number.isFinite(bytes) || bytes < 1) {
    throw new InvalidArgumentError(
      'Expected a size in bytes with an optional unit (KiB, MiB, GiB, TiB), e.g. 12GiB, or none for no limit.',
    );
  }
  return Math.floor(bytes);
}

/** A finite number >= 0 (delta thresholds are compared with absolute differences). */
export function parseThreshold(value: string): number {
  const t = Number(value);
  if (value.trim() === '' || !Number.isFinite(t) || t < 0) {
    throw new InvalidArgumentError('Expected a finite number >= 0, e.g. 0.05.');
  }
  return t;
}

/** `--scene-cut`: a fraction >= 0, or `off` (Infinity: never). */
export function parseSceneCut(value: string): number {
  if (value.trim() === 'off') return Number.POSITIVE_INFINITY;
  const t = Number(value);
  if (value.trim() === '' || !Number.isFinite(t) || t < 0) {
    throw new InvalidArgumentError("Expected a number >= 0 (e.g. 0.4: mean change over mean magnitude), or 'off'.");
  }
  return t;
}

/** `--warp`: how motion frames reach the viewport grid. */
export function parseWarp(value: string): 'whole-pixel' | 'homography' {
  if (value === 'whole-pixel' || value === 'homography') return value;
  throw new InvalidArgumentError("Expected 'whole-pixel' (move by whole pixels, no resampling) or 'homography' (resample through it).");
}

/** An integer >= 1 (frame counts); safe integers only, so 1e400 or 2^60 are refused, not rounded. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`Expected an integer from 1 to ${Number.MAX_SAFE_INTEGER}.`);
  }
  return n;
}

/** An integer >= 0 (frame indices); safe integers only. */
export function parseNonNegativeInt(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0) {
    throw new InvalidArgumentError(`Expected an integer from 0 to ${Number.MAX_SAFE_INTEGER}.`);
  }
  return n;
}

/** Any finite number (input scale and offset). */
export function parseFiniteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('Expected a finite number, e.g. 0.00392 or -1.');
  return n;
}

/** `a,b,c`: three finite numbers, one per channel (`--mean`). */
export function parseChannelValues(value: string): [number, number, number] {
  const parts = value.split(',').map((p) => p.trim());
  const numbers = parts.map(Number);
  if (parts.length !== 3 || parts.some((p) => p === '') || !numbers.every(Number.isFinite)) {
    throw new InvalidArgumentError('Expected three finite numbers separated by commas, one per channel, e.g. 0.485,0.456,0.406.');
  }
  return numbers as [number, number, number];
}

/** `--std`: three finite numbers, none 0 (inputs are divided by them). */
export function parseChannelStd(value: string): [number, number, number] {
  const std = parseChannelValues(value);
  if (std.includes(0))
    throw new InvalidArgumentError('A standard deviation of 0 divides by zero; expected three non-zero numbers, e.g. 0.229,0.224,0.225.');
  return std;
}

/** `id[,id...]`: backends in order of preference. */
export function parseBackendList(value: string): string[] {
  const ids = value.split(',').map((id) => id.trim());
  if (ids.length === 0 || ids.some((id) => id === '')) {
    throw new InvalidArgumentError('Expected backend ids separated by commas, e.g. cpu-native,reference.');
  }
  return ids;
}

/** `--block-size`: a whole number of pixels from 1 to 4096 (a block larger than any frame is one block). */
export function parseBlockSize(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > 4096) {
    throw new InvalidArgumentError('Expected a block side in pixels, a whole number from 1 to 4096, e.g. 128.');
  }
  return n;
}
