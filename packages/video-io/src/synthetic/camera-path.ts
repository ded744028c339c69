import { OptionError } from '@motiondelta/core';
import {
  composeHomographies,
  identityHomography,
  normalizeHomography,
  translationHomography,
  type Homography,
} from '@motiondelta/homography';

/**
 * How the camera moves over a synthetic clip. Every path gives, for frame `i`, the homography
 * from frame-`i` pixels to world pixels (world = frame 0's pixel grid), so frame 0 is always the
 * identity.
 *
 * - `pan`: the camera moves `(dx, dy)` world pixels per frame (content drifts the other way).
 * - `sway`: `(amplitudeX, amplitudeY) · sin(2π i / period)`, starting at 0.
 * - `backAndForth`: `step` pixels per frame towards `distance` along `axis`, then back to 0, repeated;
 *   integer steps so that positions are exact multiples of a stride. A negative `distance` goes
 *   left (or up) first.
 * - `rotation`: the frame turns `degreesPerFrame` per frame about its centre within the world
 *   (clockwise on screen for positive angles, y pointing down), so content appears to turn the other way.
 * - `zoom`: content is magnified `scalePerFrame` times per frame about the frame centre (> 1 zooms in).
 * - `compose`: the matrix product `H¹ᵢ · H²ᵢ · …`: the last path is applied first, so
 *   `[pan, rotation]` turns about the frame centre and then pans.
 * - `custom`: any `homography(i)` (row-major 3x3, frame-`i` → world) with `homography(0)` the identity.
 */
export type CameraPath =
  | { readonly kind: 'pan'; readonly dx: number; readonly dy: number }
  | { readonly kind: 'sway'; readonly amplitudeX?: number; readonly amplitudeY?: number; readonly period: number }
  | { readonly kind: 'backAndForth'; readonly distance: number; readonly step?: number; readonly axis?: 'x' | 'y' }
  | { readonly kind: 'rotation'; readonly degreesPerFrame: number }
  | { readonly kind: 'zoom'; readonly scalePerFrame: number }
  | { readonly kind: 'compose'; readonly paths: readonly CameraPath[] }
  | { readonly kind: 'custom'; readonly homography: (index: number) => ArrayLike<number> };

function finite(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new OptionError(`${what} is ${String(value)}; it must be a finite number.`);
  return value;
}

/**
 * Throws {@link OptionError} unless `path` is well formed (its numbers finite, integer steps for
 * `backAndForth`, a positive zoom factor, …). Paths leaving the photo are checked by the clip.
 *
 * @example
 * ```ts
 * assertCameraPath({ kind: 'backAndForth', distance: 16, step: 4 }); // passes
 * ```
 */
export function assertCameraPath(path: CameraPath, what = 'path'): void {
  switch (path.kind) {
    case 'pan':
      finite(path.dx, `${what}.dx`);
      finite(path.dy, `${what}.dy`);
      return;
    case 'sway': {
      finite(path.amplitudeX ?? 0, `${what}.amplitudeX`);
      finite(path.amplitudeY ?? 0, `${what}.amplitudeY`);
      if (finite(path.period, `${what}.period`) <= 0)
        throw new OptionError(`${what}.period is ${path.period}; it must be a positive number of frames.`);
      return;
    }
    case 'backAndForth': {
      const { distance, step = 1, axis = 'x' } = path;
      if (!Number.isInteger(distance) || distance === 0)
        throw new OptionError(`${what}.distance is ${distance}; it must be a non-zero integer number of pixels.`);
      if (!Number.isInteger(step) || step < 1)
        throw new OptionError(`${what}.step is ${step}; it must be a positive integer number of pixels.`);
      // A step that does not divide the distance would overshoot or never land on the turning point.
      if (Math.abs(distance) % step !== 0)
        throw new OptionError(`${what}.step ${step} does not divide distance ${distance}; the path must turn exactly at the end.`);
      if (axis !== 'x' && axis !== 'y') throw new OptionError(`${what}.axis is '${String(axis)}'; use 'x' or 'y'.`);
      return;
    }
    case 'rotation':
      finite(path.degreesPerFrame, `${what}.degreesPerFrame`);
      return;
    case 'zoom':
      if (finite(path.scalePerFrame, `${what}.scalePerFrame`) <= 0)
        throw new OptionError(`${what}.scalePerFrame is ${path.scalePerFrame}; it must be positive.`);
      return;
    case 'compose':
      if (!Array.isArray(path.paths) || path.paths.length === 0)
        throw new OptionError(`${what}.paths must be a non-empty array of camera paths.`);
      path.paths.forEach((p, k) => assertCameraPath(p, `${what}.paths[${k}]`));
      return;
    case 'custom':
      if (typeof path.homography !== 'function') throw new OptionError(`${what}.homography must be a function (frame index) => 9 numbers.`);
      return;
    default:
      throw new OptionError(
        `${what}.kind is '${String((path as { kind?: unknown }).kind)}'; use pan, sway, backAndForth, rotation, zoom, compose or custom.`,
      );
  }
}

/** Signed offset of a back-and-forth path at frame `i`: a triangle wave 0 → distance → 0. */
function backAndForthOffset(i: number, distance: number, step: number): number {
  const leg = Math.abs(distance) / step;
  const t = i % (2 * leg);
  const steps = t <= leg ? t : 2 * leg - t;
  // Returning 0 (not -0) at the turning point keeps homographies of equal positions identical.
  return steps === 0 ? 0 : Math.sign(distance) * steps * step;
}

/** `c + m (p - c)` for the 2x2 matrix `[a, b; c, d]` about the centre `(cx, cy)`. */
function aboutCentre(a: number, b: number, c: number, d: number, cx: number, cy: number): Homography {
  return Float64Array.of(a, b, cx - a * cx - b * cy, c, d, cy - c * cx - d * cy, 0, 0, 1);
}

/**
 * The homography from frame-`index` pixels to world pixels for a `width x height` frame. The
 * path must have passed {@link assertCameraPath}; `custom` results are checked here.
 *
 * @example
 * ```ts
 * cameraPathHomography({ kind: 'pan', dx: 2, dy: -1 }, 3, 256, 192); // translation (6, -3)
 * ```
 */
export function cameraPathHomography(path: CameraPath, index: number, width: number, height: number): Homography {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  switch (path.kind) {
    case 'pan':
      return translationHomography(index * path.dx, index * path.dy);
    case 'sway': {
      const s = Math.sin((2 * Math.PI * index) / path.period);
      return translationHomography((path.amplitudeX ?? 0) * s, (path.amplitudeY ?? 0) * s);
    }
    case 'backAndForth': {
      const offset = backAndForthOffset(index, path.distance, path.step ?? 1);
      return (path.axis ?? 'x') === 'x' ? translationHomography(offset, 0) : translationHomography(0, offset);
    }
    case 'rotation': {
      const angle = (index * path.degreesPerFrame * Math.PI) / 180;
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      return aboutCentre(cos, -sin, sin, cos, cx, cy);
    }
    case 'zoom': {
      // Magnifying the content by s shrinks the world area a frame pixel covers by 1/s.
      const inv = path.scalePerFrame ** -index;
      return aboutCentre(inv, 0, 0, inv, cx, cy);
    }
    case 'compose': {
      let h = identityHomography();
      for (const p of path.paths) h = composeHomographies(h, cameraPathHomography(p, index, width, height));
      return normalizeHomography(h, h);
    }
    case 'custom': {
      const raw = path.homography(index);
      if (raw.length !== 9)
        throw new OptionError(`path.homography(${index}) returned ${raw.length} numbers; a homography is 9, row-major 3x3.`);
      for (let k = 0; k < 9; k++) finite(raw[k], `path.homography(${index})[${k}]`);
      if (raw[8] === 0) throw new OptionError(`path.homography(${index})[8] is 0; give homographies with a non-zero last entry.`);
      return normalizeHomography(raw);
    }
  }
}
