import { OptionError } from '@motiondelta/core';
import { modelFileAccess } from './file-access.js';

/** What `loadModel` accepts as its first argument. */
export type ModelSource = string | URL | Uint8Array | ArrayBuffer | ArrayBufferView;

/** A model source, told apart: a file to open, or bytes already in memory. */
export type ResolvedSource = { readonly kind: 'path'; readonly path: string } | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

const ACCEPTED = 'a file path (a string, or a file: URL) or the model bytes (Uint8Array, Buffer, ArrayBuffer or another ArrayBufferView)';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
  return `${typeof value} ${String(value)}`;
}

/**
 * Tells a path from bytes. Bytes are viewed, not copied: an ArrayBuffer or any ArrayBufferView
 * (Buffer, DataView, a typed array) becomes a Uint8Array over the same memory.
 *
 * @throws OptionError for anything else, or for an empty path, a path with a NUL byte, or a URL
 *   that is not `file:`
 */
export function resolveModelSource(source: unknown): ResolvedSource {
  if (typeof source === 'string') {
    if (source.length === 0) throw new OptionError(`loadModel: the model path is empty; expected ${ACCEPTED}.`);
    if (source.includes('\0')) throw new OptionError(`loadModel: the model path ${describe(source)} contains a NUL byte.`);
    return { kind: 'path', path: source };
  }
  if (source instanceof URL) {
    if (source.protocol !== 'file:') {
      throw new OptionError(
        `loadModel: only file: URLs are read, got a ${source.protocol} URL; fetch the bytes yourself and pass them ` +
          '(with options.readWeightFile for a TF.js model).',
      );
    }
    const access = modelFileAccess('a file: URL');
    let path: string;
    try {
      path = access.fileUrlToPath(source);
    } catch (cause) {
      throw new OptionError(`loadModel: the file: URL '${source.href}' does not name a local file (${(cause as Error).message}).`);
    }
    return resolveModelSource(path);
  }
  if (source instanceof Uint8Array) return { kind: 'bytes', bytes: source };
  const buffer =
    source instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer) ? source : undefined;
  if (buffer !== undefined || ArrayBuffer.isView(source)) {
    try {
      const view = source as ArrayBufferView;
      return {
        kind: 'bytes',
        bytes: buffer !== undefined ? new Uint8Array(buffer) : new Uint8Array(view.buffer, view.byteOffset, view.byteLength),
      };
    } catch (cause) {
      // A detached buffer (transferred to a worker, or resized away) cannot even be viewed.
      throw new OptionError(
        `loadModel: the model bytes cannot be read (${(cause as Error).message}); pass bytes whose buffer was not transferred.`,
      );
    }
  }
  throw new OptionError(`loadModel: the model source is ${describe(source)}; expected ${ACCEPTED}.`);
}
