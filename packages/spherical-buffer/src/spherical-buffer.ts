import type { Tensor } from '@motiondelta/core';
import { OptionError, ShapeError, checkTensor, formatShape } from '@motiondelta/core';
import type { Rect, WorldPoint } from './rectangles.js';
import { rectArea } from './rectangles.js';
import type { SphericalGeometry } from './world-addressing.js';

/**
 * CPU storage for one layer: `slotsH * slotsW * channels` float32 values, slot-major with channels
 * innermost (NHWC over the slot grid), addressed by world coordinates through a {@link SphericalGeometry}.
 *
 * Channels innermost keeps each pixel's channel vector contiguous, so copies between the torus and a
 * dense tensor move whole row runs with `TypedArray.set`: at most two runs per row, split where the
 * row wraps around the buffer (rectangles are never wider than the buffer, so never more).
 *
 * @example
 * ```ts
 * const g = new SphericalGeometry({ slotsH: 8, slotsW: 8, viewportHeight: 4, viewportWidth: 4 });
 * const buf = new SphericalBuffer(g, 3);
 * buf.set(-1, 9, 2, 0.5);
 * buf.get(7, 1, 2); // 0.5: world (-1, 9) and (7, 1) share a slot
 * const view = buf.readViewport({ y: 0, x: 0 }); // { shape: [1, 4, 4, 3], data }
 * ```
 */
export class SphericalBuffer {
  readonly geometry: SphericalGeometry;
  readonly channels: number;
  /** The raw slots; `data[slot * channels + c]`. */
  readonly data: Float32Array;

  /** @throws OptionError when `channels` is not a positive integer. */
  constructor(geometry: SphericalGeometry, channels: number) {
    if (!Number.isSafeInteger(channels) || channels < 1) {
      throw new OptionError(`channels must be a positive integer, got ${channels}.`);
    }
    this.geometry = geometry;
    this.channels = channels;
    this.data = new Float32Array(geometry.slotCount * channels);
  }

  /** Index in `data` of channel 0 of world pixel `(y, x)`. */
  offsetOf(y: number, x: number): number {
    return this.geometry.slotOf(y, x) * this.channels;
  }

  /** Value of channel `c` at world pixel `(y, x)`. */
  get(y: number, x: number, c: number): number {
    return this.data[this.offsetOf(y, x) + this.checkChannel(c)]!;
  }

  /** Sets channel `c` at world pixel `(y, x)`. */
  set(y: number, x: number, c: number, value: number): void {
    this.data[this.offsetOf(y, x) + this.checkChannel(c)] = value;
  }

  /** Zeroes every slot of the world rectangles `rects` (all channels). */
  resetSlots(rects: readonly Rect[]): void {
    const g = this.geometry;
    for (const r of rects) {
      g.checkFits(r);
      if (rectArea(r) === 0) continue;
      const c = this.channels;
      const col = g.slotCol(r.x);
      const first = Math.min(r.width, g.slotsW - col);
      for (let dy = 0; dy < r.height; dy++) {
        const rowBase = g.slotRow(r.y + dy) * g.slotsW;
        this.data.fill(0, (rowBase + col) * c, (rowBase + col + first) * c);
        if (first < r.width) this.data.fill(0, rowBase * c, (rowBase + r.width - first) * c);
      }
    }
  }

  /** Zeroes the listed slot indices (all channels), e.g. a move's `resetSlots`. */
  resetSlotIndices(slots: ArrayLike<number>): void {
    const c = this.channels;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      if (!Number.isInteger(s) || s < 0 || s >= this.geometry.slotCount) {
        throw new OptionError(`Slot index ${s} is outside [0, ${this.geometry.slotCount}).`);
      }
      this.data.fill(0, s * c, (s + 1) * c);
    }
  }

  /** Copies the world rectangle `rect` out to a dense `[1, height, width, channels]` tensor. */
  readRect(rect: Rect): Tensor {
    this.geometry.checkFits(rect);
    const c = this.channels;
    const out = new Float32Array(rectArea(rect) * c);
    const g = this.geometry;
    const col = g.slotCol(rect.x);
    const first = Math.min(rect.width, g.slotsW - col);
    for (let dy = 0; dy < rect.height; dy++) {
      const rowBase = g.slotRow(rect.y + dy) * g.slotsW;
      const dst = dy * rect.width * c;
      out.set(this.data.subarray((rowBase + col) * c, (rowBase + col + first) * c), dst);
      if (first < rect.width) out.set(this.data.subarray(rowBase * c, (rowBase + rect.width - first) * c), dst + first * c);
    }
    return { data: out, shape: [1, Math.max(rect.height, 0), Math.max(rect.width, 0), c] };
  }

  /** Copies a dense `[1, height, width, channels]` tensor into the world rectangle `rect`. */
  writeRect(rect: Rect, tensor: Tensor): void {
    this.geometry.checkFits(rect);
    checkTensor('tensor', tensor);
    const c = this.channels;
    const s = tensor.shape;
    if (s.length !== 4 || s[0] !== 1 || s[1] !== rect.height || s[2] !== rect.width || s[3] !== c) {
      throw new ShapeError(`writeRect needs a tensor of shape [1,${rect.height},${rect.width},${c}], got ${formatShape(s)}.`);
    }
    const g = this.geometry;
    const col = g.slotCol(rect.x);
    const first = Math.min(rect.width, g.slotsW - col);
    for (let dy = 0; dy < rect.height; dy++) {
      const rowBase = g.slotRow(rect.y + dy) * g.slotsW;
      const src = dy * rect.width * c;
      this.data.set(tensor.data.subarray(src, src + first * c), (rowBase + col) * c);
      if (first < rect.width) this.data.set(tensor.data.subarray(src + first * c, src + rect.width * c), rowBase * c);
    }
  }

  /**
   * The viewport at `origin` (optionally with its ring) as a dense NHWC tensor, for tests and for dense
   * islands (global pooling, heads) that need contiguous input.
   */
  readViewport(origin: WorldPoint, options: { readonly withRing?: boolean } = {}): Tensor {
    const rect = options.withRing === true ? this.geometry.windowAt(origin) : this.geometry.viewportAt(origin);
    return this.readRect(rect);
  }

  private checkChannel(c: number): number {
    if (!Number.isInteger(c) || c < 0 || c >= this.channels) {
      throw new OptionError(`Channel ${c} is outside [0, ${this.channels}).`);
    }
    return c;
  }
}
