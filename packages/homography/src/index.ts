export { AlignmentError } from './errors.js';
export type { GrayImage, ImageInput, PixelData } from './image.js';
export { assertImage } from './image.js';
export { toGrayscale } from './grayscale.js';
export { lumaHalf } from './luma-half.js';
export { blurBinomial3, blurBinomial7 } from './blur.js';
export { buildPyramid, halveBox, resizeBilinear, type PyramidLevel } from './pyramid.js';
export { detectFast, type CornerList } from './fast-corners.js';
export { harrisResponse } from './harris.js';
export { PATCH_RADIUS, patchOrientation } from './orientation.js';
export { ANGLE_STEPS, DESCRIPTOR_BITS, DESCRIPTOR_WORDS, describeKeypoint } from './orb-descriptor.js';
export { extractFeatures, type FeatureOptions, type FrameFeatures } from './features.js';
export { matchDescriptors, type MatchOptions, type Matches, type MatchWindow } from './match-hamming.js';
export { levelWindow } from './level-window.js';
export {
  applyHomography,
  assertHomography,
  composeHomographies,
  cornerError,
  identityHomography,
  invertHomography,
  normalizeHomography,
  translationHomography,
  type Homography,
} from './homography-math.js';
export { homographyDlt, homographyFrom4, type Correspondences } from './normalized-dlt.js';
export { homographyIsPlausible, sampleIsUsable } from './degeneracy.js';
export { msacHomography, transferErrors, type MsacOptions, type MsacResult } from './ransac.js';
export { refineHomographyLm, type LmOptions } from './levenberg-marquardt.js';
export { refineInverseCompositional, type DirectRefineOptions, type DirectRefineResult } from './inverse-compositional.js';
export { warpBilinear, type WarpOptions, type WarpResult } from './warp-bilinear.js';
export { splitViewport, type ViewportSplit, type ViewportSplitOptions } from './viewport-split.js';
export { homographyFromRotation, rotationFromQuaternion, type Intrinsics } from './rotation-homography.js';
export {
  estimateHomography,
  estimateHomographyFromFeatures,
  type AlignmentFailure,
  type AlignmentFailureResult,
  type AlignmentResult,
  type AlignmentStats,
  type AlignmentSuccess,
  type EstimateOptions,
} from './estimate-homography.js';
export { MOTION_CLASSES, makeSyntheticPair, type MotionClass, type SyntheticPair } from './synthetic-pair.js';
export { MODERATE_WARP_RANGE, makeWarpRangePair, type WarpRange, type WarpRangePair } from './warp-range-pair.js';
export { createFrameAligner, type FrameAligner } from './frame-aligner.js';
