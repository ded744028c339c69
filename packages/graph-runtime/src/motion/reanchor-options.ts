/** When motion mode gives up on the world frame and takes a dense keyframe (re-anchors). */
export interface ReanchorOptions {
  /** Largest zoom factor (either way) against the world frame, measured at the frame centre. Default 1.25. */
  readonly maxScaleChange?: number;
  /** Largest rotation against the world frame, in radians. Default 0.2 (about 11.5 degrees). */
  readonly maxRotation?: number;
  /** Smallest fraction of the viewport that must stay in view across a move. Default 0.5. */
  readonly minOverlap?: number;
  /** Smallest fraction of the viewport the warped frame must cover. Default 0.5. */
  readonly minCoverage?: number;
}
