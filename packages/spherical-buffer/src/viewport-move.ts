import type { Rect, WorldPoint } from './rectangles.js';
import { subtractRect } from './rectangles.js';
import type { SphericalGeometry } from './world-addressing.js';

/** What one layer's buffer must do when the viewport moves from `from` to `to` (origins in layer pixels). */
export interface ViewportMove {
  readonly from: WorldPoint;
  readonly to: WorldPoint;
  /**
   * Newly unveiled world pixels: `window(to)` minus `window(from)` (viewport plus ring), as at most four
   * disjoint rectangles. Empty for zero motion; the whole `window(to)` when the windows do not overlap.
   */
  readonly unveiled: readonly Rect[];
  /** Slot indices of `unveiled`, rectangle by rectangle, row by row. */
  readonly unveiledSlots: Int32Array;
  /**
   * Slots that now stand for a different world position than before the move (never seen, or
   * forgotten) and must be zeroed before use, in the order of their unveiled pixels. Always a subset of
   * `unveiledSlots`: positions that stayed inside the window keep their slots.
   */
  readonly resetSlots: Int32Array;
  /** Sorted distinct tile indices (see {@link SphericalGeometry.tilesOfSlots}) touched by `resetSlots`. */
  readonly resetTiles: Int32Array;
  /** Viewport pixels (no ring) that entered: `viewport(to)` minus `viewport(from)`; they propagate their values in full. */
  readonly enteredViewport: readonly Rect[];
  /** Viewport pixels (no ring) that left: `viewport(from)` minus `viewport(to)`; under exact semantics they retract. */
  readonly leftViewport: readonly Rect[];
}

/** The stateless rule behind {@link SphericalGeometry.moveViewport}: every unveiled slot is reset. */
export function moveViewport(geometry: SphericalGeometry, from: WorldPoint, to: WorldPoint): ViewportMove {
  const geo = moveGeometry(geometry, from, to);
  return { ...geo, resetSlots: geo.unveiledSlots, resetTiles: geometry.tilesOfSlots(geo.unveiledSlots) };
}

/** The rectangle part of a move, shared by the stateless rule and {@link SlotTracker}. */
export function moveGeometry(
  geometry: SphericalGeometry,
  from: WorldPoint,
  to: WorldPoint,
): Omit<ViewportMove, 'resetSlots' | 'resetTiles'> {
  const unveiled = subtractRect(geometry.windowAt(to), geometry.windowAt(from));
  return {
    from: { y: from.y, x: from.x },
    to: { y: to.y, x: to.x },
    unveiled,
    unveiledSlots: geometry.slotsOfRects(unveiled),
    enteredViewport: subtractRect(geometry.viewportAt(to), geometry.viewportAt(from)),
    leftViewport: subtractRect(geometry.viewportAt(from), geometry.viewportAt(to)),
  };
}
