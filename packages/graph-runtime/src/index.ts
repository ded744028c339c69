/**
 * @packageDocumentation
 * The platform-neutral runtime: no `node:` imports, so it bundles for browsers. Under Node the
 * package resolves to `node.ts` instead, which adds file access (model paths, profile files).
 */
export { loadModel, type LoadModelOptions, type ModelSource } from './load-model.js';
export type { ModelFile, ModelFileAccess } from './load/file-access.js';
export { DEFAULT_MAX_MODEL_BYTES } from './load/model-limits.js';
export { Model, type SessionMode, type SessionOptions } from './model.js';
export { sessionModes } from './session/mode-registry.js';
export { DEFAULT_MEMORY_LIMIT, MAX_TENSOR_VALUES, type MemoryEstimate, type MemoryItem } from './session/memory-budget.js';
export type { Session, SessionBackendInfo } from './session/session.js';
export type { ProgramRoute } from './program/compile-program.js';
export { DenseSession } from './session/dense-session.js';
export { DeltaSession } from './delta/delta-session.js';
export { BlockSession, type BlockSessionStats } from './block/block-session.js';
export type { BlockFrameStats } from './block/block-stats.js';
export { DEFAULT_BLOCK_SIZE, DEFAULT_SCENE_CUT } from './block/block-options.js';
export { tileFormOf, type TileForm } from './block/tile-form.js';
export {
  DEFAULT_ALIGN_TOLERANCE,
  MotionSession,
  type KeyframeReason,
  type MotionAlignmentQuality,
  type MotionWarp,
  type MotionFrameGeometry,
  type MotionFrameStats,
  type MotionRunOptions,
  type MotionSessionStats,
  type ReanchorOptions,
} from './motion/motion-session.js';
export { outputToFrame } from './motion/map-output.js';
export { outputsOnFrame } from './motion/outputs-on-frame.js';
export { checkHomography } from './motion/homography.js';
export type { PoseChoice } from './motion/settle-pose.js';
export {
  compareMappedOutputs,
  type MappedComparison,
  type MappedOutputError,
  type MappedOutputScale,
  type MappedTensor,
} from './motion/compare-mapped-outputs.js';
export type { Homography3x3 } from './motion/homography.js';
export type { DeltaIsland, DeltaPlan, DeltaStep, DeltaThresholds } from './delta/delta-plan.js';
export type { FrameStats, NodeStats, SessionStats, UpdateMask } from './session/session-stats.js';
export { RESYNC_RATIO } from './session/stream-health.js';
export {
  registerBackend,
  registeredBackends,
  defaultBackends,
  type BackendRegistration,
  chooseBackend,
  type BackendFactory,
  type BackendChoice,
  type SkippedBackend,
} from './session/backend-registry.js';
export { ReferenceBackend } from '@motiondelta/reference-backend';
export type { Graph, GraphNode, GraphSource, InputDtype, InputTensor, ValueInfo } from './ir/graph.js';
export { makeNode } from './ir/graph.js';
export { importOnnx } from './import/onnx/index.js';
export { readOnnxTensor, type OnnxTensor } from './import/onnx/tensor-file.js';
export { importTfjs, type ReadWeightFile, type ShardSource } from './import/tfjs/index.js';
export { simplifyGraph, type SimplifyOptions } from './simplify/simplify-graph.js';
export { planGraph, type ExecutionPlan } from './shape/plan-graph.js';
export type { ResolvedNode } from './shape/op-shapes.js';
export { runGraphDense } from './executor/run-graph-dense.js';
export { calibrateThresholds, type CalibrationOptions, type CalibrationTry } from './delta/calibrate-thresholds.js';
export { argmaxAgreement, type ArgmaxCount } from './delta/argmax-agreement.js';
export { checkProfile, type ProfileUse } from './delta/check-profile.js';
export {
  formatProfile,
  parseProfile,
  profileOptions,
  type AchievedError,
  type ProfilePreprocessing,
  type CalibrationTarget,
  type ThresholdProfile,
} from './delta/threshold-profile.js';
export { tensorError, type TensorError } from './stats/tensor-error.js';
