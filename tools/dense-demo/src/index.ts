export { compareModel, type CompareOptions, type ModelComparison, type OutputComparison } from './compare-model.js';
export { readModelFrames, type FrameSelection } from './read-model-frames.js';
