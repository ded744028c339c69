import { UnsupportedOpError } from '@motiondelta/core';
import { TensorProto_DataType } from 'onnx-buf';
import type { ImportContext, OnnxNode } from '../context.js';
import { decodeTensor, type Constant } from '../tensor-data.js';
import { convertIdentity } from './shape-ops.js';

const FLOAT_TYPES = new Set<number>([
  TensorProto_DataType.FLOAT,
  TensorProto_DataType.DOUBLE,
  TensorProto_DataType.FLOAT16,
  TensorProto_DataType.BFLOAT16,
]);
const INT_TYPES = new Set<number>([
  TensorProto_DataType.INT8,
  TensorProto_DataType.UINT8,
  TensorProto_DataType.INT16,
  TensorProto_DataType.UINT16,
  TensorProto_DataType.INT32,
  TensorProto_DataType.UINT32,
  TensorProto_DataType.INT64,
  TensorProto_DataType.UINT64,
]);

/**
 * Cast. Every runtime value of a MotionDelta graph is float32, so a Cast to a float type is an
 * Identity (float16 or double precision is not emulated); a constant is converted at import
 * (to an integer type by truncation toward zero, as ONNX casts do).
 */
export function convertCast(node: OnnxNode, ctx: ImportContext): void {
  const [x = ''] = node.proto.input;
  const [output = ''] = node.proto.output;
  const to = node.attrs.int('to', TensorProto_DataType.UNDEFINED);
  const constant = ctx.constant(x, node);
  if (FLOAT_TYPES.has(to)) {
    if (constant?.kind === 'int') {
      ctx.define(output, { kind: 'float', dims: constant.dims, data: Float32Array.from(constant.data) });
      return;
    }
    convertIdentity(node, ctx);
    return;
  }
  if (INT_TYPES.has(to) && constant !== undefined) {
    ctx.define(output, { kind: 'int', dims: constant.dims, data: Array.from(constant.data, (v) => Math.trunc(v)) });
    return;
  }
  throw new UnsupportedOpError(
    node.opType,
    node.name,
    `a cast to ${TensorProto_DataType[to] ?? to}${constant === undefined ? ' of a runtime value' : ''} is not supported; ` +
      'accepted: to a float type, or of a constant to an integer type (runtime values are float32)',
  );
}

/** ConstantOfShape of a constant shape becomes a constant filled with `value` (default float 0). */
export function convertConstantOfShape(node: OnnxNode, ctx: ImportContext): void {
  const [shapeName = ''] = node.proto.input;
  const [output = ''] = node.proto.output;
  const shape = ctx.intConstant(shapeName, node, 'shape');
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new UnsupportedOpError(node.opType, node.name, `shape [${shape.join(',')}] must hold non-negative integers`);
  }
  const tensor = node.attrs.tensor('value');
  const fill: Constant = tensor
    ? decodeTensor(tensor, `${node.where}: attribute 'value'`, ctx.budget)
    : { kind: 'float', dims: [1], data: new Float32Array(1) };
  const count = shape.reduce((a, b) => a * b, 1);
  const value = fill.data[0] ?? 0;
  ctx.budget.charge(count * (fill.kind === 'float' ? 4 : 8), node.where);
  ctx.define(
    output,
    fill.kind === 'float'
      ? { kind: 'float', dims: [...shape], data: new Float32Array(count).fill(value) }
      : { kind: 'int', dims: [...shape], data: new Array<number>(count).fill(value) },
  );
}

/** Range of constant start, limit and delta becomes a constant (float or integer, as its inputs). */
export function convertRange(node: OnnxNode, ctx: ImportContext): void {
  const [output = ''] = node.proto.output;
  const scalars = node.proto.input.slice(0, 3).map((name, i) => {
    const constant = ctx.constant(name, node);
    if (constant === undefined || constant.data.length !== 1) {
      throw new UnsupportedOpError(
        node.opType,
        node.name,
        `its ${['start', 'limit', 'delta'][i]} input '${name}' must be a constant scalar`,
      );
    }
    return constant;
  });
  const [start, limit, delta] = scalars.map((c) => c.data[0]!) as [number, number, number];
  if (delta === 0) throw new UnsupportedOpError(node.opType, node.name, 'delta 0 gives no range');
  const count = Math.max(Math.ceil((limit - start) / delta), 0);
  ctx.budget.charge(count * 8, node.where);
  const values = Array.from({ length: count }, (_, i) => start + i * delta);
  ctx.define(
    output,
    scalars.every((c) => c.kind === 'int')
      ? { kind: 'int', dims: [count], data: values }
      : { kind: 'float', dims: [count], data: Float32Array.from(values) },
  );
}
