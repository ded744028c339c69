import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { createRng, randomInt } from '@motiondelta/core';
import { TensorProto_DataType, TensorProtoSchema } from 'onnx-buf';
import { halfToFloat, decodeTensor } from '../../src/import/onnx/tensor-data.js';

/** Float32 -> IEEE half bits for values exactly representable in half (normal range). */
function floatToHalfExact(v: number): number {
  if (v === 0) return Object.is(v, -0) ? 0x8000 : 0;
  const sign = v < 0 ? 0x8000 : 0;
  const a = Math.abs(v);
  const exponent = Math.floor(Math.log2(a));
  const fraction = Math.round((a / 2 ** exponent - 1) * 1024);
  return sign | ((exponent + 15) << 10) | fraction;
}

/** Random values with 8 significant bits and small exponents: exact in float16, float32, double. */
function exactValues(seed: number, count: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => (randomInt(rng, -255, 255) / 32) * 2 ** randomInt(rng, -3, 3));
}

describe('decodeTensor', () => {
  const values = exactValues(7, 24);
  const dims = [2, 3, 4];
  const expected = Float32Array.from(values);

  it('reads float32 raw_data (little-endian) and float_data alike', () => {
    const raw = new Uint8Array(values.length * 4);
    values.forEach((v, i) => new DataView(raw.buffer).setFloat32(i * 4, v, true));
    // An odd byte offset: raw_data slices of a larger buffer need not be aligned.
    const unaligned = new Uint8Array(raw.length + 1);
    unaligned.set(raw, 1);
    const fromRaw = decodeTensor(
      create(TensorProtoSchema, { dims: dims.map(BigInt), dataType: TensorProto_DataType.FLOAT, rawData: unaligned.subarray(1) }),
      't',
    );
    const fromFloats = decodeTensor(
      create(TensorProtoSchema, { dims: dims.map(BigInt), dataType: TensorProto_DataType.FLOAT, floatData: values }),
      't',
    );
    expect(fromRaw).toEqual({ kind: 'float', dims, data: expected });
    expect(fromFloats).toEqual(fromRaw);
  });

  it('reads double raw_data and double_data as float32', () => {
    const raw = new Uint8Array(values.length * 8);
    values.forEach((v, i) => new DataView(raw.buffer).setFloat64(i * 8, v, true));
    const fromRaw = decodeTensor(
      create(TensorProtoSchema, { dims: dims.map(BigInt), dataType: TensorProto_DataType.DOUBLE, rawData: raw }),
      't',
    );
    const fromDoubles = decodeTensor(
      create(TensorProtoSchema, { dims: dims.map(BigInt), dataType: TensorProto_DataType.DOUBLE, doubleData: values }),
      't',
    );
    expect(fromRaw).toEqual({ kind: 'float', dims, data: expected });
    expect(fromDoubles).toEqual(fromRaw);
  });

  it('reads float16 from raw_data and from int32_data bit patterns', () => {
    const bits = values.map(floatToHalfExact);
    expect(bits.map(halfToFloat)).toEqual(values);
    const raw = new Uint8Array(values.length * 2);
    bits.forEach((b, i) => new DataView(raw.buffer).setUint16(i * 2, b, true));
    const fromRaw = decodeTensor(
      create(TensorProtoSchema, { dims: dims.map(BigInt), dataType: TensorProto_DataType.FLOAT16, rawData: raw }),
      't',
    );
    const fromInt32 = decodeTensor(
      create(TensorProtoSchema, { dims: dims.map(BigInt), dataType: TensorProto_DataType.FLOAT16, int32Data: bits }),
      't',
    );
    expect(fromRaw).toEqual({ kind: 'float', dims, data: expected });
    expect(fromInt32).toEqual(fromRaw);
  });

  it('reads int64 and int32 from raw_data and typed fields alike', () => {
    const ints = exactValues(9, 6).map((v) => Math.round(v * 8));
    const raw64 = new Uint8Array(ints.length * 8);
    ints.forEach((v, i) => new DataView(raw64.buffer).setBigInt64(i * 8, BigInt(v), true));
    const a = decodeTensor(create(TensorProtoSchema, { dims: [6n], dataType: TensorProto_DataType.INT64, rawData: raw64 }), 't');
    const b = decodeTensor(
      create(TensorProtoSchema, { dims: [6n], dataType: TensorProto_DataType.INT64, int64Data: ints.map(BigInt) }),
      't',
    );
    const c = decodeTensor(create(TensorProtoSchema, { dims: [6n], dataType: TensorProto_DataType.INT32, int32Data: ints }), 't');
    expect(a).toEqual({ kind: 'int', dims: [6], data: ints });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });
});
