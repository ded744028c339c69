import { clone, create } from '@bufbuild/protobuf';
import { UnsupportedOpError } from '@motiondelta/core';
import { AttributeProto_AttributeType, AttributeProtoSchema, NodeProtoSchema } from 'onnx-buf';
import { NodeAttributes } from '../attributes.js';
import type { ImportContext, OnnxNode } from '../context.js';
import { broadcastDims } from '../dims.js';
import { convertConcat } from './concat.js';
import { convertBinary } from './elementwise.js';

/** The node re-read as another op (`opType`, inputs, outputs, integer attributes), keeping its name. */
function asNode(node: OnnxNode, opType: string, inputs: readonly string[], output: string, ints: Record<string, number> = {}): OnnxNode {
  const proto = clone(NodeProtoSchema, node.proto);
  proto.opType = opType;
  proto.input = [...inputs];
  proto.output = [output];
  proto.attribute = Object.entries(ints).map(([name, i]) =>
    create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(i) }),
  );
  return { ...node, proto, opType, attrs: new NodeAttributes(proto, node.where) };
}

/**
 * Expand to a constant shape is numpy broadcasting against that shape, so it is emitted as an Add
 * of zeros shaped to what the input lacks (the broadcasting binary ops already handle layouts).
 */
export function convertExpand(node: OnnxNode, ctx: ImportContext): void {
  const [x = '', shapeName = ''] = node.proto.input;
  const [output = ''] = node.proto.output;
  const shape = ctx.intConstant(shapeName, node, 'shape');
  const dims = ctx.dims(x, node);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new UnsupportedOpError(node.opType, node.name, `shape [${shape.join(',')}] must hold non-negative integers`);
  }
  const out = broadcastDims([dims, shape]);
  if (out.some((d) => d === null)) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `the input's dims [${dims.join(',')}] must be known to expand to [${shape.join(',')}]`,
    );
  }
  // Zeros only as large as the growth needs: the output's size where the input has 1 (or no axis), 1 elsewhere.
  const zerosDims = out.map((d, i) => {
    const own = dims[dims.length - out.length + i];
    return own === undefined || own === 1 ? d! : 1;
  });
  const zeros = ctx.claimValueName(`${node.name}/zeros`);
  ctx.define(zeros, { kind: 'float', dims: zerosDims, data: new Float32Array(zerosDims.reduce((a, b) => a * b, 1)) });
  convertBinary(asNode(node, 'Add', [x, zeros], output), ctx);
}

/** Tile with constant repeats: for each repeated axis, a Concat of that many copies. */
export function convertTile(node: OnnxNode, ctx: ImportContext): void {
  const [x = '', repeatsName = ''] = node.proto.input;
  const [output = ''] = node.proto.output;
  const repeats = ctx.intConstant(repeatsName, node, 'repeats');
  const rank = ctx.rank(x, node);
  if (repeats.length !== rank || repeats.some((r) => !Number.isInteger(r) || r < 1)) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `repeats [${repeats.join(',')}] must hold one positive integer per input axis (${rank}); zero repeats (empty tensors) are not supported`,
    );
  }
  const axes = repeats.flatMap((r, axis) => (r > 1 ? [axis] : []));
  if (axes.length === 0) {
    convertBinary(asNode(node, 'Add', [x, zerosScalar(node, ctx)], output), ctx);
    return;
  }
  let current = x;
  axes.forEach((axis, i) => {
    const last = i === axes.length - 1;
    const target = last ? output : ctx.claimValueName(`${output}/tiled_${axis}`);
    const step = asNode(node, 'Concat', new Array<string>(repeats[axis]!).fill(current), target, { axis });
    convertConcat(last ? step : { ...step, name: ctx.claimNodeName(`${node.name}/axis_${axis}`) }, ctx);
    current = target;
  });
}

/** A scalar zero, for a Tile that repeats nothing (it still has to produce a value of its own). */
function zerosScalar(node: OnnxNode, ctx: ImportContext): string {
  const zero = ctx.claimValueName(`${node.name}/zero`);
  ctx.define(zero, { kind: 'float', dims: [], data: new Float32Array(1) });
  return zero;
}
