import { OptionError } from '@motiondelta/core';
import { layerOrigin } from './layer-offsets.js';
import type { Rect, WorldPoint } from './rectangles.js';
import type { ViewportMove } from './viewport-move.js';
import { moveViewport } from './viewport-move.js';
import { rectArea } from './rectangles.js';

/**
 * World coordinates are kept within ±2^30 so that slot owners fit an Int32Array and sums of a
 * coordinate and a buffer size never leave the exactly representable integers.
 */
export const MAX_WORLD_COORDINATE = 2 ** 30;

/** Options of {@link SphericalGeometry}. Sizes are in this layer's pixels. */
export interface SphericalGeometryOptions {
  /** Buffer rows (slots along y). Must be at least `viewportHeight + 2 * ring`. */
  readonly slotsH: number;
  /** Buffer columns (slots along x). Must be at least `viewportWidth + 2 * ring`. */
  readonly slotsW: number;
  /** Viewport rows in this layer's pixels. */
  readonly viewportHeight: number;
  /** Viewport columns in this layer's pixels. */
  readonly viewportWidth: number;
  /** Padding ring kept around the viewport (the radius of the padded convolution writing here). Default 0. */
  readonly ring?: number;
  /** This layer's stride relative to the input (product of strides so far). Default 1. */
  readonly stride?: number;
  /** Side of the square slot tiles used for tile-level bookkeeping. Default 8. */
  readonly tileSize?: number;
}

/** `((v mod size) + size) mod size`: the slot coordinate of world coordinate `v`, negative `v` too. */
export function wrapCoordinate(v: number, size: number): number {
  // JS `%` keeps the sign of the dividend; the second `% size` folds negatives into [0, size).
  // `+ 0` normalises -0.
  return (((v % size) + size) % size) + 0;
}

/**
 * Geometry of one layer's spherical buffer: a `slotsH x slotsW` torus of slots addressed by world
 * coordinates modulo its size, plus the viewport (and its padding ring) that slides over the world.
 *
 * A viewport origin is the world position of the viewport's top-left pixel in this layer's pixels.
 * The *window* of an origin is the viewport grown by the ring on every side: the positions whose
 * accumulated outputs a padded convolution must keep (docs/architecture/motion.md). Because the window fits in
 * the buffer, its positions always occupy distinct slots.
 *
 * @example
 * ```ts
 * const g = new SphericalGeometry({ slotsH: 16, slotsW: 16, viewportHeight: 8, viewportWidth: 8, ring: 1 });
 * g.slotOf(-1, 17); // 15 * 16 + 1
 * g.windowAt({ y: 0, x: 0 }); // { y: -1, x: -1, height: 10, width: 10 }
 * ```
 */
export class SphericalGeometry {
  readonly slotsH: number;
  readonly slotsW: number;
  readonly viewportHeight: number;
  readonly viewportWidth: number;
  readonly ring: number;
  readonly stride: number;
  readonly tileSize: number;
  /** Tiles along y: `ceil(slotsH / tileSize)`. */
  readonly tilesH: number;
  /** Tiles along x: `ceil(slotsW / tileSize)`. */
  readonly tilesW: number;

  /** @throws OptionError when a size is not a positive integer or the window does not fit in the buffer. */
  constructor(options: SphericalGeometryOptions) {
    const ring = options.ring ?? 0;
    const stride = options.stride ?? 1;
    const tileSize = options.tileSize ?? 8;
    positiveInt('slotsH', options.slotsH);
    positiveInt('slotsW', options.slotsW);
    positiveInt('viewportHeight', options.viewportHeight);
    positiveInt('viewportWidth', options.viewportWidth);
    positiveInt('stride', stride);
    positiveInt('tileSize', tileSize);
    if (!Number.isSafeInteger(ring) || ring < 0) {
      throw new OptionError(`ring must be a non-negative integer, got ${ring}.`);
    }
    // A window larger than the buffer would put two live positions in one slot.
    if (options.viewportHeight + 2 * ring > options.slotsH || options.viewportWidth + 2 * ring > options.slotsW) {
      throw new OptionError(
        `The viewport ${options.viewportHeight}x${options.viewportWidth} with ring ${ring} needs at least ` +
          `${options.viewportHeight + 2 * ring}x${options.viewportWidth + 2 * ring} slots, got ${options.slotsH}x${options.slotsW}.`,
      );
    }
    this.slotsH = options.slotsH;
    this.slotsW = options.slotsW;
    this.viewportHeight = options.viewportHeight;
    this.viewportWidth = options.viewportWidth;
    this.ring = ring;
    this.stride = stride;
    this.tileSize = tileSize;
    this.tilesH = Math.ceil(this.slotsH / tileSize);
    this.tilesW = Math.ceil(this.slotsW / tileSize);
  }

  /** Number of slots, `slotsH * slotsW`. */
  get slotCount(): number {
    return this.slotsH * this.slotsW;
  }

  /** Slot row of world row `y`. */
  slotRow(y: number): number {
    return wrapCoordinate(y, this.slotsH);
  }

  /** Slot column of world column `x`. */
  slotCol(x: number): number {
    return wrapCoordinate(x, this.slotsW);
  }

  /** Flat slot index (`row * slotsW + col`) of world pixel `(y, x)`. */
  slotOf(y: number, x: number): number {
    return this.slotRow(y) * this.slotsW + this.slotCol(x);
  }

  /** The viewport at `origin`: `[y, y + viewportHeight) x [x, x + viewportWidth)`. */
  viewportAt(origin: WorldPoint): Rect {
    checkOrigin(origin);
    return { y: origin.y, x: origin.x, height: this.viewportHeight, width: this.viewportWidth };
  }

  /** The viewport at `origin` grown by the ring on every side: the positions this layer must keep. */
  windowAt(origin: WorldPoint): Rect {
    checkOrigin(origin);
    const p = this.ring;
    return { y: origin.y - p, x: origin.x - p, height: this.viewportHeight + 2 * p, width: this.viewportWidth + 2 * p };
  }

  /**
   * This layer's viewport origin for an input-pixel world offset; see {@link layerOffset}.
   * @throws OptionError when `offset` is not a multiple of `totalStride` or `stride` does not divide it.
   */
  originFromInput(offset: WorldPoint, totalStride: number): WorldPoint {
    return layerOrigin(offset, this.stride, totalStride);
  }

  /**
   * Stateless move from viewport origin `from` to `to`: assumes the buffer holds exactly
   * `window(from)`, so every unveiled slot is reset (the exact viewport semantics of docs/architecture/motion.md).
   * Use {@link SlotTracker} to keep content that leaves and re-enters before its slot is reused.
   *
   * @example
   * ```ts
   * const g = new SphericalGeometry({ slotsH: 8, slotsW: 8, viewportHeight: 4, viewportWidth: 4 });
   * const m = g.moveViewport({ y: 0, x: 0 }, { y: 0, x: 1 });
   * m.unveiled; // [{ y: 0, x: 4, height: 4, width: 1 }]
   * m.resetSlots; // Int32Array [4, 12, 20, 28]
   * ```
   */
  moveViewport(from: WorldPoint, to: WorldPoint): ViewportMove {
    return moveViewport(this, from, to);
  }

  /**
   * Slot indices of every pixel of `rects`, row by row, in one typed array.
   *
   * Each rectangle must be at most the buffer's size (else two of its pixels share a slot). Slots of
   * different rectangles are not de-duplicated: pass disjoint rectangles, as {@link moveViewport} returns.
   */
  slotsOfRects(rects: readonly Rect[]): Int32Array {
    let total = 0;
    for (const r of rects) {
      this.checkFits(r);
      total += rectArea(r);
    }
    const out = new Int32Array(total);
    let k = 0;
    for (const r of rects) {
      if (rectArea(r) === 0) continue;
      const col0 = this.slotCol(r.x);
      for (let dy = 0; dy < r.height; dy++) {
        const rowBase = this.slotRow(r.y + dy) * this.slotsW;
        // Walk columns with an incremental wrap instead of a modulo per pixel.
        let col = col0;
        for (let dx = 0; dx < r.width; dx++) {
          out[k++] = rowBase + col;
          col = col + 1 === this.slotsW ? 0 : col + 1;
        }
      }
    }
    return out;
  }

  /**
   * Sorted, distinct indices (`tileRow * tilesW + tileCol`) of the `tileSize x tileSize` slot tiles that
   * hold at least one of `slots`; backends use them to clear or dispatch per tile.
   */
  tilesOfSlots(slots: ArrayLike<number>): Int32Array {
    const marks = new Uint8Array(this.tilesH * this.tilesW);
    let count = 0;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      const row = Math.floor(s / this.slotsW);
      const t = Math.floor(row / this.tileSize) * this.tilesW + Math.floor((s - row * this.slotsW) / this.tileSize);
      if (marks[t] === 0) {
        marks[t] = 1;
        count++;
      }
    }
    const out = new Int32Array(count);
    let k = 0;
    for (let t = 0; t < marks.length; t++) if (marks[t] === 1) out[k++] = t;
    return out;
  }

  /** @throws OptionError when `r` is not integral or is larger than the buffer (two of its pixels would share a slot). */
  checkFits(r: Rect): void {
    if (
      !Number.isSafeInteger(r.y) ||
      !Number.isSafeInteger(r.x) ||
      !Number.isSafeInteger(r.height) ||
      !Number.isSafeInteger(r.width) ||
      r.height < 0 ||
      r.width < 0
    ) {
      throw new OptionError(
        `Rectangle (y=${r.y}, x=${r.x}, height=${r.height}, width=${r.width}) must have integer corners and non-negative integer sizes.`,
      );
    }
    if (r.height > this.slotsH || r.width > this.slotsW) {
      throw new OptionError(
        `A ${r.height}x${r.width} rectangle does not fit in a ${this.slotsH}x${this.slotsW} spherical buffer: ` +
          'two of its pixels would share a slot.',
      );
    }
  }
}

function positiveInt(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 1) throw new OptionError(`${name} must be a positive integer, got ${v}.`);
}

/** @throws OptionError when an origin is not an integer within ±{@link MAX_WORLD_COORDINATE}. */
export function checkOrigin(origin: WorldPoint): void {
  for (const v of [origin.y, origin.x]) {
    if (!Number.isSafeInteger(v) || Math.abs(v) > MAX_WORLD_COORDINATE) {
      throw new OptionError(
        `Viewport origin (${origin.y}, ${origin.x}) must be integers within ±2^30 layer pixels; ` +
          'sub-stride motion belongs in the frame warp, and a world drifting this far should be re-anchored.',
      );
    }
  }
}
