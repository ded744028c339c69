import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { REQUIRED_CUDA_ENTRY_POINTS, type CudaAddon } from './cuda-addon.js';

/** Where `build:native` puts the addon, relative to the package root: the CUDA build first. */
export const CUDA_ADDON_CANDIDATES: readonly string[] = [
  'build/cuda/Release/motiondelta_cuda.node',
  'build/cpu/Release/motiondelta_cuda.node',
];

/** How to build the addon, for messages. */
export const CUDA_BUILD_HINT =
  'build it with `pnpm --filter @motiondelta/sparse-kernels-cuda build:native` in the MotionDelta repository, or ' +
  '`node scripts/build-native.mjs` in the installed package (needs cmake and a C++17 compiler; with nvcc >= 12 ' +
  'on the PATH or in CUDACXX it builds the CUDA addon, otherwise a CPU-only one)';

/** The loaded addon, or why none loaded. */
export type CudaAddonLoad =
  { readonly ok: true; readonly addon: CudaAddon; readonly path: string } | { readonly ok: false; readonly reason: string };

const require = createRequire(import.meta.url);
const cache = new Map<string, CudaAddonLoad>();

/** This package's root: dist/index.js and src/*.ts both sit one level below it. */
function packageRoot(): string {
  return fileURLToPath(new URL('..', import.meta.url));
}

function loadFile(path: string): CudaAddonLoad {
  try {
    const addon = require(path) as Partial<CudaAddon>;
    const missing = REQUIRED_CUDA_ENTRY_POINTS.filter((name) => typeof addon[name] !== 'function');
    if (missing.length > 0)
      return { ok: false, reason: `not built: ${path} is a stale build (it lacks ${missing.join(', ')}); ${CUDA_BUILD_HINT}` };
    return { ok: true, addon: addon as CudaAddon, path };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `not built: ${path} does not load (${message}); ${CUDA_BUILD_HINT}` };
  }
}

/**
 * Loads the addon once per path: `path` when given, else the first of {@link CUDA_ADDON_CANDIDATES}
 * that exists. Never throws: a missing or unloadable binary becomes `{ ok: false, reason }`.
 *
 * @example
 * ```ts
 * import { loadCudaAddon } from '@motiondelta/sparse-kernels-cuda';
 * const load = loadCudaAddon();
 * console.log(load.ok ? load.path : load.reason);
 * ```
 */
export function loadCudaAddon(path?: string): CudaAddonLoad {
  const root = packageRoot();
  const file = path ?? CUDA_ADDON_CANDIDATES.map((relative) => `${root}${relative}`).find((candidate) => existsSync(candidate));
  if (file === undefined) return { ok: false, reason: `not built: no addon in ${root}build/; ${CUDA_BUILD_HINT}` };
  if (!existsSync(file)) return { ok: false, reason: `not built: ${file} is missing; ${CUDA_BUILD_HINT}` };
  let result = cache.get(file);
  if (result === undefined) {
    result = loadFile(file);
    cache.set(file, result);
  }
  return result;
}
