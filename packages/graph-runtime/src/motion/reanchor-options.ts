/** When motion mode gives up on the world frame and takes a dense keyframe (re-anchors). */
export interface ReanchorOptions {
  /** Largest zoom factor (either way) against the world frame, measured at the frame centre. Default 1.25. `warp: 'homography'` only. */
  readonly maxScaleChange?: number;
  /** Largest rotation against the world frame, in radians. Default 0.2 (about 11.5 degrees). `warp: 'homography'` only. */
  readonly maxRotation?: number;
  /** Smallest fraction of the viewport that must stay in view across a move. Default 0.5. */
  readonly minOverlap?: number;
  /** Smallest fraction of the viewport the warped frame must cover. Default 0.5. */
  readonly minCoverage?: number;
  /**
   * Largest alignment residual: the mean absolute difference between the warped frame and what the
   * viewport held at the same world pixels (where both exist), over the mean magnitude of the
   * latter. A frame over it is one the homography does not explain (wrong estimate, parallax,
   * large moving objects): its deltas would cost about a keyframe and leave the world
   * inconsistent, so it re-anchors (`residual`). Default `Infinity` (off) in a bare session;
   * `createVideoSession` uses 0.25 (the cube clip's zoom leaves 0.04 to 0.06 with
   * `warp: 'homography'` and 0.11 to 0.19 with `'whole-pixel'`). Frames over `sceneCut` are scene
   * cuts instead.
   */
  readonly maxResidual?: number;
  /**
   * Largest RMS transfer error (pixels) of the homography's estimate, when the caller gives it
   * (`run(inputs, { homography, alignment: { rms } })`; `VideoSession` does). Default 2.
   */
  readonly maxAlignRms?: number;
  /** Fewest inliers of the homography's estimate, when the caller gives them. Default 0 (off). */
  readonly minInliers?: number;
}
