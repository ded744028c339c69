// The reference-engines package builds only once its tfjs half exists; its sources are imported
// directly so these tests do not wait for that build.
export { runOnnxRuntime } from '../../../../../tools/reference-engines/src/onnxruntime.js';
export { nchwToNhwc, nhwcToNchw } from '../../../../../tools/reference-engines/src/layout.js';
