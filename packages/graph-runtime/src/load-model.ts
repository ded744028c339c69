import { ModelFormatError, OptionError, ResourceLimitError } from '@motiondelta/core';
import { importOnnx } from './import/onnx/index.js';
import { checkOnnxWire, looksLikeOnnx } from './import/onnx/wire-check.js';
import { importTfjs } from './import/tfjs/index.js';
import { callbackShardSource, type ShardSource } from './import/tfjs/weights.js';
import { fileFingerprint, shardDigest } from './model-fingerprint.js';
import type { Graph } from './ir/graph.js';
import { MAX_MODEL_JSON_BYTES, modelLimits, type ModelLimits } from './load/model-limits.js';
import { resolveModelSource, type ModelSource } from './load/model-source.js';
import { modelFileAccess } from './load/file-access.js';
import { fetchModelBytes, urlShardSource } from './load/url-source.js';
import { Model } from './model.js';

export type { ModelSource } from './load/model-source.js';

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /**
   * Reads a TF.js weight shard named in model.json. Needed when a TF.js model is given as bytes;
   * for a path, shards are read from the model's folder. It is called only with paths that passed
   * the checks (relative, no `..` segment, no URL scheme or NUL byte), and must resolve to a
   * Uint8Array holding exactly the shard.
   */
  readonly readWeightFile?: (relativePath: string) => Promise<Uint8Array>;
  /** Skip the simplification passes (for debugging an importer). */
  readonly simplify?: boolean;
  /**
   * Most bytes the model may have: the file (or bytes) and, for TF.js, its weight shards
   * together. Decoded weights may take twice this (float16 and 8-bit weights grow when decoded).
   * Default 2 GiB, the protobuf limit. Checked before anything is read.
   */
  readonly maxModelBytes?: number;
}

/** How much of a file is read to tell JSON from ONNX before reading the rest. */
const SNIFF_BYTES = 64 * 1024;

function looksLikeJson(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0xef || b === 0xbb || b === 0xbf) continue;
    return b === 0x7b;
  }
  return false;
}

type Format = 'json' | 'onnx';

/** JSON or ONNX from the first bytes; anything else is refused before the rest is read. */
function sniffFormat(head: Uint8Array, totalBytes: number, location: string): Format {
  if (looksLikeJson(head)) {
    if (totalBytes > MAX_MODEL_JSON_BYTES) {
      throw new ResourceLimitError(
        `TF.js model.json '${location}'`,
        totalBytes,
        MAX_MODEL_JSON_BYTES,
        'a model.json holds the topology only (weights live in its shards); no real one comes near this size.',
      );
    }
    return 'json';
  }
  if (looksLikeOnnx(head, totalBytes)) return 'onnx';
  const first = [...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new ModelFormatError(
    `Model '${location}' is neither a TF.js model.json (JSON starting with '{') nor an ONNX model (a protobuf ModelProto, ` +
      `starting with one of its fields); its first bytes are ${first}.`,
  );
}

/** Reads a model file: checked to be a regular file within the limit, sniffed, then read exactly. */
async function readModelFile(path: string, limits: ModelLimits): Promise<{ bytes: Uint8Array; format: Format }> {
  const file = await modelFileAccess('a model path').open(path, 'model file', limits.fileBytes);
  try {
    if (file.size === 0) throw new ModelFormatError(`Model '${path}' is empty (0 bytes); expected ONNX protobuf or TF.js model.json.`);
    const bytes = new Uint8Array(file.size);
    const head = await file.read(0, Math.min(file.size, SNIFF_BYTES), bytes.subarray(0, SNIFF_BYTES));
    const format = sniffFormat(head, file.size, path);
    // Garbage behind a plausible first field is refused before the rest is read.
    if (format === 'onnx' && head.length < file.size) checkOnnxWire(head, path, limits.decodedBytes, file.size);
    if (head.length < file.size) await file.read(head.length, file.size - head.length, bytes.subarray(head.length));
    return { bytes, format };
  } finally {
    await file.close();
  }
}

/** A Blob's (or File's) bytes, its size checked against the limit before it is read. */
async function readBlob(blob: Blob, location: string, limits: ModelLimits): Promise<Uint8Array> {
  if (blob.size > limits.fileBytes) {
    throw new ResourceLimitError(`model '${location}'`, blob.size, limits.fileBytes, 'raise options.maxModelBytes to load it.');
  }
  return new Uint8Array(await blob.arrayBuffer());
}

function checkOptions(options: unknown): LoadModelOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new OptionError(
      `loadModel: options must be an object such as { maxModelBytes, readWeightFile, simplify }, got ${options === null ? 'null' : typeof options}.`,
    );
  }
  const { readWeightFile, simplify } = options as Record<string, unknown>;
  if (readWeightFile !== undefined && typeof readWeightFile !== 'function') {
    throw new OptionError(
      `loadModel: options.readWeightFile must be a function (relativePath) => Promise<Uint8Array>, got ${typeof readWeightFile}.`,
    );
  }
  if (simplify !== undefined && typeof simplify !== 'boolean') {
    throw new OptionError(`loadModel: options.simplify must be true or false, got ${typeof simplify}.`);
  }
  return options as LoadModelOptions;
}

/**
 * Loads an ONNX model (`.onnx`) or a TensorFlow.js graph or layers model (`model.json` plus its
 * weight shards). The format is detected from the content, not the file name.
 *
 * `source` is a file path (a string or a `file:` URL; in a browser bundle, where there is no file
 * access, a string is a URL relative to the page), an `http:`/`https:` URL (fetched), a `File` or
 * `Blob`, or the model's bytes (a Uint8Array or Buffer, an ArrayBuffer, or any ArrayBufferView;
 * viewed, not copied). A TF.js model given as bytes, File or Blob needs `options.readWeightFile`
 * for its shards; one given by URL fetches them relative to its model.json.
 *
 * Model files are untrusted input: the file must be a regular file of at most
 * `options.maxModelBytes` (default 2 GiB), checked before it is read; a file that is neither JSON
 * nor ONNX is refused from its first bytes; TF.js shards must lie inside the model's folder (no
 * absolute path, `..` segment or symbolic link leading out), be regular files, and hold exactly
 * the bytes the manifest describes, checked before they are read (fetched shards must resolve,
 * and be served after any redirect, inside the model URL's folder on the same origin, and are read
 * no further than their group needs); ONNX tensors stored in external
 * files are refused; declared tensor sizes are checked against the data present before anything is
 * allocated.
 *
 * @throws OptionError for a source or option of the wrong kind
 * @throws ModelFormatError for an unreadable, malformed or inconsistent model
 * @throws ResourceLimitError for a model over `maxModelBytes` (or weights over twice that)
 * @throws UnsupportedOpError for an op MotionDelta does not implement
 *
 * @example
 * ```ts
 * import { loadModel } from '@motiondelta/graph-runtime';
 * const model = await loadModel('model.onnx');
 * const session = await model.createSession({ mode: 'dense', backend: ['reference'] });
 * const [input] = model.inputs;
 * const outputs = await session.run({ [input!.name]: { data: new Float32Array(1 * 64 * 64 * 3), shape: [1, 64, 64, 3] } });
 * // In a browser: a URL (shards are fetched beside model.json) or a File from an <input type="file">.
 * const fromUrl = await loadModel(new URL('https://example.com/models/selfie/model.json'));
 * ```
 */
export async function loadModel(source: ModelSource, options: LoadModelOptions = {}): Promise<Model> {
  const checked = checkOptions(options);
  const limits = modelLimits(checked.maxModelBytes);
  const resolved = resolveModelSource(source);
  const location =
    resolved.kind === 'path'
      ? resolved.path
      : resolved.kind === 'url'
        ? resolved.url.href
        : resolved.kind === 'blob'
          ? resolved.name
          : '<bytes>';
  let bytes: Uint8Array;
  let format: Format;
  if (resolved.kind === 'path') {
    ({ bytes, format } = await readModelFile(resolved.path, limits));
  } else {
    if (resolved.kind === 'url') bytes = await fetchModelBytes(resolved.url, limits.fileBytes);
    else if (resolved.kind === 'blob') bytes = await readBlob(resolved.blob, location, limits);
    else bytes = resolved.bytes;
    if (bytes.length === 0)
      throw new ModelFormatError(`Model '${location}' is empty (0 bytes); expected ONNX protobuf or TF.js model.json.`);
    if (bytes.length > limits.fileBytes) {
      throw new ResourceLimitError(`model bytes`, bytes.length, limits.fileBytes, 'raise options.maxModelBytes to load it.');
    }
    format = sniffFormat(bytes, bytes.length, location);
  }

  let graph: Graph;
  let fingerprint: Promise<string>;
  if (format === 'json') {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new ModelFormatError(
        `Model '${location}' starts like JSON but does not parse (${(error as Error).message}); a TF.js model.json is expected, or ONNX protobuf bytes.`,
        { cause: error },
      );
    }
    const source: ShardSource = checked.readWeightFile
      ? callbackShardSource(checked.readWeightFile)
      : resolved.kind === 'path'
        ? modelFileAccess('a model path').shards(resolved.path, location)
        : resolved.kind === 'url'
          ? urlShardSource(resolved.url, location)
          : {
              read: () => {
                throw new ModelFormatError(
                  `TF.js model '${location}' given as ${resolved.kind === 'blob' ? 'a File or Blob' : 'bytes'}: ` +
                    'pass options.readWeightFile to read its weight shards, or load it from its URL.',
                );
              },
            };
    const { shards, digests } = digestingShards(source);
    graph = await importTfjs(json, shards, location, { maxModelBytes: limits.fileBytes });
    fingerprint = fileFingerprint(bytes, digests);
  } else {
    graph = importOnnx(bytes, location, { maxModelBytes: limits.fileBytes });
    fingerprint = fileFingerprint(bytes);
  }
  return new Model(graph, checked.simplify !== false, await fingerprint);
}

/** The shard source, digesting each shard as it is read (in the order read: the manifest's). */
function digestingShards(source: ShardSource): { shards: ShardSource; digests: Promise<ArrayBuffer>[] } {
  const digests: Promise<ArrayBuffer>[] = [];
  const sizes = source.sizes?.bind(source);
  const shards: ShardSource = {
    ...(sizes && { sizes }),
    read: (path, bytes) => {
      const read = source.read(path, bytes);
      const digest = read.then(shardDigest);
      // A failed read fails the import, which reports it; this copy of the rejection is not awaited then.
      digest.catch(() => undefined);
      digests.push(digest);
      return read;
    },
  };
  return { shards, digests };
}
