import { ModelFormatError, OptionError, ResourceLimitError, formatShape } from '@motiondelta/core';
import type { IntTensor, Tensor } from '@motiondelta/core';
import { DEFAULT_MODEL_LIMITS, type ModelLimits } from '../../load/model-limits.js';
import { DecodeBudget, declaredElementCount } from '../decode-budget.js';
import { float16ToFloat32 } from './float16.js';
import type { WeightGroup, WeightSpec } from './model-json.js';
import { checkShardPath } from './shard-path.js';

/** A decoded weight, float or integer, keyed by its manifest name. */
export type DecodedWeight =
  { readonly dtype: 'float32'; readonly tensor: Tensor } | { readonly dtype: 'int32'; readonly tensor: IntTensor };

/** Reads one weight shard, given its path as the manifest writes it (relative to the model.json). */
export type ReadWeightFile = (relativePath: string) => Promise<Uint8Array>;

/**
 * Where shards come from. Every path handed to it has passed the shard path checks (relative, no `..`).
 * `sizes` (files) reports shard sizes before any is read, so that a group whose shards do not add
 * up to what its manifest needs is refused unread; `read` must return at most `bytes` bytes.
 */
export interface ShardSource {
  sizes?(paths: readonly string[]): Promise<number[]>;
  /** `bytes`: the shard's size from `sizes`, or the bytes its group still needs. */
  read(path: string, bytes: number): Promise<Uint8Array>;
}

/** A ShardSource over a caller's `readWeightFile`, whose results are checked after each call. */
export function callbackShardSource(readWeightFile: ReadWeightFile): ShardSource {
  return {
    read: async (path) => {
      const bytes: unknown = await readWeightFile(path);
      if (bytes instanceof Uint8Array) return bytes;
      if (bytes instanceof ArrayBuffer || ArrayBuffer.isView(bytes)) {
        return bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }
      throw new OptionError(
        `readWeightFile('${path}') returned ${bytes === null ? 'null' : typeof bytes}; it must resolve to a Uint8Array (or ArrayBuffer).`,
      );
    },
  };
}

/**
 * Reads every shard of every group and decodes the weights as tfjs-converter does: a group's
 * shards are concatenated in order and its weights follow each other with no padding.
 *
 * Before anything is read: every shard path is checked ({@link checkShardPath}), each weight's
 * declared size and the sum of all are checked against `limits`, and for files the shards of a
 * group must add up to exactly the bytes its weights need. tfjs-converter writes shards that
 * way (the last one is shorter, none is padded), so a shard of any other size belongs to another
 * model or was altered; tfjs itself would ignore extra bytes, but reading them is what lets a
 * hostile manifest point at a huge file, so they are refused.
 *
 * @throws ModelFormatError for a bad path, a missing, unreadable, short or long shard
 * @throws ResourceLimitError for weights that declare more bytes than the limits allow
 */
export async function loadWeights(
  manifest: readonly WeightGroup[],
  readWeights: ReadWeightFile | ShardSource,
  location: string,
  limits: ModelLimits = DEFAULT_MODEL_LIMITS,
): Promise<Map<string, DecodedWeight>> {
  const source = typeof readWeights === 'function' ? callbackShardSource(readWeights) : readWeights;
  manifest.forEach((group, g) => group.paths.forEach((p, i) => checkShardPath(p, `${location}: weightsManifest[${g}].paths[${i}]`)));
  const needs = manifest.map((group) => group.weights.map((spec) => encodedByteLength(spec, location)));
  const total = needs.flat().reduce((a, b) => a + b, 0);
  if (total > limits.fileBytes) {
    throw new ResourceLimitError(
      `weights of ${location}`,
      total,
      limits.fileBytes,
      'the manifest declares that many bytes of shards; raise options.maxModelBytes to load larger models.',
    );
  }
  const budget = new DecodeBudget(limits.decodedBytes);
  const names = new Set<string>();
  for (const group of manifest) {
    for (const spec of group.weights) {
      if (names.has(spec.name)) throw new ModelFormatError(`${location}: weight '${spec.name}' is listed twice in the weights manifest.`);
      names.add(spec.name);
      budget.charge(declaredElementCount(spec.shape) * 4, `weight '${spec.name}' of ${location}`);
    }
  }

  const weights = new Map<string, DecodedWeight>();
  for (const [g, group] of manifest.entries()) {
    const need = needs[g]!.reduce((a, b) => a + b, 0);
    const bytes = await readGroup(group, need, source, location);
    let offset = 0;
    group.weights.forEach((spec, i) => {
      const byteLength = needs[g]![i]!;
      weights.set(spec.name, decodeWeight(spec, new DataView(bytes.buffer, bytes.byteOffset + offset, byteLength)));
      offset += byteLength;
    });
  }
  return weights;
}

/** The concatenated bytes of one group's shards, exactly `need` of them. */
async function readGroup(group: WeightGroup, need: number, source: ShardSource, location: string): Promise<Uint8Array> {
  const { paths } = group;
  const mismatch = (sizes: readonly number[]): ModelFormatError => {
    const held = sizes.reduce((a, b) => a + b, 0);
    const detail =
      held < need
        ? `shard '${shortShard(paths, sizes)}' is truncated or does not belong to this model`
        : 'the shards hold more than the manifest describes, so they do not belong to this model.json (tfjs-converter writes them to the byte)';
    return new ModelFormatError(
      `${location}: the weights of group [${paths.join(', ')}] need ${need} bytes, but its shards hold ${held} bytes ` +
        `(${sizes.join(' + ')}); ${detail}.`,
    );
  };
  let sizes: number[] | undefined;
  if (source.sizes !== undefined) {
    sizes = await source.sizes(paths);
    if (sizes.reduce((a, b) => a + b, 0) !== need) throw mismatch(sizes);
  }
  const shards: Uint8Array[] = [];
  let held = 0;
  for (const [i, path] of paths.entries()) {
    const expected = sizes?.[i] ?? need - held;
    let shard: Uint8Array;
    try {
      shard = await source.read(path, expected);
    } catch (cause) {
      if (ModelFormatError.isInstance(cause) || OptionError.isInstance(cause) || ResourceLimitError.isInstance(cause)) throw cause;
      throw new ModelFormatError(
        `${location}: weight shard '${path}' cannot be read (${String(cause)}); it must lie beside the model file.`,
        {
          cause,
        },
      );
    }
    shards.push(shard);
    held += shard.length;
    if (held > need || (sizes !== undefined && shard.length !== sizes[i])) {
      throw mismatch([...shards.map((s) => s.length), ...(sizes?.slice(i + 1) ?? [])]);
    }
  }
  if (held !== need) throw mismatch(shards.map((s) => s.length));
  return concatenate(shards, need);
}

function concatenate(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The converter cuts shards at one fixed size and only the last may be shorter, so a non-last
 * shard shorter than the longest one is the damaged one; otherwise the data ran out in the last.
 */
function shortShard(paths: readonly string[], sizes: readonly number[]): string {
  const longest = Math.max(0, ...sizes);
  for (let i = 0; i < sizes.length - 1; i++) {
    if (sizes[i]! < longest) return paths[i]!;
  }
  return paths[paths.length - 1] ?? '<no shard>';
}

/** Bytes a weight takes in its shard; Infinity when its shape overflows (refused by the caller). */
function encodedByteLength(spec: WeightSpec, location: string): number {
  const n = declaredElementCount(spec.shape);
  if (!Number.isFinite(n)) {
    throw new ModelFormatError(
      `${location}: weight '${spec.name}' has shape ${formatShape(spec.shape)}, which multiplies to more than 2^53 elements.`,
    );
  }
  if (spec.quantization === undefined) return n * 4;
  return spec.quantization.dtype === 'uint8' ? n : n * 2;
}

function decodeWeight(spec: WeightSpec, view: DataView): DecodedWeight {
  const n = declaredElementCount(spec.shape);
  const shape = [...spec.shape];
  const q = spec.quantization;
  if (spec.dtype === 'int32') {
    const data = new Int32Array(n);
    if (q === undefined) {
      for (let i = 0; i < n; i++) data[i] = view.getInt32(i * 4, true);
    } else {
      // Validated in model-json: int32 weights are only ever uint8/uint16-quantized.
      const { min = 0, scale = 1 } = q;
      for (let i = 0; i < n; i++) data[i] = Math.round(readUnsigned(view, q.dtype, i) * scale + min);
    }
    return { dtype: 'int32', tensor: { data, shape } };
  }
  const data = new Float32Array(n);
  if (q === undefined) {
    for (let i = 0; i < n; i++) data[i] = view.getFloat32(i * 4, true);
  } else if (q.dtype === 'float16') {
    for (let i = 0; i < n; i++) data[i] = float16ToFloat32(view.getUint16(i * 2, true));
  } else {
    const { min = 0, scale = 1 } = q;
    for (let i = 0; i < n; i++) data[i] = readUnsigned(view, q.dtype, i) * scale + min;
  }
  return { dtype: 'float32', tensor: { data, shape } };
}

function readUnsigned(view: DataView, dtype: 'uint8' | 'uint16' | 'float16', i: number): number {
  return dtype === 'uint8' ? view.getUint8(i) : view.getUint16(i * 2, true);
}
