import { ModelFormatError, ResourceLimitError, UnsupportedOpError } from '@motiondelta/core';
import { TensorProto_DataType, type ValueInfoProto } from 'onnx-buf';
import { modelLimits } from '../../load/model-limits.js';
import { DecodeBudget } from '../decode-budget.js';
import { makeNode, type Graph, type ValueInfo } from '../../ir/graph.js';
import { NodeAttributes } from './attributes.js';
import { ImportContext, storedDims, type OnnxNode } from './context.js';
import { CONVERTERS } from './converters/registry.js';
import { foldIntNode } from './int-folding.js';
import { decodeModel } from './decode.js';
import type { Dims } from './dims.js';
import { checkSingleDefinitions, sortNodes } from './graph-names.js';
import { NCHW_TO_NHWC, permuteDims } from './permute.js';
import { decodeTensor } from './tensor-data.js';

/** Declared dims of a graph input or output: symbolic or missing dimensions become null. */
function declaredDims(info: ValueInfoProto, location: string): Dims | undefined {
  const type = info.type?.value;
  if (type === undefined) return undefined;
  if (type.case !== 'tensorType') {
    throw new ModelFormatError(`${location}: graph value '${info.name}' is a ${type.case}; only tensors are supported.`);
  }
  const shape = type.value.shape;
  if (shape === undefined) return undefined;
  return shape.dim.map((d) => {
    if (d.value.case !== 'dimValue' || d.value.value <= 0n) return null;
    if (d.value.value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new ModelFormatError(`${location}: graph value '${info.name}' declares dimension ${d.value.value}, above 2^53.`);
    }
    return Number(d.value.value);
  });
}

/**
 * Imports an ONNX model into the MotionDelta graph IR. Feature maps become NHWC: 4-D graph
 * inputs and outputs are declared `[N,H,W,C]`, weights are re-laid-out, and Transpose nodes are
 * inserted only around ops that depend on NCHW element order (Reshape, Flatten, MatMul...).
 *
 * @param bytes the `.onnx` file contents (weights embedded)
 * @param location the file path or `'<bytes>'`, used in every error message
 * @param options.maxModelBytes most bytes the model may have (default 2 GiB); its decoded weights may take twice that
 * @throws ModelFormatError when the bytes are not a readable ONNX model, or a value name is
 *   defined twice (two nodes writing one output, a node output shadowing an input or initializer)
 * @throws ResourceLimitError when the bytes or the decoded weights pass the limits
 * @throws UnsupportedOpError for an op, attribute value or dynamic input the IR cannot express
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const graph = importOnnx(readFileSync('model.onnx'), 'model.onnx');
 * graph.inputs; // [{ name: 'x', shape: [null, null, null, 3], dtype: 'float32' }]
 * ```
 */
export function importOnnx(bytes: Uint8Array, location: string, options: { readonly maxModelBytes?: number } = {}): Graph {
  const limits = modelLimits(options.maxModelBytes);
  if (bytes.byteLength > limits.fileBytes) {
    throw new ResourceLimitError(`ONNX model '${location}'`, bytes.byteLength, limits.fileBytes, 'raise options.maxModelBytes to load it.');
  }
  const { graph: proto, opset } = decodeModel(bytes, location, limits.decodedBytes);
  checkSingleDefinitions(proto, location);

  const initializerNames = new Set(proto.initializer.map((t) => t.name));
  const graphInputs = proto.input.filter((i) => !initializerNames.has(i.name));
  // Runtime values keep their ONNX names; constants claim theirs when first materialized.
  const reserved = new Set<string>(graphInputs.map((i) => i.name));
  for (const node of proto.node) if (node.opType !== 'Constant') for (const o of node.output) if (o !== '') reserved.add(o);
  // A graph output may name a constant; it becomes an Identity node's output under that name, so
  // the constant itself must be materialized under another one.
  for (const output of proto.output) reserved.add(output.name);
  const ctx = new ImportContext(location, opset, reserved, new DecodeBudget(limits.decodedBytes));

  for (const tensor of proto.initializer) {
    ctx.define(tensor.name, decodeTensor(tensor, `${location}: initializer '${tensor.name}'`, ctx.budget));
  }

  const inputs: ValueInfo[] = graphInputs.map((info) => {
    const elemType = info.type?.value?.case === 'tensorType' ? info.type.value.value.elemType : TensorProto_DataType.FLOAT;
    if (elemType !== TensorProto_DataType.FLOAT) {
      throw new ModelFormatError(
        `${location}: graph input '${info.name}' has element type ${TensorProto_DataType[elemType] ?? elemType}; MotionDelta accepts float32 inputs only.`,
      );
    }
    const dims = declaredDims(info, location);
    if (dims === undefined) {
      throw new ModelFormatError(`${location}: graph input '${info.name}' declares no shape; its rank must be known.`);
    }
    ctx.defineRuntime(info.name, 'nhwc', dims);
    return dims.length === 4
      ? { name: info.name, shape: permuteDims(dims, NCHW_TO_NHWC), dtype: 'float32', transposedFrom: 'nchw' }
      : { name: info.name, shape: [...dims], dtype: 'float32' };
  });

  const consumed = new Set<string>(proto.output.map((o) => o.name));
  for (const node of proto.node) for (const i of node.input) consumed.add(i);

  const nodes = sortNodes(proto.node, new Set([...initializerNames, ...graphInputs.map((i) => i.name)]), location);
  const indexOf = new Map(proto.node.map((n, i) => [n, i]));
  for (const proto of nodes) {
    const index = indexOf.get(proto)!;
    const name = ctx.claimNodeName(proto.name !== '' ? proto.name : `${proto.opType}_${index}`);
    const where = `${location}: node '${name}' (${proto.opType})`;
    const node: OnnxNode = { proto, opType: proto.opType, name, attrs: new NodeAttributes(proto, where), where };
    const domain = proto.domain === 'ai.onnx' ? '' : proto.domain;
    // Shape arithmetic on known dimensions becomes constants here (see int-folding.ts).
    if (domain === '' && foldIntNode(node, ctx)) continue;
    const convert = domain === '' ? CONVERTERS.get(proto.opType) : undefined;
    if (convert === undefined) {
      throw new UnsupportedOpError(domain === '' ? proto.opType : `${domain}.${proto.opType}`, name);
    }
    convert(node, ctx);
    for (const output of proto.output) {
      if (output !== '' && !ctx.has(output) && consumed.has(output)) {
        throw new UnsupportedOpError(proto.opType, name, `its output '${output}' is used but not supported (only the first output is)`);
      }
    }
  }

  const outputs: ValueInfo[] = proto.output.map((info) => {
    const value = ctx.find(info.name);
    if (value === undefined) {
      throw new ModelFormatError(`${location}: graph output '${info.name}' is not produced by any node.`);
    }
    if (value.kind !== 'runtime') {
      // A constant output still has to be a value of the IR graph.
      const source = `${info.name}/const`;
      const nodeName = ctx.claimNodeName(source);
      const ref = { opType: 'Identity', name: nodeName, where: `${location}: graph output '${info.name}'` };
      ctx.emit(makeNode(nodeName, 'Identity', {}, [ctx.use(info.name, 'plain', ref)], [info.name]));
      return { name: info.name, shape: [...value.dims], dtype: 'float32' };
    }
    const declared = declaredDims(info, location);
    const dims = value.dims.map((d, i) => d ?? declared?.[i] ?? null);
    const transposed = value.layout === 'nhwc' && dims.length === 4;
    return {
      name: value.irName,
      shape: [...storedDims({ ...value, dims })],
      dtype: 'float32',
      ...(transposed && { transposedFrom: 'nchw' as const }),
    };
  });

  return {
    source: { format: 'onnx', location },
    inputs,
    outputs,
    nodes: ctx.nodes,
    constants: ctx.constants,
    intConstants: new Map(),
  };
}
