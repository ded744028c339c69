export type { Rect, WorldPoint } from './rectangles.js';
export { intersectRects, rectArea, rectContains, subtractRect } from './rectangles.js';
export { layerOffset, layerOrigin } from './layer-offsets.js';
export type { SphericalGeometryOptions } from './world-addressing.js';
export { MAX_WORLD_COORDINATE, SphericalGeometry, wrapCoordinate } from './world-addressing.js';
export type { ViewportMove } from './viewport-move.js';
export { SlotTracker } from './slot-tracker.js';
export { SphericalBuffer } from './spherical-buffer.js';
