import { create, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorProto_DataType,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';

/** Builders for small in-memory ONNX models, made with the same schemas the importer reads. */

export type Attr = AttributeProto;

export const attr = {
  int: (name: string, i: number): Attr => create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(i) }),
  ints: (name: string, ints: readonly number[]): Attr =>
    create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INTS, ints: ints.map((v) => BigInt(v)) }),
  float: (name: string, f: number): Attr => create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f }),
  floats: (name: string, floats: readonly number[]): Attr =>
    create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOATS, floats: [...floats] }),
  string: (name: string, s: string): Attr =>
    create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.STRING, s: new Uint8Array(new TextEncoder().encode(s)) }),
  tensor: (name: string, t: TensorProto): Attr => create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.TENSOR, t }),
};

/** Float32 tensor stored as little-endian raw_data (the common exporter form). */
export function floatTensor(name: string, dims: readonly number[], data: Float32Array): TensorProto {
  const raw = new Uint8Array(data.length * 4);
  const view = new DataView(raw.buffer);
  data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return create(TensorProtoSchema, { name, dims: dims.map((d) => BigInt(d)), dataType: TensorProto_DataType.FLOAT, rawData: raw });
}

/** Int64 tensor in int64_data (shapes, axes, pads, sizes). */
export function int64Tensor(name: string, dims: readonly number[], data: readonly number[]): TensorProto {
  return create(TensorProtoSchema, {
    name,
    dims: dims.map((d) => BigInt(d)),
    dataType: TensorProto_DataType.INT64,
    int64Data: data.map((v) => BigInt(v)),
  });
}

export function node(
  opType: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attributes: readonly Attr[] = [],
  name = '',
): NodeProto {
  return create(NodeProtoSchema, { opType, input: [...inputs], output: [...outputs], attribute: [...attributes], name });
}

/** A Constant node holding a tensor. */
export function constantNode(output: string, tensor: TensorProto): NodeProto {
  return node('Constant', [], [output], [attr.tensor('value', tensor)]);
}

export function valueInfo(name: string, dims?: readonly (number | string)[]): ValueInfoProto {
  const shape =
    dims === undefined
      ? undefined
      : create(TensorShapeProtoSchema, {
          dim: dims.map((d) =>
            create(TensorShapeProto_DimensionSchema, {
              value: typeof d === 'number' ? { case: 'dimValue', value: BigInt(d) } : { case: 'dimParam', value: d },
            }),
          ),
        });
  const tensorType = create(TypeProto_TensorSchema, { elemType: TensorProto_DataType.FLOAT, ...(shape ? { shape } : {}) });
  return create(ValueInfoProtoSchema, { name, type: create(TypeProtoSchema, { value: { case: 'tensorType', value: tensorType } }) });
}

export interface ModelSpec {
  readonly opset: number;
  readonly inputs: readonly { name: string; dims: readonly (number | string)[] }[];
  readonly outputs: readonly string[];
  readonly nodes: readonly NodeProto[];
  readonly initializers?: readonly TensorProto[];
}

export function buildModel(spec: ModelSpec): Uint8Array {
  const graph = create(GraphProtoSchema, {
    name: 'test',
    node: [...spec.nodes],
    initializer: [...(spec.initializers ?? [])],
    input: spec.inputs.map((i) => valueInfo(i.name, i.dims)),
    output: spec.outputs.map((o) => valueInfo(o)),
  });
  const model = create(ModelProtoSchema, {
    irVersion: 8n,
    producerName: 'motiondelta-tests',
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(spec.opset) })],
    graph,
  });
  return toBinary(ModelProtoSchema, model);
}
