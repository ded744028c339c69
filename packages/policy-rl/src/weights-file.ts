import { ModelFormatError, ResourceLimitError, formatShape } from '@motiondelta/core';
import { checkArchitecture, parameterSpecs, type PolicyArchitecture } from './net/architecture.js';
import type { PolicyWeights } from './net/init-weights.js';

/**
 * Policy weight files. Layout, all integers little-endian:
 *
 * | bytes | content |
 * |---|---|
 * | 0-7 | magic `MDBLKPOL` |
 * | 8-11 | format version, uint32 (1) |
 * | 12-15 | header length H in bytes, uint32 |
 * | 16 .. 16+H | UTF-8 JSON header `{ architecture, tensors: [{ name, shape }], trainedSteps }` |
 * | then | zero padding to a multiple of 4 |
 * | then | every tensor's float32 values, in header order, nothing after |
 *
 * The tensor list must be exactly the one the architecture defines (names, shapes, order), so a
 * file for another network is refused before any weight buffer is allocated.
 */
export const WEIGHTS_MAGIC = 'MDBLKPOL';
export const WEIGHTS_VERSION = 1;
/** Largest weight file read by default: BlockCopy's network needs about 1.2 MiB. */
export const DEFAULT_MAX_WEIGHTS_BYTES = 64 * 2 ** 20;
const MAX_HEADER_BYTES = 2 ** 20;
const PREFIX = 16;

/** A decoded weight file. */
export interface PolicyWeightsFile {
  readonly architecture: PolicyArchitecture;
  readonly weights: PolicyWeights;
  /** Training steps the weights have seen (informational). */
  readonly trainedSteps: number;
}

/**
 * Serialises a policy network's weights (see the layout above).
 *
 * @example
 * ```ts
 * import { RlPolicy, encodePolicyWeights } from '@motiondelta/policy-rl';
 * const policy = new RlPolicy({ targetRate: 0.4, seed: 1 });
 * const bytes = encodePolicyWeights(policy.architecture, policy.weights(), 0);
 * ```
 */
export function encodePolicyWeights(architecture: PolicyArchitecture, weights: PolicyWeights, trainedSteps: number): Uint8Array {
  const specs = parameterSpecs(architecture);
  const header = new TextEncoder().encode(
    JSON.stringify({ architecture, tensors: specs.map((s) => ({ name: s.name, shape: s.shape })), trainedSteps }),
  );
  const dataStart = align4(PREFIX + header.length);
  const values = specs.reduce((n, s) => n + weights.get(s.name)!.length, 0);
  const bytes = new Uint8Array(dataStart + values * 4);
  bytes.set(new TextEncoder().encode(WEIGHTS_MAGIC), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, WEIGHTS_VERSION, true);
  view.setUint32(12, header.length, true);
  bytes.set(header, PREFIX);
  let offset = dataStart;
  for (const s of specs) {
    for (const v of weights.get(s.name)!) {
      view.setFloat32(offset, v, true);
      offset += 4;
    }
  }
  return bytes;
}

/**
 * Reads a weight file written by {@link encodePolicyWeights}. Throws ResourceLimitError for a file
 * over `maxBytes`, ModelFormatError for anything else wrong (magic, version, header, architecture,
 * tensor list, length, non-finite values), each checked before the weights are allocated.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { decodePolicyWeights } from '@motiondelta/policy-rl';
 * const { architecture, weights } = decodePolicyWeights(readFileSync('policy.mdpol'));
 * ```
 */
export function decodePolicyWeights(bytes: Uint8Array, maxBytes = DEFAULT_MAX_WEIGHTS_BYTES): PolicyWeightsFile {
  if (bytes.length > maxBytes) {
    throw new ResourceLimitError('Policy weight file', bytes.length, maxBytes, 'pass a larger maxBytes to read it.');
  }
  const fail = (what: string): never => {
    throw new ModelFormatError(`Policy weight file: ${what}`);
  };
  if (bytes.length < PREFIX) fail(`${bytes.length} bytes is shorter than the ${PREFIX}-byte prefix.`);
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== WEIGHTS_MAGIC)
    fail(`it does not start with '${WEIGHTS_MAGIC}'; not a policy weight file.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== WEIGHTS_VERSION) fail(`format version ${version} is not supported (this package reads version ${WEIGHTS_VERSION}).`);
  const headerLength = view.getUint32(12, true);
  if (headerLength > MAX_HEADER_BYTES || PREFIX + headerLength > bytes.length) {
    fail(`its header claims ${headerLength} bytes, but ${bytes.length - PREFIX} follow the prefix (at most ${MAX_HEADER_BYTES} accepted).`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX, PREFIX + headerLength)));
  } catch (error) {
    return fail(`its header is not UTF-8 JSON (${(error as Error).message}).`);
  }
  if (typeof header !== 'object' || header === null) return fail('its header is not a JSON object.');
  const h = header as Record<string, unknown>;
  let architecture: PolicyArchitecture;
  try {
    architecture = checkArchitecture(h.architecture, 'architecture');
  } catch (error) {
    return fail(`its ${(error as Error).message}`);
  }
  const specs = parameterSpecs(architecture);
  const tensors = h.tensors;
  if (!Array.isArray(tensors) || tensors.length !== specs.length) {
    fail(`it lists ${Array.isArray(tensors) ? tensors.length : 'no'} tensors; the architecture has ${specs.length}.`);
  }
  for (const [i, s] of specs.entries()) {
    const t = (tensors as unknown[])[i] as { name?: unknown; shape?: unknown } | null;
    const shape = t?.shape;
    if (t?.name !== s.name || !Array.isArray(shape) || shape.length !== s.shape.length || shape.some((d, j) => d !== s.shape[j])) {
      fail(
        `tensor ${i} is ${JSON.stringify(t?.name)} ${JSON.stringify(shape)}; the architecture expects '${s.name}' ${formatShape(s.shape)}.`,
      );
    }
  }
  const trainedSteps =
    typeof h.trainedSteps === 'number' && Number.isSafeInteger(h.trainedSteps) && h.trainedSteps >= 0 ? h.trainedSteps : 0;
  const dataStart = align4(PREFIX + headerLength);
  const values = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes.length !== dataStart + values * 4) {
    fail(`it holds ${bytes.length - dataStart} bytes of weights; the architecture needs exactly ${values * 4}.`);
  }
  const weights: PolicyWeights = new Map();
  let offset = dataStart;
  for (const s of specs) {
    const w = new Float32Array(s.shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < w.length; i++, offset += 4) {
      const v = view.getFloat32(offset, true);
      if (!Number.isFinite(v)) fail(`'${s.name}' holds ${v} at index ${i}; weights must be finite.`);
      w[i] = v;
    }
    weights.set(s.name, w);
  }
  return { architecture, weights, trainedSteps };
}

function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}
