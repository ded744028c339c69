import { randomFloat32, randomInt, type Rng } from '@motiondelta/core';
import type { NodeProto, TensorProto } from 'onnx-buf';
import type { OnnxFeeds } from '../helpers/compare.js';
import { buildModel, floatTensor, node, type Attr } from '../helpers/onnx-builder.js';

export interface BuiltCase {
  readonly model: Uint8Array;
  readonly feeds: OnnxFeeds;
  readonly plainOutputs?: readonly string[];
}

/** One generated test: `build` draws shapes, attributes and values from the seeded `rng`. */
export interface ConformanceCase {
  readonly name: string;
  build(rng: Rng): BuiltCase;
}

export function feed(rng: Rng, dims: readonly number[], lo = -1, hi = 1): { data: Float32Array; shape: number[] } {
  return {
    data: randomFloat32(
      rng,
      dims.reduce((a, b) => a * b, 1),
      lo,
      hi,
    ),
    shape: [...dims],
  };
}

export function weight(rng: Rng, name: string, dims: readonly number[], lo = -1, hi = 1): TensorProto {
  return floatTensor(
    name,
    dims,
    randomFloat32(
      rng,
      dims.reduce((a, b) => a * b, 1),
      lo,
      hi,
    ),
  );
}

/** An odd size in [lo, hi]. */
export function oddInt(rng: Rng, lo: number, hi: number): number {
  return 2 * randomInt(rng, Math.ceil((lo - 1) / 2), Math.floor((hi - 1) / 2)) + 1;
}

export interface SingleNodeSpec {
  readonly opset?: number;
  readonly opType: string;
  /** Runtime graph inputs (ONNX layout), in the order the node reads them first. */
  readonly runtime: Readonly<Record<string, readonly number[]>>;
  /** The node's inputs by name: runtime inputs, initializers, constants or '' for absent. */
  readonly nodeInputs: readonly string[];
  readonly initializers?: readonly TensorProto[];
  readonly constants?: readonly NodeProto[];
  readonly attrs?: readonly Attr[];
  readonly inputRange?: readonly [number, number];
}

/** A model of one node reading runtime inputs plus constants and writing `y`. */
export function singleNode(rng: Rng, spec: SingleNodeSpec): BuiltCase {
  const [lo, hi] = spec.inputRange ?? [-1, 1];
  const feeds: Record<string, { data: Float32Array; shape: number[] }> = {};
  for (const [name, dims] of Object.entries(spec.runtime)) feeds[name] = feed(rng, dims, lo, hi);
  const model = buildModel({
    opset: spec.opset ?? 13,
    inputs: Object.entries(spec.runtime).map(([name, dims]) => ({ name, dims })),
    outputs: ['y'],
    nodes: [
      ...(spec.constants ?? []),
      node(spec.opType, spec.nodeInputs, ['y'], spec.attrs ?? [], `${spec.opType.toLowerCase()}_under_test`),
    ],
    initializers: spec.initializers ?? [],
  });
  return { model, feeds };
}
