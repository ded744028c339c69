import { ModelFormatError, sizeOf } from '@motiondelta/core';
import type { IntTensor, Tensor } from '@motiondelta/core';
import { float16ToFloat32 } from './float16.js';
import type { WeightGroup, WeightSpec } from './model-json.js';

/** A decoded weight, float or integer, keyed by its manifest name. */
export type DecodedWeight = { readonly dtype: 'float32'; readonly tensor: Tensor } | { readonly dtype: 'int32'; readonly tensor: IntTensor };

export type ReadWeightFile = (relativePath: string) => Promise<Uint8Array>;

/**
 * Reads every shard of every group and decodes the weights as tfjs-converter does: a group's
 * shards are concatenated in order and its weights follow each other with no padding.
 */
export async function loadWeights(
  manifest: readonly WeightGroup[],
  readWeightFile: ReadWeightFile,
  location: string,
): Promise<Map<string, DecodedWeight>> {
  const weights = new Map<string, DecodedWeight>();
  for (const group of manifest) {
    const shards = await readShards(group.paths, readWeightFile, location);
    const bytes = concatenate(shards);
    let offset = 0;
    for (const spec of group.weights) {
      const byteLength = encodedByteLength(spec);
      if (offset + byteLength > bytes.length) {
        throw new ModelFormatError(
          `${location}: weight '${spec.name}' needs bytes ${offset}..${offset + byteLength} of its group, but the group's shards ` +
            `[${group.paths.join(', ')}] hold only ${bytes.length} bytes; shard '${shortShard(group.paths, shards)}' is truncated ` +
            `or does not belong to this model.`,
        );
      }
      weights.set(spec.name, decodeWeight(spec, new DataView(bytes.buffer, bytes.byteOffset + offset, byteLength)));
      offset += byteLength;
    }
  }
  return weights;
}

async function readShards(paths: readonly string[], read: ReadWeightFile, location: string): Promise<Uint8Array[]> {
  const shards: Uint8Array[] = [];
  for (const path of paths) {
    try {
      shards.push(await read(path));
    } catch (cause) {
      throw new ModelFormatError(`${location}: weight shard '${path}' cannot be read (${String(cause)}); it must lie beside the model file.`, {
        cause,
      });
    }
  }
  return shards;
}

function concatenate(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
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
function shortShard(paths: readonly string[], shards: readonly Uint8Array[]): string {
  const longest = Math.max(0, ...shards.map((s) => s.length));
  for (let i = 0; i < shards.length - 1; i++) {
    if (shards[i]!.length < longest) return paths[i]!;
  }
  return paths[paths.length - 1] ?? '<no shard>';
}

function encodedByteLength(spec: WeightSpec): number {
  const n = sizeOf(spec.shape);
  if (spec.quantization === undefined) return n * 4;
  return spec.quantization.dtype === 'uint8' ? n : n * 2;
}

function decodeWeight(spec: WeightSpec, view: DataView): DecodedWeight {
  const n = sizeOf(spec.shape);
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
