import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** How the tfjs wasm backend came up in this process. */
export interface TfjsWasmInfo {
  /** Threads XNNPACK really uses (tfjs reports it after initialisation). */
  readonly threads: number;
  /** Why fewer threads than asked, when that happened. */
  readonly note?: string;
}

let initialised: Promise<TfjsWasmInfo> | undefined;

/**
 * Starts tfjs-backend-wasm (XNNPACK) once per process. Node has no bundler to place the .wasm
 * files, so they are loaded from the package's own dist folder. The backend can only be
 * initialised once, so later calls get the first call's result whatever they ask for.
 *
 * tfjs 4.22 switches multithreaded wasm off under Node (tensorflow/tfjs#3830); forcing it on
 * fails here because its pthread workers are started from blob: URLs, which Node's
 * worker_threads refuse. So XNNPACK runs on one thread in Node and the result says so.
 *
 * @example
 * ```ts
 * const { threads } = await initTfjsWasm(2); // 1 under Node
 * await useTfjsBackend('wasm');
 * ```
 */
export function initTfjsWasm(requestedThreads: number): Promise<TfjsWasmInfo> {
  initialised ??= start(requestedThreads);
  return initialised;
}

async function start(requestedThreads: number): Promise<TfjsWasmInfo> {
  const require = createRequire(import.meta.url);
  // The package's main file sits in dist/, beside the .wasm binaries; tfjs wants a trailing slash.
  setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
  setThreadsCount(requestedThreads);
  const previous = tf.getBackend();
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs-backend-wasm failed to initialise (see the messages above).');
  await tf.ready();
  const threads = getThreadsCount();
  // Leave whatever backend was current, so initialising never changes who runs next.
  if (previous) await tf.setBackend(previous);
  return {
    threads,
    ...(threads < requestedThreads && {
      note: `asked for ${requestedThreads} threads, got ${threads}: tfjs 4.22 disables multithreaded wasm under Node`,
    }),
  };
}

/**
 * Makes `name` the current tfjs backend. tfjs has one global current backend, and models keep
 * their weights on the backend they last ran on, so each engine selects its own before running.
 */
export async function useTfjsBackend(name: 'wasm' | 'cpu'): Promise<void> {
  if (tf.getBackend() === name) return;
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend '${name}' failed to initialise.`);
}
