import type { Rect, WorldPoint } from './rectangles.js';
import type { ViewportMove } from './viewport-move.js';
import { moveGeometry } from './viewport-move.js';
import type { SphericalGeometry } from './world-addressing.js';
import { checkOrigin } from './world-addressing.js';

/** Owner coordinate of a slot that has never stood for a world position (outside ±2^30, so never a real one). */
const NO_OWNER = -0x80000000;

/**
 * Remembers which world position each slot of one layer's buffer stands for, so that moves reset
 * only slots whose meaning really changes.
 *
 * Retention rule: a position keeps its slot (and the slot's content) after it leaves the window until
 * a position congruent to it modulo the buffer size enters the window and claims the slot. A
 * position that leaves and re-enters before that is unveiled but not reset; one whose slot was
 * claimed in between is reset. Slots outside the new window are never reset by a move: their
 * content only matters again if their owner re-enters.
 *
 * This is the retention the "memory" semantics (docs/architecture/motion.md, "Why exact, not memory") needs per layer; whether it is nested
 * across layers (an input retained at least as long as the outputs it touched) depends on the buffer
 * sizes chosen per layer and is the caller's to ensure.
 *
 * @example
 * ```ts
 * const g = new SphericalGeometry({ slotsH: 8, slotsW: 8, viewportHeight: 4, viewportWidth: 4 });
 * const t = new SlotTracker(g, { y: 0, x: 0 });
 * t.move({ y: 0, x: 1 }).resetSlots.length; // 4: column 4 is new
 * t.move({ y: 0, x: 0 }).resetSlots.length; // 0: column 0 left and came back, its slots untouched
 * ```
 */
export class SlotTracker {
  readonly geometry: SphericalGeometry;
  private currentOrigin: WorldPoint;
  // Struct-of-arrays so that a move does not allocate per slot.
  private readonly ownerY: Int32Array;
  private readonly ownerX: Int32Array;

  /** Starts with the window at `origin` owning its slots (the first frame is a dense keyframe). */
  constructor(geometry: SphericalGeometry, origin: WorldPoint) {
    checkOrigin(origin);
    this.geometry = geometry;
    this.ownerY = new Int32Array(geometry.slotCount).fill(NO_OWNER);
    this.ownerX = new Int32Array(geometry.slotCount).fill(NO_OWNER);
    this.currentOrigin = { y: origin.y, x: origin.x };
    this.claim(geometry.windowAt(origin), undefined);
  }

  /** The viewport origin after the last move. */
  get origin(): WorldPoint {
    return this.currentOrigin;
  }

  /** The world position slot `slot` stands for, or `undefined` if it never stood for one. */
  ownerOf(slot: number): WorldPoint | undefined {
    const y = this.ownerY[slot];
    const x = this.ownerX[slot];
    if (y === undefined || x === undefined || y === NO_OWNER) return undefined;
    return { y, x };
  }

  /**
   * Moves the viewport to `to` and returns what changed; `resetSlots` holds only slots whose owner
   * changed, so re-entering positions that kept their slot are left alone.
   */
  move(to: WorldPoint): ViewportMove {
    const geo = moveGeometry(this.geometry, this.currentOrigin, to);
    // At most every unveiled slot is reset; trim afterwards instead of growing per element.
    const reset = new Int32Array(geo.unveiledSlots.length);
    let n = 0;
    for (const r of geo.unveiled) n = this.claim(r, reset, n);
    this.currentOrigin = { y: to.y, x: to.x };
    const resetSlots = reset.slice(0, n);
    return { ...geo, resetSlots, resetTiles: this.geometry.tilesOfSlots(resetSlots) };
  }

  /** Makes every position of `r` own its slot; records slots whose owner changed in `out` from `n` on. */
  private claim(r: Rect, out: Int32Array | undefined, n = 0): number {
    const g = this.geometry;
    for (let dy = 0; dy < r.height; dy++) {
      const y = r.y + dy;
      const rowBase = g.slotRow(y) * g.slotsW;
      let col = g.slotCol(r.x);
      for (let dx = 0; dx < r.width; dx++) {
        const x = r.x + dx;
        const s = rowBase + col;
        if (this.ownerY[s] !== y || this.ownerX[s] !== x) {
          this.ownerY[s] = y;
          this.ownerX[s] = x;
          if (out !== undefined) out[n++] = s;
        }
        col = col + 1 === g.slotsW ? 0 : col + 1;
      }
    }
    return n;
  }
}
