import { availableParallelism } from 'node:os';
import { BackendUnavailableError, OptionError } from '@motiondelta/core';
import type { Backend } from '@motiondelta/core';
import { CpuNativeBackend } from './cpu-native-backend.js';
import { BUILD_HINT, loadAddon } from './load-addon.js';
import { missingEntryPoints, type NativeAddon } from './native-addon.js';
import { MAX_CPU_NATIVE_THREADS, checkCpuNativeThreads } from './thread-count.js';

/** Options of {@link createCpuNativeBackend}. */
export interface CpuNativeBackendOptions {
  /**
   * Computing threads (an integer from 1 to {@link MAX_CPU_NATIVE_THREADS}), including the calling
   * worker thread. The pool is process-wide: the last backend
   * created sets it. Defaults to the number of cores (at most MAX_CPU_NATIVE_THREADS).
   */
  readonly threads?: number;
  /**
   * Runs the ops without a native kernel (Reshape, Transpose, Softmax, ...) and the delta kernels
   * without a native form. Pass the reference backend (kernel packages never import graph-runtime).
   */
  readonly fallback?: Backend;
  /**
   * Path of the `.node` file. Defaults to what node-gyp-build resolves in this package: a source
   * build (`build/Release/`), else the prebuilt binary (`prebuilds/linux-x64/`).
   */
  readonly addonPath?: string;
  /**
   * `native` (default): sessions compile each program into the addon and run a frame as one
   * native call. `host`: no program compiler, so programs run on the host step by step through
   * the per-node kernels (the path before compiled programs, kept for comparisons). Defaults to
   * the `MD_PROGRAMS` environment variable when it is set.
   */
  readonly programs?: CpuNativePrograms;
  /**
   * Whether the program compiler folds elementwise steps into the convolutions before them
   * (residual Adds, written-out hard-swish, Mul/Add by per-channel constants; see the README).
   * Defaults to true, or to the `MD_FUSE` environment variable (`0` or `1`) when it is set.
   */
  readonly fuse?: boolean;
}

/** Where a cpu-native backend runs programs (see {@link CpuNativeBackendOptions.programs}). */
export type CpuNativePrograms = 'native' | 'host';

/** The `fuse` option, or MD_FUSE, checked. */
function fuseOption(value: unknown): boolean {
  if (value === true || value === false) return value;
  if (value !== undefined) throw new OptionError(`fuse must be true or false, got ${JSON.stringify(value)}.`);
  const env = process.env['MD_FUSE'];
  if (env === undefined || env === '' || env === '1') return true;
  if (env === '0') return false;
  throw new OptionError(`MD_FUSE must be 0 or 1 (whether cpu-native fuses steps into convolutions), got ${JSON.stringify(env)}.`);
}

/** The `programs` option, or MD_PROGRAMS, checked. */
function programsOption(value: unknown): CpuNativePrograms {
  const chosen = value ?? process.env['MD_PROGRAMS'] ?? 'native';
  if (chosen === 'native' || chosen === 'host') return chosen;
  const from = value === undefined ? 'MD_PROGRAMS' : 'programs';
  throw new OptionError(`${from} must be 'native' or 'host' (where cpu-native runs programs), got ${JSON.stringify(chosen)}.`);
}

/**
 * Loads the native addon and creates the `cpu-native` backend. Rejects with
 * BackendUnavailableError ("not built: …") when the addon is missing, fails to load (no
 * binary for this platform, for example) or is a stale build; backend selection then falls back to the next
 * preference and records that reason.
 *
 * @example
 * ```ts
 * import { createCpuNativeBackend } from '@motiondelta/sparse-kernels-cpu';
 * import { ReferenceBackend, loadModel, registerBackend } from '@motiondelta/graph-runtime';
 * registerBackend('cpu-native', () => createCpuNativeBackend({ threads: 2, fallback: new ReferenceBackend() }));
 * const model = await loadModel('model.onnx');
 * const session = await model.createSession({ backend: ['cpu-native', 'reference'] });
 * console.log(session.backendInfo); // { id: 'cpu-native', skipped: [] }, or the reason it fell back
 * ```
 */
export async function createCpuNativeBackend(options: CpuNativeBackendOptions = {}): Promise<CpuNativeBackend> {
  const threads = options.threads ?? Math.min(availableParallelism(), MAX_CPU_NATIVE_THREADS);
  checkCpuNativeThreads(threads);
  const programs = programsOption(options.programs);
  const fuse = fuseOption(options.fuse);
  const load = loadAddon<NativeAddon>(options.addonPath);
  if (!load.ok) throw new BackendUnavailableError('cpu-native', load.reason);
  const missing = missingEntryPoints(load.addon);
  if (missing.length > 0) {
    throw new BackendUnavailableError(
      'cpu-native',
      // A source build left from an older version shadows the prebuilt binary (node-gyp-build
      // prefers build/Release), so say both ways out.
      `not built: ${load.path} is a stale build (it lacks ${missing.join(', ')}); rebuild it, or delete it to use the prebuilt binary: ${BUILD_HINT}`,
    );
  }
  load.addon.setThreads(threads);
  return new CpuNativeBackend(load.addon, options.fallback, { programs, fuse });
}
