import { clone, create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { randomInt, type Rng } from '@motiondelta/core';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  StringStringEntryProtoSchema,
  TensorProto_DataLocation,
  TensorShapeProto_DimensionSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
} from 'onnx-buf';
import { chance, edgeFloat, edgeInt, pick } from './fuzz-settings.js';

/** What one mutation did: its name for the failure message, and whether it changed numbers. */
export interface Mutation {
  readonly name: string;
  readonly values: boolean;
}

type StructuralMutator = (model: ModelProto, rng: Rng) => Mutation | undefined;

/** Op types a mutated node may take: every supported op, and a few that are not. */
const OP_TYPES = [
  'Conv',
  'ConvTranspose',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'BatchNormalization',
  'Relu',
  'Sigmoid',
  'Tanh',
  'HardSwish',
  'HardSigmoid',
  'LeakyRelu',
  'Clip',
  'PRelu',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Concat',
  'Softmax',
  'Pad',
  'Resize',
  'Upsample',
  'Gemm',
  'MatMul',
  'Reshape',
  'Flatten',
  'Transpose',
  'Squeeze',
  'Unsqueeze',
  'Identity',
  'Dropout',
  'Constant',
  'Loop',
  'If',
  'Erf',
  '',
  'conv',
];

const TENSOR_NAMES_GARBAGE = ['', 'x', 'y', '../../etc/passwd', 'w\0', 'ghost'];

function tensorsOf(model: ModelProto): TensorProto[] {
  const graph = model.graph!;
  const fromConstants = graph.node.flatMap((n) => n.attribute.filter((a) => a.t !== undefined).map((a) => a.t!));
  return [...graph.initializer, ...fromConstants];
}

function valueNames(model: ModelProto): string[] {
  const graph = model.graph!;
  return [
    ...graph.input.map((i) => i.name),
    ...graph.initializer.map((t) => t.name),
    ...graph.node.flatMap((n) => n.output),
    ...TENSOR_NAMES_GARBAGE,
  ];
}

function randomBytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = randomInt(rng, 0, 255);
  return out;
}

function withNode(model: ModelProto, rng: Rng, f: (node: NodeProto) => Mutation | undefined): Mutation | undefined {
  const nodes = model.graph!.node;
  return nodes.length === 0 ? undefined : f(pick(rng, nodes));
}

function withTensor(model: ModelProto, rng: Rng, f: (tensor: TensorProto) => Mutation | undefined): Mutation | undefined {
  const tensors = tensorsOf(model);
  return tensors.length === 0 ? undefined : f(pick(rng, tensors));
}

function mutateAttribute(a: AttributeProto, rng: Rng): Mutation {
  switch (randomInt(rng, 0, 6)) {
    case 0:
      a.i = BigInt(edgeInt(rng, Number(a.i)));
      return { name: `attribute ${a.name}.i = ${a.i}`, values: false };
    case 1: {
      const ints = a.ints.length > 0 ? a.ints.map((v) => (chance(rng, 0.5) ? BigInt(edgeInt(rng, Number(v))) : v)) : [BigInt(edgeInt(rng))];
      if (chance(rng, 0.3)) ints.push(BigInt(edgeInt(rng)));
      if (chance(rng, 0.2)) ints.splice(0, 1);
      a.ints = ints;
      return { name: `attribute ${a.name}.ints = [${ints.join(',')}]`, values: false };
    }
    case 2:
      a.f = edgeFloat(rng, a.f);
      return { name: `attribute ${a.name}.f = ${a.f}`, values: true };
    case 3:
      a.floats = a.floats.length > 0 ? a.floats.map((v) => (chance(rng, 0.5) ? edgeFloat(rng, v) : v)) : [edgeFloat(rng)];
      return { name: `attribute ${a.name}.floats = [${a.floats.join(',')}]`, values: true };
    case 4:
      a.s = Uint8Array.from(
        new TextEncoder().encode(
          pick(rng, [
            '',
            'NOTSET',
            'SAME_UPPER',
            'SAME_LOWER',
            'VALID',
            'nearest',
            'linear',
            'cubic',
            'half_pixel',
            'asymmetric',
            'align_corners',
            'constant',
            'reflect',
            'edge',
            '\u0000\u00ff',
          ]),
        ),
      );
      return { name: `attribute ${a.name}.s = '${new TextDecoder().decode(a.s)}'`, values: false };
    case 5:
      a.type = pick(rng, [0, 1, 2, 3, 4, 6, 7, 8, 99]) as AttributeProto_AttributeType;
      return { name: `attribute ${a.name}.type = ${a.type}`, values: false };
    default:
      a.name = pick(rng, [
        'axis',
        'axes',
        'pads',
        'strides',
        'kernel_shape',
        'group',
        'perm',
        'mode',
        'alpha',
        'epsilon',
        'to',
        'value',
        '',
      ]);
      return { name: `attribute renamed to '${a.name}'`, values: true };
  }
}

/** Mutations on the decoded model, each aimed at one thing the importer reads. */
const STRUCTURAL: readonly StructuralMutator[] = [
  (model, rng) =>
    withTensor(model, rng, (t) => {
      const dims = [...t.dims];
      const op = randomInt(rng, 0, 3);
      if (op === 0 && dims.length > 0) dims[randomInt(rng, 0, dims.length - 1)] = BigInt(edgeInt(rng, Number(dims[0])));
      else if (op === 1) dims.push(BigInt(edgeInt(rng)));
      else if (op === 2 && dims.length > 0) dims.splice(randomInt(rng, 0, dims.length - 1), 1);
      else dims.reverse();
      t.dims = dims;
      return { name: `tensor '${t.name}' dims = [${dims.join(',')}]`, values: false };
    }),
  (model, rng) =>
    withTensor(model, rng, (t) => {
      t.dataType = randomInt(rng, 0, 25);
      return { name: `tensor '${t.name}' data_type = ${t.dataType}`, values: true };
    }),
  (model, rng) =>
    withTensor(model, rng, (t) => {
      const raw = t.rawData;
      const cut = randomInt(rng, 0, raw.length + 16);
      t.rawData = cut <= raw.length ? raw.slice(0, cut) : Uint8Array.from([...raw, ...randomBytes(rng, cut - raw.length)]);
      return { name: `tensor '${t.name}' raw_data ${raw.length} -> ${t.rawData.length} bytes`, values: true };
    }),
  (model, rng) =>
    withTensor(model, rng, (t) => {
      if (t.rawData.length === 0) return undefined;
      const raw = t.rawData.slice();
      for (let k = randomInt(rng, 1, 8); k > 0; k--) raw[randomInt(rng, 0, raw.length - 1)] = randomInt(rng, 0, 255);
      t.rawData = raw;
      return { name: `tensor '${t.name}' raw_data bytes changed`, values: true };
    }),
  (model, rng) =>
    withTensor(model, rng, (t) => {
      // Data moved from raw_data to a repeated field, or doubled up in both.
      const n = randomInt(rng, 0, 8);
      t.floatData = Array.from({ length: n }, () => edgeFloat(rng));
      if (chance(rng, 0.5)) t.rawData = new Uint8Array(0);
      t.int64Data = chance(rng, 0.3) ? [BigInt(edgeInt(rng))] : t.int64Data;
      return { name: `tensor '${t.name}' float_data = ${n} values, raw_data ${t.rawData.length} bytes`, values: true };
    }),
  (model, rng) =>
    withTensor(model, rng, (t) => {
      t.dataLocation = TensorProto_DataLocation.EXTERNAL;
      t.externalData = [
        create(StringStringEntryProtoSchema, { key: 'location', value: pick(rng, ['../../etc/passwd', '/dev/zero', 'weights.bin']) }),
      ];
      return { name: `tensor '${t.name}' stored externally`, values: false };
    }),
  (model, rng) =>
    withTensor(model, rng, (t) => {
      t.name = pick(rng, valueNames(model));
      return { name: `tensor renamed to '${t.name}'`, values: false };
    }),
  (model, rng) =>
    withNode(model, rng, (n) => {
      if (n.attribute.length === 0) return undefined;
      return mutateAttribute(pick(rng, n.attribute), rng);
    }),
  (model, rng) =>
    withNode(model, rng, (n) => {
      if (n.attribute.length > 0 && chance(rng, 0.5)) {
        const a = n.attribute.splice(randomInt(rng, 0, n.attribute.length - 1), 1)[0]!;
        return { name: `node '${n.name}' attribute ${a.name} removed`, values: true };
      }
      const name = pick(rng, [
        'axis',
        'pads',
        'strides',
        'group',
        'dilations',
        'kernel_shape',
        'auto_pad',
        'epsilon',
        'mode',
        'perm',
        'unknown',
      ]);
      n.attribute.push(
        create(AttributeProtoSchema, {
          name,
          type: AttributeProto_AttributeType.INTS,
          ints: [BigInt(edgeInt(rng)), BigInt(edgeInt(rng))],
          i: BigInt(edgeInt(rng)),
        }),
      );
      return { name: `node '${n.name}' attribute ${name} added`, values: false };
    }),
  (model, rng) =>
    withNode(model, rng, (n) => {
      const names = valueNames(model);
      const inputs = [...n.input];
      const op = randomInt(rng, 0, 3);
      if (op === 0 && inputs.length > 0) inputs[randomInt(rng, 0, inputs.length - 1)] = pick(rng, names);
      else if (op === 1) inputs.push(pick(rng, names));
      else if (op === 2 && inputs.length > 0) inputs.splice(randomInt(rng, 0, inputs.length - 1), 1);
      else inputs.reverse();
      n.input = inputs;
      return { name: `node '${n.name}' inputs = [${inputs.join(',')}]`, values: false };
    }),
  (model, rng) =>
    withNode(model, rng, (n) => {
      const outputs = [...n.output];
      if (outputs.length > 0 && chance(rng, 0.7)) outputs[0] = pick(rng, valueNames(model));
      else outputs.push(pick(rng, valueNames(model)));
      n.output = outputs;
      return { name: `node '${n.name}' outputs = [${outputs.join(',')}]`, values: false };
    }),
  (model, rng) =>
    withNode(model, rng, (n) => {
      const before = n.opType;
      n.opType = pick(rng, OP_TYPES);
      if (chance(rng, 0.1)) n.domain = pick(rng, ['com.microsoft', 'ai.onnx', 'ai.onnx.ml']);
      return { name: `node '${n.name}' op ${before} -> ${n.opType}`, values: true };
    }),
  (model, rng) => {
    const nodes = model.graph!.node;
    if (nodes.length === 0) return undefined;
    const i = randomInt(rng, 0, nodes.length - 1);
    const op = randomInt(rng, 0, 2);
    if (op === 0) nodes.splice(i, 1);
    else if (op === 1) nodes.splice(i, 0, clone(NodeProtoSchema, nodes[i]!));
    else nodes.push(nodes.splice(i, 1)[0]!);
    return { name: `node #${i} ${['removed', 'duplicated', 'moved last'][op]}`, values: false };
  },
  (model, rng) => {
    const graph = model.graph!;
    const info = pick(rng, [...graph.input, ...graph.output]);
    const shape = info.type?.value.case === 'tensorType' ? info.type.value.value.shape : undefined;
    if (shape === undefined) return undefined;
    const dims = shape.dim;
    const op = randomInt(rng, 0, 3);
    const dim = create(
      TensorShapeProto_DimensionSchema,
      chance(rng, 0.7) ? { value: { case: 'dimValue', value: BigInt(edgeInt(rng, 8)) } } : { value: { case: 'dimParam', value: 'n' } },
    );
    if (op === 0 && dims.length > 0) dims[randomInt(rng, 0, dims.length - 1)] = dim;
    else if (op === 1) dims.push(dim);
    else if (op === 2 && dims.length > 0) dims.splice(randomInt(rng, 0, dims.length - 1), 1);
    else if (info.type !== undefined) info.type.value = { case: undefined };
    return { name: `value '${info.name}' declared dims changed`, values: false };
  },
  (model, rng) => {
    const graph = model.graph!;
    const op = randomInt(rng, 0, 2);
    if (op === 0 && graph.output.length > 0) graph.output[0]!.name = pick(rng, valueNames(model));
    else if (op === 1 && graph.output.length > 0) graph.output.push(clone(ValueInfoProtoSchema, graph.output[0]!));
    else if (graph.input.length > 0) graph.input[0]!.name = pick(rng, valueNames(model));
    return { name: `graph ${['output renamed', 'output duplicated', 'input renamed'][op]}`, values: false };
  },
  (model, rng) => {
    const opset = model.opsetImport[0];
    if (opset === undefined) return undefined;
    opset.version = BigInt(pick(rng, [0, 1, 6, 7, 9, 10, 11, 12, 13, 17, 18, 21, 1000, -1, 2 ** 40]));
    if (chance(rng, 0.2)) opset.domain = 'com.example';
    return { name: `opset ${opset.domain}:${opset.version}`, values: true };
  },
  (model, rng) => {
    model.irVersion = BigInt(pick(rng, [0, -1, 1, 3, 99]));
    return { name: `ir_version ${model.irVersion}`, values: false };
  },
];

/** Byte-level damage to the encoded file: flips, cuts, insertions, copied chunks. */
function mutateBytes(bytes: Uint8Array, rng: Rng): [Uint8Array, Mutation] {
  const out = Array.from(bytes);
  switch (randomInt(rng, 0, 4)) {
    case 0: {
      const k = randomInt(rng, 1, 16);
      for (let i = 0; i < k; i++) {
        const at = randomInt(rng, 0, out.length - 1);
        out[at] = out[at]! ^ (1 << randomInt(rng, 0, 7));
      }
      return [Uint8Array.from(out), { name: `${k} bit flips`, values: true }];
    }
    case 1: {
      const at = randomInt(rng, 0, out.length - 1);
      return [bytes.slice(0, at), { name: `truncated to ${at} bytes`, values: true }];
    }
    case 2: {
      const at = randomInt(rng, 0, out.length);
      out.splice(at, 0, ...randomBytes(rng, randomInt(rng, 1, 64)));
      return [Uint8Array.from(out), { name: `random bytes inserted at ${at}`, values: true }];
    }
    case 3: {
      const from = randomInt(rng, 0, out.length - 1);
      const len = randomInt(rng, 1, Math.min(4096, out.length - from));
      const at = randomInt(rng, 0, out.length);
      out.splice(at, 0, ...out.slice(from, from + len));
      return [Uint8Array.from(out), { name: `${len} bytes from ${from} copied to ${at}`, values: true }];
    }
    default: {
      const at = randomInt(rng, 0, out.length - 1);
      const len = Math.min(randomInt(rng, 1, 32), out.length - at);
      for (let i = 0; i < len; i++) out[at + i] = pick(rng, [0x00, 0xff, 0x7f, 0x80, randomInt(rng, 0, 255)]);
      return [Uint8Array.from(out), { name: `${len} bytes overwritten at ${at}`, values: true }];
    }
  }
}

/**
 * A mutated copy of `base` (decoded once by the caller): one to three structural mutations,
 * re-encoded, and sometimes byte-level damage on top (alone for a fifth of the cases).
 */
export function mutateOnnx(base: ModelProto, baseBytes: Uint8Array, rng: Rng): { bytes: Uint8Array; mutations: Mutation[] } {
  const mutations: Mutation[] = [];
  let bytes = baseBytes;
  if (!chance(rng, 0.2)) {
    const model = clone(ModelProtoSchema, base);
    for (let k = randomInt(rng, 1, 3); k > 0; k--) {
      const m = pick(rng, STRUCTURAL)(model, rng);
      if (m !== undefined) mutations.push(m);
    }
    bytes = toBinary(ModelProtoSchema, model);
  }
  if (mutations.length === 0 || chance(rng, 0.1)) {
    const [damaged, m] = mutateBytes(bytes, rng);
    bytes = damaged;
    mutations.push(m);
  }
  return { bytes, mutations };
}

/** Decodes a base model once; every case clones it. */
export function decodeBase(bytes: Uint8Array): ModelProto {
  return fromBinary(ModelProtoSchema, bytes);
}
