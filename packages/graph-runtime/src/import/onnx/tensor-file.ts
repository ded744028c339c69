import { fromBinary } from '@bufbuild/protobuf';
import { ModelFormatError } from '@motiondelta/core';
import { TensorProto_DataType, TensorProtoSchema } from 'onnx-buf';
import { decodeTensor } from './tensor-data.js';

/** A tensor read from a serialized ONNX TensorProto, in ONNX (NCHW) order. */
export interface OnnxTensor {
  /** The tensor's `name` field (may be empty). */
  readonly name: string;
  /** ONNX element type as the enum spells it: `'FLOAT'`, `'INT64'`, `'BOOL'`... */
  readonly elemType: string;
  readonly dims: readonly number[];
  /** Float types (float, double, float16, bfloat16) as float32; integer and bool types as numbers. */
  readonly data: Float32Array | readonly number[];
}

/**
 * Reads one serialized ONNX `TensorProto` (a `.pb` file such as the ONNX backend tests'
 * `input_0.pb` and `output_0.pb`) with the decoder the importer uses for initializers: float data
 * from `raw_data` or `float_data`, integers from their repeated fields.
 *
 * @param bytes the file's contents
 * @param location the file path, used in error messages
 * @throws ModelFormatError when the bytes are not a TensorProto, its data does not match its
 *   dims, or its type cannot be decoded (strings, complex numbers, external data)
 *
 * @example
 * ```ts
 * const x = readOnnxTensor(readFileSync('test_data_set_0/input_0.pb'), 'input_0.pb');
 * x.elemType; // 'FLOAT'
 * x.dims;     // [1, 3, 5, 5]
 * ```
 */
export function readOnnxTensor(bytes: Uint8Array, location: string): OnnxTensor {
  let proto;
  try {
    proto = fromBinary(TensorProtoSchema, bytes, { readUnknownFields: false });
  } catch (cause) {
    throw new ModelFormatError(`${location}: not a readable ONNX TensorProto (${(cause as Error).message}).`, { cause });
  }
  const decoded = decodeTensor(proto, location);
  return {
    name: proto.name,
    elemType: TensorProto_DataType[proto.dataType] ?? String(proto.dataType),
    dims: decoded.dims,
    data: decoded.data,
  };
}
