import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { pinningAddon } from './pin-buffers.js';

/** Where a source build puts the addon, relative to this package's root. */
const BUILD_RELATIVE_PATH = 'build/Release/motiondelta_cpu.node';

/**
 * What to do when no binary loads, for an npm user and for a clone of the repository alike. The
 * package ships a prebuilt binary for linux-x64 (glibc); elsewhere its install script builds one
 * from source, which needs cmake and a C++17 compiler.
 */
export const BUILD_HINT =
  'the package ships a prebuilt binary for linux-x64 (glibc) only; elsewhere install cmake (>= 3.18) and a C++17 compiler ' +
  '(Debian/Ubuntu: `apt-get install cmake g++ make`) and run `npm rebuild @motiondelta/sparse-kernels-cpu` ' +
  '(in the MotionDelta repository: `pnpm --filter @motiondelta/sparse-kernels-cpu build:native`, or `bash scripts/setup.sh`)';

/** The loaded addon, or why it could not be loaded. */
export type AddonLoad<T> =
  { readonly ok: true; readonly addon: T; readonly path: string } | { readonly ok: false; readonly reason: string };

const require = createRequire(import.meta.url);

/** node-gyp-build's resolver (it has no type declarations): the `.node` file it would load for a package root. */
const nodeGypBuild = require('node-gyp-build') as { readonly path: (packageRoot: string) => string };

/** This package's root: dist/index.js and src/*.ts both sit one level below it. */
function packageRoot(): string {
  return fileURLToPath(new URL('..', import.meta.url));
}

/**
 * Which binary to load, as node-gyp-build chooses it: a source build (`build/Release/*.node`, what
 * the install script or `build:native` made) first, then the prebuilt one for this platform,
 * architecture and C library (`prebuilds/linux-x64/motiondelta_cpu.node.napi.glibc.node`; N-API,
 * so one file serves every Node version). Without either: `{ missing }`, saying what was looked for.
 * `root` (this package's root by default) is a parameter for tests.
 */
export function resolveAddonPath(root: string = packageRoot()): { readonly path: string } | { readonly missing: string } {
  try {
    return { path: nodeGypBuild.path(root) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { missing: message.replace(/\s+/g, ' ').trim() };
  }
}

/**
 * The addon file loadAddon() takes by default: what node-gyp-build resolves (see
 * resolveAddonPath), or `<package root>/build/Release/motiondelta_cpu.node` when nothing is there.
 */
export function defaultAddonPath(): string {
  const resolved = resolveAddonPath();
  return 'path' in resolved ? resolved.path : fileURLToPath(new URL(`../${BUILD_RELATIVE_PATH}`, import.meta.url));
}

const cache = new Map<string, AddonLoad<unknown>>();

/** Loads one `.node` file. Never throws (see loadAddon). */
function loadFile(path: string): AddonLoad<unknown> {
  if (!existsSync(path)) return { ok: false, reason: `not built: ${path} is missing; ${BUILD_HINT}` };
  try {
    return { ok: true, addon: pinningAddon(require(path) as object), path };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `not built: ${path} does not load (${message}); ${BUILD_HINT}` };
  }
}

/**
 * Loads the native addon once per path: `path` when given, else the binary node-gyp-build
 * resolves (a source build, then the prebuilt one). Never throws: no binary for this platform, a
 * missing file or one the dynamic linker refuses becomes `{ ok: false, reason: 'not built: …' }`
 * with what to install, which backend selection reports when it falls back. Every kernel entry
 * point of the returned addon marks the ArrayBuffers it is handed untransferable (see
 * pinningAddon), so they cannot be detached while a kernel reads them on a worker thread.
 */
export function loadAddon<T>(path?: string): AddonLoad<T> {
  let file = path;
  if (file === undefined) {
    const resolved = resolveAddonPath();
    if (!('path' in resolved)) {
      return { ok: false, reason: `not built: no native binary for this machine (${resolved.missing}); ${BUILD_HINT}` };
    }
    file = resolved.path;
  }
  let result = cache.get(file);
  if (!result) {
    result = loadFile(file);
    cache.set(file, result);
  }
  return result as AddonLoad<T>;
}
