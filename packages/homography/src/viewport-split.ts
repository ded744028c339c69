import { AlignmentError } from './errors.js';
import { applyHomography, assertHomography, composeHomographies, type Homography, translationHomography } from './homography-math.js';

/** Options of {@link splitViewport}. */
export interface ViewportSplitOptions {
  readonly frameWidth: number;
  readonly frameHeight: number;
  readonly viewportWidth: number;
  readonly viewportHeight: number;
  /** The network's total stride: offsets are multiples of it so every layer shifts by whole pixels. */
  readonly stride: number;
}

/** A world homography split into an integer viewport offset and a residual warp. */
export interface ViewportSplit {
  /** World position of the viewport's top-left pixel; multiples of `stride`. */
  readonly offsetX: number;
  readonly offsetY: number;
  /** Frame pixels to viewport pixels: `T(-offset) · worldFromFrame`. Warp the frame with it. */
  readonly residual: Homography;
}

/**
 * Splits `worldFromFrame` (frame pixels to world pixels) into the stride-aligned viewport offset
 * nearest to centring the frame in the viewport, and the residual homography that warps the
 * frame into that viewport. Composing `translation(offset) · residual` gives back
 * `worldFromFrame` exactly.
 *
 * @example
 * ```ts
 * const { offsetX, offsetY, residual } = splitViewport(translationHomography(37.4, -5), {
 *   frameWidth: 640, frameHeight: 480, viewportWidth: 640, viewportHeight: 480, stride: 16,
 * }); // offsetX 32, offsetY 0, residual = translation(5.4, -5)
 * ```
 */
export function splitViewport(worldFromFrame: ArrayLike<number>, options: ViewportSplitOptions): ViewportSplit {
  assertHomography(worldFromFrame, 'worldFromFrame');
  const { frameWidth, frameHeight, viewportWidth, viewportHeight, stride } = options;
  if (!Number.isInteger(stride) || stride < 1) throw new AlignmentError(`stride is ${stride}; use a positive integer.`);
  for (const [k, v] of Object.entries({ frameWidth, frameHeight, viewportWidth, viewportHeight })) {
    if (!(v > 0)) throw new AlignmentError(`${k} is ${v}; use a positive number.`);
  }
  const [cx, cy] = applyHomography(worldFromFrame, (frameWidth - 1) / 2, (frameHeight - 1) / 2);
  if (!Number.isFinite(cx) || !Number.isFinite(cy)) {
    throw new AlignmentError('worldFromFrame sends the frame centre to infinity; it is not a camera motion.');
  }
  // Nearest multiple of the stride to the offset that would centre the frame exactly.
  const offsetX = Math.round((cx - (viewportWidth - 1) / 2) / stride) * stride;
  const offsetY = Math.round((cy - (viewportHeight - 1) / 2) / stride) * stride;
  const residual = composeHomographies(translationHomography(-offsetX, -offsetY), worldFromFrame);
  // Math.round can give -0; keep offsets as plain integers.
  return { offsetX: offsetX + 0, offsetY: offsetY + 0, residual };
}
