import { markAsUntransferable } from 'node:worker_threads';
import { types } from 'node:util';
import { InputError } from '@motiondelta/core';

/**
 * The typed arrays already handed to native code, their ArrayBuffers marked untransferable. Keyed
 * by the view, not its buffer: reading `view.buffer` costs more than the whole lookup, and a
 * session passes the same views every frame, so a later call costs one WeakSet lookup per array.
 */
const pinned = new WeakSet<ArrayBufferView>();

/**
 * Entry points that keep no array of the caller's past their return: no arrays, or arrays copied
 * before they return (a program's spec and constants, a run's inputs; a run's outputs are arrays
 * the addon makes itself). Nothing to pin, and a caller's buffers stay transferable.
 */
const NO_ARRAYS: ReadonlySet<string> = new Set([
  'setThreads',
  'threads',
  'setInlineWork',
  'cpuFeatures',
  'programCompile',
  'programRun',
  'programUpdateMask',
  'programInfo',
  'programDispose',
]);

/**
 * Makes the memory of `view` safe to hand to a kernel that runs on a worker thread. A reference
 * held by the addon keeps the JavaScript object alive but not its memory: transferring or
 * detaching the ArrayBuffer (`structuredClone(buf, { transfer: [buf] })`, `postMessage` with a
 * transfer list) while the kernel runs would free it under the kernel. Marked untransferable, a
 * transfer copies the buffer instead (Node 20) and the original stays attached, for good.
 * SharedArrayBuffer memory is never detached and needs nothing. A resizable ArrayBuffer can still
 * shrink (`resize()`), which returns its memory to the system, so it is refused.
 */
function pinView(kernel: string, index: number, view: ArrayBufferView): void {
  if (pinned.has(view)) return;
  const buffer = view.buffer;
  if (!types.isSharedArrayBuffer(buffer)) {
    if ((buffer as ArrayBuffer & { readonly resizable?: boolean }).resizable === true) {
      throw new InputError(
        `Native kernel '${kernel}': argument ${index} is a view of a resizable ArrayBuffer, which may shrink while the kernel runs on a worker thread; ` +
          'accepted: arrays over a fixed-length ArrayBuffer or a SharedArrayBuffer (copy it with `Float32Array.from(array)`).',
      );
    }
    markAsUntransferable(buffer);
  }
  pinned.add(view);
}

function pinArgument(kernel: string, index: number, value: unknown): void {
  if (ArrayBuffer.isView(value)) {
    pinView(kernel, index, value);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    // concat's inputs, deltaConcat's parts.
    for (const item of value) pinArgument(kernel, index, item);
    return;
  }
  // A DeltaBuffer ({ values, mask, active }) or an activation spec ({ slope }); unrolled, since a
  // loop over the keys costs more than the lookups themselves.
  const object = value as { values?: unknown; mask?: unknown; active?: unknown; slope?: unknown };
  const { values, mask, active, slope } = object;
  if (ArrayBuffer.isView(values)) pinView(kernel, index, values);
  if (ArrayBuffer.isView(mask)) pinView(kernel, index, mask);
  if (ArrayBuffer.isView(active)) pinView(kernel, index, active);
  if (ArrayBuffer.isView(slope)) pinView(kernel, index, slope);
}

/**
 * Wraps every kernel entry point of a loaded addon so that each ArrayBuffer it is handed (typed
 * array arguments, and the arrays of DeltaBuffer and activation arguments) is first marked
 * untransferable (see pinView): a transfer then copies it, so its memory stays valid while a
 * worker thread computes. The addon itself refuses buffers already detached when a call starts.
 * Buffers passed to cpu-native kernels therefore stay untransferable afterwards.
 *
 * @example
 * ```ts
 * const addon = pinningAddon(require('./build/Release/motiondelta_cpu.node'));
 * const x = new Float32Array(1 << 20);
 * const pending = addon.activation(x, new Float32Array(x.length), 1, null);
 * structuredClone(x.buffer, { transfer: [x.buffer] }); // copies; x stays attached
 * await pending;
 * ```
 */
export function pinningAddon<T extends object>(addon: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(addon)) {
    if (typeof entry !== 'function' || NO_ARRAYS.has(name)) {
      wrapped[name] = entry;
      continue;
    }
    const fn = entry as (...args: unknown[]) => unknown;
    // `arguments` and apply: no rest array or spread per call, and the addon sees the same argument count.
    /* eslint-disable prefer-rest-params, prefer-spread -- measured: a rest array per kernel call costs more than the pinning */
    wrapped[name] = function pinned(this: unknown): unknown {
      for (let i = 0; i < arguments.length; i++) pinArgument(name, i, arguments[i]);
      return fn.apply(undefined, arguments as unknown as unknown[]);
    };
    /* eslint-enable prefer-rest-params, prefer-spread */
  }
  return wrapped as T;
}
