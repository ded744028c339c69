import { ModelFormatError, ResourceLimitError } from '@motiondelta/core';
import { SHARD_PATH_RULE } from '../import/tfjs/shard-path.js';
import type { ShardSource } from '../import/tfjs/weights.js';

/** The URL schemes `loadModel` fetches. */
export const FETCHED_PROTOCOLS: readonly string[] = ['http:', 'https:'];

/**
 * Whether `url` lies inside `folder` (a URL ending in `/`): same origin, and a path below the
 * folder's. The URL counterpart of the Node loader's `isInside`: a shard path that passed
 * `checkShardPath` cannot leave the folder by itself, but a server's redirect can, so the URL a
 * response finally came from is checked too.
 */
export function isInsideFolder(folder: URL, url: URL): boolean {
  return url.origin === folder.origin && url.pathname.startsWith(folder.pathname) && url.pathname !== folder.pathname;
}

/** Fetches `url`, turning network failures and HTTP errors into ModelFormatError naming `what`. */
async function fetchOk(url: URL, what: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (cause) {
    throw new ModelFormatError(`${what} '${url.href}' cannot be fetched (${(cause as Error).message}).`, { cause });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ModelFormatError(`${what} '${url.href}' cannot be fetched: the server answered ${response.status} ${response.statusText}.`);
  }
  return response;
}

/**
 * Reads a response body, never more than `cap` bytes: a declared `Content-Length` over the cap is
 * refused before the body is read, and a body that runs past it (a missing or false length) is
 * cancelled there. `over` says what happens then: `throw` a ResourceLimitError, or `truncate`
 * (return the first `cap` bytes, for callers that check the length themselves).
 */
async function readCapped(response: Response, cap: number, what: string, over: 'throw' | 'truncate'): Promise<Uint8Array> {
  const refuse = (bytes: number): never => {
    throw new ResourceLimitError(what, bytes, cap, 'raise options.maxModelBytes to load it.');
  };
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (over === 'throw' && Number.isSafeInteger(declared) && declared > cap) {
    await response.body?.cancel();
    refuse(declared);
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
    if (total > cap) {
      await reader.cancel();
      if (over === 'throw') refuse(total);
      break;
    }
  }
  const bytes = new Uint8Array(Math.min(total, cap));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
    if (offset === bytes.length) break;
  }
  return bytes;
}

/**
 * Fetches a model file, at most `maxBytes` of it.
 *
 * @throws ModelFormatError when it cannot be fetched (network error, HTTP error status)
 * @throws ResourceLimitError when it is larger than `maxBytes`
 */
export async function fetchModelBytes(url: URL, maxBytes: number): Promise<Uint8Array> {
  const response = await fetchOk(url, 'model');
  return readCapped(response, maxBytes, `model '${url.href}'`, 'throw');
}

/**
 * The weight shards of the TF.js model at `modelUrl`, fetched from its folder: each manifest path
 * (already checked by `checkShardPath`: relative, no `..`, no scheme) is resolved against the
 * model's URL, and both that URL and the one the response came from after redirects must lie
 * inside the model's folder on the same origin, as shards on disk must lie inside the model's
 * folder after symbolic links. A shard is read up to one byte past what its group needs, so the
 * importer can say it is too long without reading the rest.
 */
export function urlShardSource(modelUrl: URL, location: string): ShardSource {
  const folder = new URL('.', modelUrl);
  const confine = (path: string, url: URL, how: string): void => {
    if (!isInsideFolder(folder, url)) {
      throw new ModelFormatError(
        `${location}: weight shard '${path}' ${how} '${url.href}', outside the model's folder '${folder.href}'; ` +
          `${SHARD_PATH_RULE}, and the server must not redirect out of the folder. To read shards from elsewhere, pass options.readWeightFile.`,
      );
    }
  };
  return {
    async read(path, bytes) {
      const url = new URL(path, modelUrl);
      confine(path, url, 'resolves to');
      const response = await fetchOk(url, `weight shard '${path}' of ${location} at`);
      // `redirected` is false and `url` empty for responses some environments synthesise.
      if (response.redirected && response.url !== '') confine(path, new URL(response.url), 'was redirected to');
      return readCapped(response, bytes + 1, `weight shard '${path}' of ${location}`, 'truncate');
    },
  };
}
