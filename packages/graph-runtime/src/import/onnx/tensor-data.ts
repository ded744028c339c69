import { ModelFormatError, ResourceLimitError } from '@motiondelta/core';
import { TensorProto_DataLocation, TensorProto_DataType, type TensorProto } from 'onnx-buf';
import { DEFAULT_MODEL_LIMITS } from '../../load/model-limits.js';
import { DecodeBudget, declaredElementCount } from '../decode-budget.js';

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

/** Integer constants hold shapes, axes, pads and sizes; kept as plain numbers (8 bytes each). */
export const MAX_INT_CONSTANT_VALUES = 2 ** 24;

/** Checked dims of a tensor: non-negative safe integers (ONNX stores int64). */
function tensorDims(tensor: TensorProto, where: string): number[] {
  return tensor.dims.map((d) => {
    if (d < 0n || d > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new ModelFormatError(`${where}: tensor dims [${tensor.dims.join(',')}] are not non-negative integers below 2^53.`);
    }
    return Number(d);
  });
}

/**
 * Decodes an ONNX TensorProto (initializer or Constant value) into a float or int constant.
 * `where` names the tensor and file for error messages.
 *
 * The declared element count is checked against the data actually present (raw_data length or
 * the count of the repeated field) and charged to `budget` before anything is allocated, so a
 * tensor declaring 10^12 elements with a few bytes of data costs nothing.
 *
 * @throws ModelFormatError when the data does not match the dims, or is stored externally
 * @throws ResourceLimitError when the decoded tensor would pass the budget
 */
export function decodeTensor(tensor: TensorProto, where: string, budget = new DecodeBudget(DEFAULT_MODEL_LIMITS.decodedBytes)): Constant {
  const dims = tensorDims(tensor, where);
  if (tensor.dataLocation === TensorProto_DataLocation.EXTERNAL || tensor.externalData.length > 0) {
    // Reading external files would need the same containment checks as TF.js shards, and no
    // supported model needs it: such tensors are refused outright, never read as zeros.
    throw new ModelFormatError(
      `${where}: tensor data is stored in an external file; only models with embedded weights are accepted ` +
        '(re-save the model with onnx.save_model(model, path, save_as_external_data=False)).',
    );
  }
  const count = declaredElementCount(dims);
  if (!Number.isFinite(count)) {
    throw new ModelFormatError(`${where}: tensor dims [${dims.join(',')}] multiply to more than 2^53 elements.`);
  }
  const raw = tensor.rawData;
  const type = tensor.dataType;
  const intType = INT_TYPES.get(type);
  const rawBytes = RAW_BYTES.get(type) ?? intType?.bytes;
  if (rawBytes === undefined) {
    throw new ModelFormatError(
      `${where}: tensor data type ${TensorProto_DataType[type] ?? type} is not supported; ` +
        'accepted: float, double, float16, bfloat16 and the integer and bool types.',
    );
  }
  const [held, unit] =
    raw.byteLength > 0 ? [raw.byteLength / rawBytes, `values (${raw.byteLength} bytes of raw_data)`] : repeatedCount(tensor);
  if (held !== count) {
    throw new ModelFormatError(`${where}: tensor of dims [${dims.join(',')}] needs ${count} values but holds ${held} ${unit}.`);
  }
  if (intType !== undefined && count > MAX_INT_CONSTANT_VALUES) {
    throw new ResourceLimitError(
      where,
      count * 8,
      MAX_INT_CONSTANT_VALUES * 8,
      `an integer tensor of ${count} values; integer tensors only hold shapes, axes, pads and sizes in the models MotionDelta runs.`,
    );
  }
  budget.charge(count * (intType === undefined ? 4 : 8), where);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const fromRaw = raw.byteLength > 0;

  switch (type) {
    case TensorProto_DataType.FLOAT: {
      const data = new Float32Array(count);
      if (fromRaw) {
        for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * 4, true);
      } else {
        data.set(tensor.floatData);
      }
      return { kind: 'float', dims, data };
    }
    case TensorProto_DataType.DOUBLE: {
      const data = new Float32Array(count);
      if (fromRaw) {
        for (let i = 0; i < count; i++) data[i] = view.getFloat64(i * 8, true);
      } else {
        data.set(tensor.doubleData);
      }
      return { kind: 'float', dims, data };
    }
    case TensorProto_DataType.FLOAT16:
    case TensorProto_DataType.BFLOAT16: {
      const convert = type === TensorProto_DataType.FLOAT16 ? halfToFloat : bfloat16ToFloat;
      const data = new Float32Array(count);
      if (fromRaw) {
        for (let i = 0; i < count; i++) data[i] = convert(view.getUint16(i * 2, true));
      } else {
        // Without raw_data, ONNX keeps 16-bit floats as their bit patterns in int32_data.
        for (let i = 0; i < count; i++) data[i] = convert(tensor.int32Data[i]!);
      }
      return { kind: 'float', dims, data };
    }
    default: {
      const ints = intType!;
      if (fromRaw) {
        const data: number[] = new Array<number>(count);
        for (let i = 0; i < count; i++) data[i] = ints.read(view, i * ints.bytes);
        return { kind: 'int', dims, data };
      }
      if (type === TensorProto_DataType.INT64) return { kind: 'int', dims, data: tensor.int64Data.map((v) => Number(v)) };
      if (type === TensorProto_DataType.UINT32 || type === TensorProto_DataType.UINT64) {
        return { kind: 'int', dims, data: tensor.uint64Data.map((v) => Number(v)) };
      }
      return { kind: 'int', dims, data: [...tensor.int32Data] };
    }
  }
}

/** Bytes per raw_data value of the float types (integer types are in INT_TYPES). */
const RAW_BYTES = new Map<number, number>([
  [TensorProto_DataType.FLOAT, 4],
  [TensorProto_DataType.DOUBLE, 8],
  [TensorProto_DataType.FLOAT16, 2],
  [TensorProto_DataType.BFLOAT16, 2],
]);

/** Values held in the repeated field ONNX uses for the tensor's type when raw_data is empty. */
function repeatedCount(tensor: TensorProto): [count: number, unit: string] {
  switch (tensor.dataType) {
    case TensorProto_DataType.FLOAT:
      return [tensor.floatData.length, 'float_data values'];
    case TensorProto_DataType.DOUBLE:
      return [tensor.doubleData.length, 'double_data values'];
    case TensorProto_DataType.INT64:
      return [tensor.int64Data.length, 'int64_data values'];
    case TensorProto_DataType.UINT32:
    case TensorProto_DataType.UINT64:
      return [tensor.uint64Data.length, 'uint64_data values'];
    default:
      return [tensor.int32Data.length, 'int32_data values'];
  }
}
