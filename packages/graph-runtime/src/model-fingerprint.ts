import type { Graph } from './ir/graph.js';

const hex = (bytes: ArrayBuffer): string => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

/**
 * SHA-256 with Web Crypto (Node 20 and browsers alike, no `node:` import). Web Crypto takes no
 * view of a SharedArrayBuffer, so such bytes are copied first.
 */
function sha256(bytes: ArrayBufferView): Promise<ArrayBuffer> {
  const owned =
    bytes.buffer instanceof ArrayBuffer
      ? (bytes as ArrayBufferView<ArrayBuffer>)
      : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice();
  return globalThis.crypto.subtle.digest('SHA-256', owned);
}

/** SHA-256 over the concatenated digests of the parts (one digest per part, so nothing is copied). */
async function digestOfDigests(parts: readonly Promise<ArrayBuffer>[]): Promise<string> {
  const digests = await Promise.all(parts);
  const joined = new Uint8Array(digests.length * 32);
  digests.forEach((digest, i) => joined.set(new Uint8Array(digest), i * 32));
  return hex(await sha256(joined));
}

/**
 * The fingerprint of a model file: `sha256:` and the hex SHA-256 of an ONNX file's bytes (what
 * `sha256sum model.onnx` prints), or for a TF.js model the SHA-256 over the digests of its
 * model.json and then its shards in manifest order. It depends on the bytes only, not on where
 * the model was loaded from nor on how MotionDelta imports it.
 */
export async function fileFingerprint(main: Uint8Array, shards: readonly Promise<ArrayBuffer>[] = []): Promise<string> {
  if (shards.length === 0) return `sha256:${hex(await sha256(main))}`;
  return `sha256:${await digestOfDigests([sha256(main), ...shards])}`;
}

/** SHA-256 of a shard's bytes, for {@link fileFingerprint}. */
export const shardDigest = (bytes: Uint8Array): Promise<ArrayBuffer> => sha256(bytes);

/** JSON for the graph's structure: typed arrays in attributes (a PReLU slope) become plain arrays. */
function structureJson(graph: Graph): string {
  return JSON.stringify(
    {
      inputs: graph.inputs,
      outputs: graph.outputs,
      nodes: graph.nodes,
      constants: [...graph.constants].map(([name, t]) => [name, t.shape]),
      intConstants: [...graph.intConstants].map(([name, t]) => [name, t.shape, [...t.data]]),
    },
    (_key, value: unknown) => (ArrayBuffer.isView(value) && !(value instanceof DataView) ? [...(value as Float32Array)] : value),
  );
}

/**
 * The fingerprint of a model built from a graph rather than loaded from a file: `graph-sha256:`
 * and the SHA-256 over its structure (inputs, outputs, nodes and attributes, constant names and
 * shapes) and the bytes of every weight.
 */
export async function graphFingerprint(graph: Graph): Promise<string> {
  const parts = [sha256(new TextEncoder().encode(structureJson(graph))), ...[...graph.constants.values()].map((t) => sha256(t.data))];
  return `graph-sha256:${await digestOfDigests(parts)}`;
}
