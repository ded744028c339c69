import { create, fromBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ModelFormatError, MotionDeltaError, ResourceLimitError } from '@motiondelta/core';
import {
  ModelProtoSchema,
  StringStringEntryProtoSchema,
  TensorProto_DataLocation,
  TensorProto_DataType,
  TensorProtoSchema,
  type TensorProto,
} from 'onnx-buf';
import { decodeModel } from '../../src/import/onnx/decode.js';
import { importOnnx } from '../../src/import/onnx/index.js';
import { loadModel } from '../../src/node.js';
import { buildModel, constantNode, floatTensor, node } from './helpers/onnx-builder.js';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    expect(MotionDeltaError.isInstance(error), String(error)).toBe(true);
    return error as Error;
  }
  throw new Error('expected an error, none was thrown');
}

function expectFormatError(bytes: Uint8Array, ...mentions: string[]): void {
  const error = thrown(() => importOnnx(bytes, 'hostile.onnx'));
  expect(ModelFormatError.isInstance(error), String(error)).toBe(true);
  for (const m of [...mentions, 'hostile.onnx']) expect(error.message).toContain(m);
}

/** A Relu model with `initializers` added (and whatever nodes read them). */
function reluModel(nodes = [node('Relu', ['x'], ['y'], [], 'relu')], initializers: TensorProto[] = []): Uint8Array {
  return buildModel({ opset: 13, inputs: [{ name: 'x', dims: [1, 2, 4, 4] }], outputs: ['y'], nodes, initializers });
}

/** Protobuf wire encoding, for bytes the schema-based builders cannot produce. */
const wire = {
  varint(n: number): number[] {
    const out: number[] = [];
    for (;;) {
      const b = n % 128;
      n = Math.floor(n / 128);
      if (n === 0) return [...out, b];
      out.push(b | 0x80);
    }
  },
  tag: (no: number, type: number) => wire.varint(no * 8 + type),
  len: (no: number, body: readonly number[]) => [...wire.tag(no, 2), ...wire.varint(body.length), ...body],
};

describe('ONNX graphs that define a value twice', () => {
  it('refuses two nodes writing the same output, naming both nodes', () => {
    const bytes = reluModel([node('Relu', ['x'], ['y'], [], 'first'), node('Sigmoid', ['x'], ['y'], [], 'second')]);
    expectFormatError(bytes, "value 'y' is defined twice", "'first' (Relu)", "'second' (Sigmoid)");
  });

  it('names unnamed nodes by op type and index', () => {
    const bytes = reluModel([node('Relu', ['x'], ['y']), node('Sigmoid', ['x'], ['y'])]);
    expectFormatError(bytes, "'Relu_0' (Relu)", "'Sigmoid_1' (Sigmoid)");
  });

  it('refuses a node output that shadows a graph input', () => {
    const bytes = reluModel([node('Relu', ['x'], ['y'], [], 'relu'), node('Sigmoid', ['y'], ['x'], [], 'overwrite_input')]);
    expectFormatError(bytes, "value 'x'", "graph input 'x'", "'overwrite_input' (Sigmoid)");
  });

  it('refuses a node output that shadows an initializer', () => {
    const w = floatTensor('w', [1, 2, 1, 1], Float32Array.of(1, 2));
    const bytes = reluModel([node('Mul', ['x', 'w'], ['y'], [], 'mul'), node('Relu', ['x'], ['w'], [], 'shadow')], [w]);
    expectFormatError(bytes, "initializer 'w'", "'shadow' (Relu)");
  });

  it('refuses two initializers of one name', () => {
    const w = floatTensor('w', [1], Float32Array.of(1));
    expectFormatError(reluModel(undefined, [w, w]), "value 'w' is defined twice", "initializer 'w'");
  });

  it('refuses a node that writes its own input, as a cycle', () => {
    expectFormatError(reluModel([node('Relu', ['x'], ['y'], [], 'relu'), node('Relu', ['z'], ['z'], [], 'loop')]), 'cycle', "'loop'");
  });

  it('refuses a two-node cycle', () => {
    const bytes = reluModel([
      node('Relu', ['x'], ['y'], [], 'relu'),
      node('Relu', ['b'], ['a'], [], 'ping'),
      node('Relu', ['a'], ['b'], [], 'pong'),
    ]);
    expectFormatError(bytes, 'cycle');
  });

  it('refuses a node reading a name nothing defines, naming both', () => {
    expectFormatError(reluModel([node('Add', ['x', 'ghost'], ['y'], [], 'add')]), "'add' (Add)", "'ghost'");
  });

  it('sorts a long chain stored in reverse order (one pass per node used to make this quadratic)', () => {
    const n = 3000;
    const nodes = Array.from({ length: n }, (_, i) =>
      node('Relu', [i === 0 ? 'x' : `v${i - 1}`], [i === n - 1 ? 'y' : `v${i}`], [], `relu${i}`),
    ).reverse();
    const graph = importOnnx(reluModel(nodes), 'reversed.onnx');
    expect(graph.nodes.map((g) => g.name).slice(0, 3)).toEqual(['relu0', 'relu1', 'relu2']);
    expect(graph.nodes).toHaveLength(n);
  });
});

describe('ONNX tensors whose declared size does not match their data', () => {
  it('refuses an initializer declaring 10^12 elements with no data, before allocating (it used to throw a RangeError)', () => {
    const huge = create(TensorProtoSchema, { name: 'w', dims: [1000000n, 1000000n], dataType: TensorProto_DataType.FLOAT });
    expectFormatError(reluModel(undefined, [huge]), "initializer 'w'", '1000000000000 values', 'holds 0');
  });

  it('refuses 10^12 elements declared over a few bytes of raw_data', () => {
    const huge = create(TensorProtoSchema, {
      name: 'w',
      dims: [1000000n, 1000000n],
      dataType: TensorProto_DataType.FLOAT,
      rawData: new Uint8Array(16),
    });
    expectFormatError(reluModel(undefined, [huge]), '1000000000000 values', '16 bytes of raw_data');
  });

  it('refuses dims whose product overflows 2^53, and dims above 2^53', () => {
    const overflow = create(TensorProtoSchema, {
      name: 'w',
      dims: [2n ** 30n, 2n ** 30n, 2n ** 30n],
      dataType: TensorProto_DataType.FLOAT,
    });
    expectFormatError(reluModel(undefined, [overflow]), '2^53');
    const giant = create(TensorProtoSchema, { name: 'w', dims: [2n ** 62n], dataType: TensorProto_DataType.FLOAT });
    expectFormatError(reluModel(undefined, [giant]), '2^53');
  });

  it('refuses a Constant node declaring 10^12 elements', () => {
    const huge = create(TensorProtoSchema, { dims: [1000000n, 1000000n], dataType: TensorProto_DataType.FLOAT, floatData: [1, 2] });
    const bytes = reluModel([constantNode('c', huge), node('Add', ['x', 'c'], ['y'], [], 'add')]);
    expectFormatError(bytes, "attribute 'value'", '1000000000000 values', 'holds 2 float_data values');
  });

  it('refuses a tensor stored in an external file, never reading it as zeros', () => {
    const external = create(TensorProtoSchema, {
      name: 'w',
      dims: [2n],
      dataType: TensorProto_DataType.FLOAT,
      dataLocation: TensorProto_DataLocation.EXTERNAL,
      externalData: [create(StringStringEntryProtoSchema, { key: 'location', value: '../../etc/passwd' })],
    });
    expectFormatError(reluModel(undefined, [external]), "initializer 'w'", 'external file', 'embedded weights');
  });

  it('counts decoded bytes against twice maxModelBytes: int8 data grows 8x as numbers', () => {
    const raw = new Uint8Array(64 * 1024);
    const ints = create(TensorProtoSchema, { name: 'idx', dims: [BigInt(raw.length)], dataType: TensorProto_DataType.INT8, rawData: raw });
    const bytes = reluModel(undefined, [ints]);
    const error = thrown(() => importOnnx(bytes, 'grows.onnx', { maxModelBytes: 100 * 1024 }));
    expect(ResourceLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ bytes: raw.length * 8, limit: 200 * 1024 });
    expect(error.message).toContain("initializer 'idx'");
  });
});

describe('ONNX bytes that do not match the schema', () => {
  const valid = reluModel();

  it('still loads a model with a few unknown fields (a newer ONNX version)', async () => {
    const bytes = Uint8Array.from([...valid, ...wire.len(99, [1, 2, 3]), ...wire.tag(98, 0), 5]);
    await expect(loadModel(bytes)).resolves.toBeDefined();
  });

  it('refuses more than a few unknown top-level fields', () => {
    const junk = Array.from({ length: 20 }, () => [...wire.tag(99, 0), 1]).flat();
    expectFormatError(Uint8Array.from([...valid, ...junk]), 'unknown fields in ModelProto');
  });

  it('refuses a known field with the wrong wire type', () => {
    // graph (field 7) as a varint instead of a message.
    expectFormatError(Uint8Array.from([...wire.tag(1, 0), 8, ...wire.tag(7, 0), 1]), 'ModelProto.graph', 'varint');
  });

  it('refuses a length running past the end of the file', () => {
    expectFormatError(Uint8Array.from([...wire.tag(1, 0), 8, ...wire.tag(7, 2), ...wire.varint(1_000_000), 1, 2, 3]), 'runs past the end');
  });

  it('refuses a model with no graph', () => {
    expectFormatError(Uint8Array.from([...wire.tag(1, 0), 8]), 'no graph');
  });

  it('refuses messages nested deeper than 64 levels (node -> attribute -> graph -> node ...)', () => {
    let graph: number[] = [];
    for (let i = 0; i < 40; i++) {
      const attribute = wire.len(6, graph); // AttributeProto.g
      const nodeBytes = wire.len(5, attribute); // NodeProto.attribute
      graph = wire.len(1, nodeBytes); // GraphProto.node
    }
    expectFormatError(Uint8Array.from([...wire.tag(1, 0), 8, ...wire.len(7, graph)]), 'nested more than 64');
  });

  it('refuses a packed int64 list whose decoded BigInts would pass the limit (1 byte each in the file, ~48 on the heap)', () => {
    const tensor = [...wire.tag(2, 0), 7, ...wire.len(7, new Array<number>(256 * 1024).fill(1))]; // data_type INT64, int64_data
    const bytes = Uint8Array.from([...wire.tag(1, 0), 8, ...wire.len(7, wire.len(5, tensor))]);
    const error = thrown(() => importOnnx(bytes, 'packed.onnx', { maxModelBytes: 512 * 1024 }));
    expect(ResourceLimitError.isInstance(error), String(error)).toBe(true);
    expect(error.message).toContain('packed.onnx');
  });

  it('decodes without keeping unknown fields (the decoder used to keep one object per field)', () => {
    const bytes = Uint8Array.from([...valid, ...wire.len(99, [1, 2, 3])]);
    expect(fromBinary(ModelProtoSchema, bytes).$unknown).toHaveLength(1);
    expect(decodeModel(bytes, 'unknown.onnx', 2 ** 30).model.$unknown).toBeUndefined();
  });
});
