import { registerShippedBackends } from './browser-backends.js';

/**
 * MotionDelta for browsers (the entry bundlers pick: every export condition but `node`): the
 * runtime, model loading from URLs, Files and bytes, block policies and the `webgpu` backend,
 * with no `node:` import. What needs Node (file paths, the native CPU and CUDA backends, video
 * decoding through ffmpeg) is in the Node entry only.
 *
 * @example
 * ```ts
 * import { loadModel } from 'motiondelta';
 * const model = await loadModel(new URL('models/esrgan-x2/model.json', location.href));
 * const session = await model.createSession({ mode: 'delta', backend: ['webgpu', 'reference'], threshold: 0.01 });
 * console.log(session.backendInfo.id); // 'webgpu' where the page has WebGPU
 * ```
 */
export * from '@motiondelta/core';
export * from '@motiondelta/graph-runtime';
export * from '@motiondelta/policy-rl';
export { BLOCK_POLICY_NAMES, createPolicy, type BlockPolicyName, type BlockPolicyOptions } from './block-policies.js';
export { DEFAULT_BACKENDS, registerShippedBackends } from './browser-backends.js';

registerShippedBackends();
