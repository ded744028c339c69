import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { pinningAddon } from './pin-buffers.js';

/** Where the build puts the addon, relative to this package's root. */
const ADDON_RELATIVE_PATH = 'build/Release/motiondelta_cpu.node';

/** What the package needs to build the addon, for "not built" messages. */
export const BUILD_HINT =
  'build it with `pnpm --filter @motiondelta/sparse-kernels-cpu build:native` (needs cmake, g++ and libopenblas-dev; `bash scripts/setup.sh` installs them)';

/** The loaded addon, or why it could not be loaded. */
export type AddonLoad<T> =
  { readonly ok: true; readonly addon: T; readonly path: string } | { readonly ok: false; readonly reason: string };

/** The default addon path: `<package root>/build/Release/motiondelta_cpu.node`. */
export function defaultAddonPath(): string {
  // dist/index.js and src/*.ts both sit one level below the package root.
  return fileURLToPath(new URL(`../${ADDON_RELATIVE_PATH}`, import.meta.url));
}

const cache = new Map<string, AddonLoad<unknown>>();

/**
 * Loads the native addon once per path. Never throws: a missing file or a library the dynamic
 * linker cannot find becomes `{ ok: false, reason: 'not built: …' }`, which backend selection
 * reports when it falls back. Every kernel entry point of the returned addon marks the
 * ArrayBuffers it is handed untransferable (see pinningAddon), so they cannot be detached while a
 * kernel reads them on a worker thread.
 */
export function loadAddon<T>(path: string = defaultAddonPath()): AddonLoad<T> {
  const cached = cache.get(path);
  if (cached) return cached as AddonLoad<T>;
  let result: AddonLoad<unknown>;
  if (!existsSync(path)) {
    result = { ok: false, reason: `not built: ${path} is missing; ${BUILD_HINT}` };
  } else {
    try {
      const require = createRequire(import.meta.url);
      result = { ok: true, addon: pinningAddon(require(path) as object), path };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result = { ok: false, reason: `not built: ${path} does not load (${message}); ${BUILD_HINT}` };
    }
  }
  cache.set(path, result);
  return result as AddonLoad<T>;
}
