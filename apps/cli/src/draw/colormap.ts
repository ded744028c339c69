import type { Rgb } from './rgb-image.js';

/**
 * Viridis at five stops. Perceptually ordered and readable by colour-blind viewers, so "more"
 * always looks brighter; five stops are enough for overlays on photos.
 */
const STOPS: readonly Rgb[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/**
 * The colour of `t` in 0..1 (clamped; NaN counts as 0).
 *
 * @example
 * colormap(0); // [68, 1, 84]   colormap(1); // [253, 231, 37]
 */
export function colormap(t: number): Rgb {
  const v = Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t));
  const pos = v * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}
