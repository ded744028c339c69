import { OptionError } from '@motiondelta/core';
import { hasModelFileAccess, modelFileAccess } from './file-access.js';
import { FETCHED_PROTOCOLS } from './url-source.js';

/** What `loadModel` accepts as its first argument. */
export type ModelSource = string | URL | Blob | Uint8Array | ArrayBuffer | ArrayBufferView;

/** A model source, told apart: a file to open, a URL to fetch, a Blob (or File) to read, or bytes already in memory. */
export type ResolvedSource =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'url'; readonly url: URL }
  | { readonly kind: 'blob'; readonly blob: Blob; readonly name: string }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

const ACCEPTED =
  'a file path (a string, or a file: URL; in a browser, a string is a URL relative to the page), an http(s) URL, ' +
  'a File or Blob, or the model bytes (Uint8Array, Buffer, ArrayBuffer or another ArrayBufferView)';

/** The page's URL where there is one (a browser window or worker), which relative model URLs resolve against. */
function pageUrl(): string | undefined {
  const href = (globalThis as { location?: { href?: unknown } }).location?.href;
  return typeof href === 'string' ? href : undefined;
}

/** A string that names a URL rather than a path: only where there is no file access (a browser bundle). */
function stringAsUrl(source: string): URL | undefined {
  if (hasModelFileAccess()) return undefined;
  const base = pageUrl();
  if (base === undefined && !/^https?:\/\//i.test(source)) return undefined;
  try {
    return new URL(source, base);
  } catch (cause) {
    throw new OptionError(`loadModel: ${describe(source)} is not a valid URL (${(cause as Error).message}); expected ${ACCEPTED}.`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
  return `${typeof value} ${String(value)}`;
}

/**
 * Tells a path, a URL, a Blob and bytes apart. A string is a path where file access is installed
 * (Node), and a URL relative to the page otherwise (a browser). Bytes are viewed, not copied: an
 * ArrayBuffer or any ArrayBufferView (Buffer, DataView, a typed array) becomes a Uint8Array over
 * the same memory.
 *
 * @throws OptionError for anything else, or for an empty path, a path with a NUL byte, or a URL
 *   that is not `file:`, `http:` or `https:`
 */
export function resolveModelSource(source: unknown): ResolvedSource {
  if (typeof source === 'string') {
    if (source.length === 0) throw new OptionError(`loadModel: the model path is empty; expected ${ACCEPTED}.`);
    if (source.includes('\0')) throw new OptionError(`loadModel: the model path ${describe(source)} contains a NUL byte.`);
    const url = stringAsUrl(source);
    return url === undefined ? { kind: 'path', path: source } : resolveModelSource(url);
  }
  if (source instanceof URL) {
    if (FETCHED_PROTOCOLS.includes(source.protocol)) return { kind: 'url', url: source };
    if (source.protocol !== 'file:') {
      throw new OptionError(
        `loadModel: only http:, https: and file: URLs are read, got a ${source.protocol} URL; fetch the bytes yourself and pass them ` +
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
  // A File is a Blob with a name; Node has Blob (and File) too.
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const name = (source as { name?: unknown }).name;
    return { kind: 'blob', blob: source, name: typeof name === 'string' && name !== '' ? name : '<blob>' };
  }
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
