import { OptionError } from '@motiondelta/core';
import type { CropRect, RgbImage } from '../types.js';

/** What a moving object looks like: a flat colour, or a crop of another photo starting at `(x, y)`. */
export type ObjectFill =
  { readonly color: readonly [number, number, number] } | { readonly image: RgbImage; readonly x?: number; readonly y?: number };

/**
 * A rectangle composited on top of every frame of a synthetic clip so that the scene is not
 * static. Its position is in frame pixels: it moves across the view on its own, whatever the
 * camera does. Frame `i` places its top-left corner at `round(x + i·dx), round(y + i·dy)`; it
 * may leave the frame partly or wholly (then only the part inside is drawn).
 */
export interface MovingObject {
  readonly width: number;
  readonly height: number;
  readonly fill: ObjectFill;
  readonly x: number;
  readonly y: number;
  /** Pixels per frame; default 0. */
  readonly dx?: number;
  readonly dy?: number;
}

function positiveInt(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw new OptionError(`${what} is ${value}; it must be a positive integer.`);
}

function finite(value: number, what: string): void {
  if (!Number.isFinite(value)) throw new OptionError(`${what} is ${value}; it must be a finite number.`);
}

/**
 * Throws {@link OptionError} unless `object` is well formed: positive integer size, finite
 * motion, colour bytes in 0..255, or a crop that lies inside its image.
 *
 * @example
 * ```ts
 * assertMovingObject({ width: 24, height: 16, fill: { color: [255, 0, 0] }, x: 10, y: 20, dx: 3 }); // passes
 * ```
 */
export function assertMovingObject(object: MovingObject): void {
  positiveInt(object.width, 'object.width');
  positiveInt(object.height, 'object.height');
  finite(object.x, 'object.x');
  finite(object.y, 'object.y');
  finite(object.dx ?? 0, 'object.dx');
  finite(object.dy ?? 0, 'object.dy');
  const fill = object.fill;
  if ('color' in fill) {
    if (fill.color.length !== 3 || !fill.color.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) {
      throw new OptionError(`object.fill.color is [${fill.color.join(', ')}]; give three integers in 0..255 (RGB).`);
    }
    return;
  }
  const { image, x = 0, y = 0 } = fill;
  if (image.data.length !== image.width * image.height * 3) {
    throw new OptionError(
      `object.fill.image has ${image.data.length} bytes; ${image.width}x${image.height} RGB needs ${image.width * image.height * 3}.`,
    );
  }
  if (
    !Number.isInteger(x) ||
    !Number.isInteger(y) ||
    x < 0 ||
    y < 0 ||
    x + object.width > image.width ||
    y + object.height > image.height
  ) {
    throw new OptionError(
      `object crop ${object.width}x${object.height} at (${x}, ${y}) does not fit in the ${image.width}x${image.height} fill image.`,
    );
  }
}

/**
 * Where the object sits in frame `index` (frame pixels; may extend past the frame).
 *
 * @example
 * ```ts
 * movingObjectRect({ width: 8, height: 8, fill: { color: [0, 0, 0] }, x: 4, y: 2, dx: 1.5 }, 2); // { x: 7, y: 2, width: 8, height: 8 }
 * ```
 */
export function movingObjectRect(object: MovingObject, index: number): CropRect {
  return {
    // Integer placement keeps the object's pixels exact copies of its fill.
    x: Math.round(object.x + index * (object.dx ?? 0)),
    y: Math.round(object.y + index * (object.dy ?? 0)),
    width: object.width,
    height: object.height,
  };
}

/**
 * Draws the object's fill into `frame` (RGB, `width x height`) at `rect`, clipped to the frame.
 *
 * @example
 * ```ts
 * drawMovingObject(frame, object, movingObjectRect(object, 5));
 * ```
 */
export function drawMovingObject(frame: RgbImage, object: MovingObject, rect: CropRect): void {
  const x0 = Math.max(0, rect.x);
  const y0 = Math.max(0, rect.y);
  const x1 = Math.min(frame.width, rect.x + rect.width);
  const y1 = Math.min(frame.height, rect.y + rect.height);
  if (x1 <= x0 || y1 <= y0) return;
  const out = frame.data;
  const fill = object.fill;
  for (let y = y0; y < y1; y++) {
    const row = (y * frame.width + x0) * 3;
    if ('color' in fill) {
      const [r, g, b] = fill.color;
      for (let o = row, end = row + (x1 - x0) * 3; o < end; o += 3) {
        out[o] = r;
        out[o + 1] = g;
        out[o + 2] = b;
      }
    } else {
      const src = fill.image;
      const sy = (fill.y ?? 0) + (y - rect.y);
      const sx = (fill.x ?? 0) + (x0 - rect.x);
      const start = (sy * src.width + sx) * 3;
      out.set(src.data.subarray(start, start + (x1 - x0) * 3), row);
    }
  }
}
