import { registerBackend } from '@motiondelta/graph-runtime';
import { createWebGpuBackend } from '@motiondelta/sparse-kernels-webgpu';

/**
 * The backend preference of browser sessions that name none: the pure-TypeScript reference
 * backend. `webgpu` is selectable by name (`backend: ['webgpu', 'reference']`), as in Node, never
 * a default: its delta steps do not yet skip inactive tiles, and a browser without a GPU computes
 * it on a software adapter. Where the page has no WebGPU, a session naming it falls back to the
 * next backend and `backendInfo.skipped` says why.
 */
export const DEFAULT_BACKENDS: readonly string[] = ['reference'];

/**
 * Makes the backends the browser build ships selectable by id: `webgpu` (on `navigator.gpu`) and
 * `reference` (registered by the runtime itself). Called when the browser entry is imported;
 * calling it again changes nothing.
 *
 * @example
 * ```ts
 * import { loadModel } from 'motiondelta'; // resolves to the browser entry in a bundler
 * const model = await loadModel('/models/selfie/model.json');
 * const session = await model.createSession({ mode: 'delta', backend: ['webgpu', 'reference'], threshold: 0.01 });
 * console.log(session.backendInfo); // { id: 'webgpu', skipped: [] } where the page has WebGPU
 * ```
 */
export function registerShippedBackends(): void {
  registerBackend('webgpu', () => createWebGpuBackend());
}
