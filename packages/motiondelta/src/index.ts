import { registerShippedBackends } from './shipped-backends.js';

/**
 * MotionDelta: load an ONNX or TF.js model, create a session, push frames.
 *
 * @example
 * ```ts
 * import { loadModel, DEFAULT_BACKENDS } from 'motiondelta';
 * const model = await loadModel('model.onnx');
 * const session = await model.createSession({ mode: 'delta', backend: DEFAULT_BACKENDS, threshold: 0.01 });
 * console.log(session.backendInfo); // { id: 'cpu-native', skipped: [] } where the addon is built
 * ```
 */
export * from '@motiondelta/core';
export * from '@motiondelta/graph-runtime';
export { createCpuNativeBackend } from '@motiondelta/sparse-kernels-cpu';
export { DEFAULT_BACKENDS, registerShippedBackends, setCpuNativeThreads } from './shipped-backends.js';
export * from '@motiondelta/policy-rl';
export { BLOCK_POLICY_NAMES, createPolicy, type BlockPolicyName, type BlockPolicyOptions } from './block-policies.js';
// These two shadow graph-runtime's (export * gives way to local exports): block policies by name.
export { Model, loadModel } from './block-model.js';
export { resolveSessionOptions, type MotionDeltaSessionOptions } from './block-session-options.js';
export {
  VideoSession,
  VIDEO_DEFAULTS,
  createVideoSession,
  type ProcessOptions,
  type VideoFrameResult,
  type VideoSessionOptions,
  type VideoSource,
} from './video/video-session.js';
export {
  createFrameAlignment,
  modelFromVideo,
  type AlignSource,
  type AlignSpec,
  type AlignStep,
  type FrameAlignment,
  type InputGeometry,
} from './video/frame-alignment.js';
export { centredCrop, streamVideoFrames, type FrameRange } from './video/video-frames.js';
export type { RawFrameStream } from '@motiondelta/video-io';

registerShippedBackends();
