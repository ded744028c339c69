import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, TensorProto_DataType, type ModelProto, type ValueInfoProto } from 'onnx-buf';

/** What a graph input or output is declared to be. */
export interface DeclaredValue {
  readonly name: string;
  /** `tensor`, or the non-tensor type the model declares (`sequence`, `optional`, `map`, `sparse`). */
  readonly kind: 'tensor' | 'sequence' | 'optional' | 'map' | 'sparse' | 'undeclared';
  /** ONNX element type name for tensors (`FLOAT`, `INT64`, `STRING`...). */
  readonly elemType?: string;
  /** Rank, where the model declares a shape. */
  readonly rank?: number;
}

/** What the conformance runner needs to know about a test's model before running it. */
export interface ModelFacts {
  readonly proto: ModelProto;
  readonly opset: number;
  /** Op types of every node, with their domain when not the default one (`ai.onnx.preview.training.Adam`). */
  readonly ops: readonly string[];
  /** Graph inputs that are not initializers, in order: what `input_<i>.pb` feeds. */
  readonly inputs: readonly DeclaredValue[];
  readonly outputs: readonly DeclaredValue[];
}

function declared(info: ValueInfoProto): DeclaredValue {
  const type = info.type?.value;
  if (type === undefined) return { name: info.name, kind: 'undeclared' };
  switch (type.case) {
    case 'tensorType': {
      const elemType = TensorProto_DataType[type.value.elemType] ?? String(type.value.elemType);
      const shape = type.value.shape;
      return shape === undefined
        ? { name: info.name, kind: 'tensor', elemType }
        : { name: info.name, kind: 'tensor', elemType, rank: shape.dim.length };
    }
    case 'sequenceType':
      return { name: info.name, kind: 'sequence' };
    case 'optionalType':
      return { name: info.name, kind: 'optional' };
    case 'mapType':
      return { name: info.name, kind: 'map' };
    default:
      return { name: info.name, kind: 'sparse' };
  }
}

/**
 * Decodes a test's model.onnx for classification. The runner only reads what the model declares
 * (op types, input and output types); importing and running is MotionDelta's job.
 */
export function readModelFacts(bytes: Uint8Array): ModelFacts {
  const proto = fromBinary(ModelProtoSchema, bytes, { readUnknownFields: false });
  const graph = proto.graph;
  const initializers = new Set(graph?.initializer.map((t) => t.name) ?? []);
  const opsetImport = proto.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  return {
    proto,
    opset: Number(opsetImport?.version ?? 0n),
    ops: (graph?.node ?? []).map((n) => (n.domain === '' || n.domain === 'ai.onnx' ? n.opType : `${n.domain}.${n.opType}`)),
    inputs: (graph?.input ?? []).filter((i) => !initializers.has(i.name)).map(declared),
    outputs: (graph?.output ?? []).map(declared),
  };
}
