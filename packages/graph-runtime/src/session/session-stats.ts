/** Per-node figures of a session, accumulated over the frames it ran. */
export interface NodeStats {
  readonly name: string;
  readonly op: string;
  /** Multiply-accumulates done on the last frame. */
  readonly macs: number;
  /** Multiply-accumulates dense inference would do for the same frame. */
  readonly denseMacs: number;
  /** Fraction of output pixels updated on the last frame (1 in dense mode). */
  readonly activeFraction: number;
  /** Milliseconds spent in this node on the last frame. */
  readonly ms: number;
}

/** One frame's totals. */
export interface FrameStats {
  readonly index: number;
  readonly ms: number;
  readonly macs: number;
  readonly denseMacs: number;
  /** Computed densely from scratch (every dense frame; the first delta frame and after reset). */
  readonly keyframe: boolean;
}

/** What `session.stats()` returns. */
export interface SessionStats {
  readonly mode: 'dense' | 'delta' | 'motion';
  readonly backend: string;
  readonly frames: readonly FrameStats[];
  readonly nodes: readonly NodeStats[];
}

/** Which pixels of a node's output were updated on the last frame (1 = updated). */
export interface UpdateMask {
  readonly node: string;
  /** [N, H, W] of the node's output (1-D and 2-D outputs count as one row of pixels). */
  readonly shape: readonly [number, number, number];
  readonly mask: Uint8Array;
}

/** How many frames of per-frame statistics a session keeps (older ones are dropped). */
export const FRAME_HISTORY = 10_000;

/** Appends a frame's figures, dropping the oldest beyond {@link FRAME_HISTORY}. */
export function recordFrame(frames: FrameStats[], frame: FrameStats): void {
  frames.push(frame);
  if (frames.length > FRAME_HISTORY) frames.shift();
}
