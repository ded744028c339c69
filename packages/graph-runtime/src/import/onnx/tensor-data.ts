import { ModelFormatError } from '@motiondelta/core';
import { TensorProto_DataLocation, TensorProto_DataType, type TensorProto } from 'onnx-buf';

/** A float constant in ONNX (logical, NCHW) order. */
export interface FloatConstant {
  readonly kind: 'float';
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

/**
 * An integer constant (shapes, axes, pads, sizes). Kept as plain numbers: int64 values such as
 * INT64_MAX only ever mean "to the end" and lose nothing that matters when rounded.
 */
export interface IntConstant {
  readonly kind: 'int';
  readonly dims: readonly number[];
  readonly data: readonly number[];
}

export type Constant = FloatConstant | IntConstant;

const INT_TYPES = new Map<number, { bytes: number; read: (v: DataView, o: number) => number }>([
  [TensorProto_DataType.INT8, { bytes: 1, read: (v, o) => v.getInt8(o) }],
  [TensorProto_DataType.UINT8, { bytes: 1, read: (v, o) => v.getUint8(o) }],
  [TensorProto_DataType.BOOL, { bytes: 1, read: (v, o) => v.getUint8(o) }],
  [TensorProto_DataType.INT16, { bytes: 2, read: (v, o) => v.getInt16(o, true) }],
  [TensorProto_DataType.UINT16, { bytes: 2, read: (v, o) => v.getUint16(o, true) }],
  [TensorProto_DataType.INT32, { bytes: 4, read: (v, o) => v.getInt32(o, true) }],
  [TensorProto_DataType.UINT32, { bytes: 4, read: (v, o) => v.getUint32(o, true) }],
  [TensorProto_DataType.INT64, { bytes: 8, read: (v, o) => Number(v.getBigInt64(o, true)) }],
  [TensorProto_DataType.UINT64, { bytes: 8, read: (v, o) => Number(v.getBigUint64(o, true)) }],
]);

/** IEEE 754 half precision bits to a number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function bfloat16ToFloat(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, (bits & 0xffff) << 16);
  return view.getFloat32(0);
}

/**
 * Decodes an ONNX TensorProto (initializer or Constant value) into a float or int constant.
 * `where` names the tensor and file for error messages.
 */
export function decodeTensor(tensor: TensorProto, where: string): Constant {
  const dims = tensor.dims.map((d) => Number(d));
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ModelFormatError(`${where}: tensor dims [${dims.join(',')}] are not non-negative integers.`);
  }
  if (tensor.dataLocation === TensorProto_DataLocation.EXTERNAL || tensor.externalData.length > 0) {
    throw new ModelFormatError(
      `${where}: tensor data is stored in an external file; only models with embedded weights are accepted.`,
    );
  }
  const count = dims.reduce((a, b) => a * b, 1);
  const raw = tensor.rawData;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const type = tensor.dataType;

  const expectLength = (got: number, unit: string): void => {
    if (got !== count) {
      throw new ModelFormatError(
        `${where}: tensor of dims [${dims.join(',')}] needs ${count} values but holds ${got} ${unit}.`,
      );
    }
  };

  const fromRaw = (bytes: number): boolean => {
    if (raw.byteLength === 0) return false;
    expectLength(raw.byteLength / bytes, `values (${raw.byteLength} bytes of raw_data)`);
    return true;
  };

  switch (type) {
    case TensorProto_DataType.FLOAT: {
      const data = new Float32Array(count);
      if (fromRaw(4)) {
        for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * 4, true);
      } else {
        expectLength(tensor.floatData.length, 'float_data values');
        data.set(tensor.floatData);
      }
      return { kind: 'float', dims, data };
    }
    case TensorProto_DataType.DOUBLE: {
      const data = new Float32Array(count);
      if (fromRaw(8)) {
        for (let i = 0; i < count; i++) data[i] = view.getFloat64(i * 8, true);
      } else {
        expectLength(tensor.doubleData.length, 'double_data values');
        data.set(tensor.doubleData);
      }
      return { kind: 'float', dims, data };
    }
    case TensorProto_DataType.FLOAT16:
    case TensorProto_DataType.BFLOAT16: {
      const convert = type === TensorProto_DataType.FLOAT16 ? halfToFloat : bfloat16ToFloat;
      const data = new Float32Array(count);
      if (fromRaw(2)) {
        for (let i = 0; i < count; i++) data[i] = convert(view.getUint16(i * 2, true));
      } else {
        // Without raw_data, ONNX keeps 16-bit floats as their bit patterns in int32_data.
        expectLength(tensor.int32Data.length, 'int32_data values');
        for (let i = 0; i < count; i++) data[i] = convert(tensor.int32Data[i]!);
      }
      return { kind: 'float', dims, data };
    }
    default: {
      const intType = INT_TYPES.get(type);
      if (intType === undefined) {
        throw new ModelFormatError(
          `${where}: tensor data type ${TensorProto_DataType[type] ?? type} is not supported; ` +
            'accepted: float, double, float16, bfloat16 and the integer and bool types.',
        );
      }
      if (fromRaw(intType.bytes)) {
        const data: number[] = new Array<number>(count);
        for (let i = 0; i < count; i++) data[i] = intType.read(view, i * intType.bytes);
        return { kind: 'int', dims, data };
      }
      if (type === TensorProto_DataType.INT64) {
        expectLength(tensor.int64Data.length, 'int64_data values');
        return { kind: 'int', dims, data: tensor.int64Data.map((v) => Number(v)) };
      }
      if (type === TensorProto_DataType.UINT32 || type === TensorProto_DataType.UINT64) {
        expectLength(tensor.uint64Data.length, 'uint64_data values');
        return { kind: 'int', dims, data: tensor.uint64Data.map((v) => Number(v)) };
      }
      expectLength(tensor.int32Data.length, 'int32_data values');
      return { kind: 'int', dims, data: [...tensor.int32Data] };
    }
  }
}
