import { ModelFormatError, UnsupportedOpError } from '@motiondelta/core';
import type { Graph, InputDtype, ValueInfo } from '../../ir/graph.js';
import { GraphBuilder } from './graph-builder.js';
import { GraphImportContext } from './graph-context.js';
import { parseGraphDef, tensorRef } from './graph-def.js';
import type { TfAttrValue, TfNode } from './graph-def.js';
import { convertConv, convertConvBackpropInput, convertMatMul } from './graph-ops-conv.js';
import { ACTIVATION_OPS, convertActivation, convertAddN, convertBinary, convertMinMax, isBinaryOp } from './graph-ops-elementwise.js';
import {
  convertConcat,
  convertExpandDims,
  convertPad,
  convertPool,
  convertReshape,
  convertResize,
  convertSoftmax,
  convertSqueeze,
  convertTranspose,
} from './graph-ops-layout.js';
import { convertDepthSpace, convertReduce, convertSlice, convertSplit, convertStridedSlice } from './graph-ops-structure.js';
import { convertCast, convertPack, foldShapeArithmetic } from './graph-ops-shape.js';
import { UNARY_MATH_OPS, convertUnaryMath } from './graph-ops-unary.js';
import { isRecord } from './model-json.js';
import type { TfjsModelJson } from './model-json.js';
import type { DecodedWeight } from './weights.js';

type Converter = (node: TfNode, ctx: GraphImportContext) => void;

const CONVERTERS: Readonly<Record<string, Converter>> = {
  Conv2D: (n, c) => convertConv(n, c, false, false),
  DepthwiseConv2dNative: (n, c) => convertConv(n, c, true, false),
  _FusedConv2D: (n, c) => convertConv(n, c, false, true),
  FusedDepthwiseConv2dNative: (n, c) => convertConv(n, c, true, true),
  Conv2DBackpropInput: convertConvBackpropInput,
  MatMul: (n, c) => convertMatMul(n, c, false),
  _FusedMatMul: (n, c) => convertMatMul(n, c, true),
  AddN: convertAddN,
  Maximum: convertMinMax,
  Minimum: convertMinMax,
  AvgPool: convertPool,
  MaxPool: convertPool,
  Mean: convertReduce,
  Max: convertReduce,
  Min: convertReduce,
  Sum: convertReduce,
  Prod: convertReduce,
  Slice: convertSlice,
  StridedSlice: convertStridedSlice,
  Split: convertSplit,
  SplitV: convertSplit,
  DepthToSpace: convertDepthSpace,
  SpaceToDepth: convertDepthSpace,
  ResizeBilinear: convertResize,
  ResizeNearestNeighbor: convertResize,
  ConcatV2: convertConcat,
  Concat: convertConcat,
  Pad: convertPad,
  PadV2: convertPad,
  MirrorPad: convertPad,
  Reshape: convertReshape,
  Squeeze: convertSqueeze,
  ExpandDims: convertExpandDims,
  Transpose: convertTranspose,
  Softmax: convertSoftmax,
  Cast: convertCast,
  Pack: convertPack,
};

/** Ops that forward their input unchanged at inference time. */
const PASS_THROUGH: ReadonlySet<string> = new Set(['Identity', 'StopGradient', 'Snapshot']);

/** Converts a TF.js graph model (a frozen TF GraphDef) into the IR. */
export function importGraphModel(model: TfjsModelJson, weights: ReadonlyMap<string, DecodedWeight>, location: string): Graph {
  const tfNodes = topologicalOrder(parseGraphDef(model.modelTopology, location), location);
  const builder = new GraphBuilder();
  const ctx = new GraphImportContext(builder, location);
  const signatureInputs = signatureSection(model.signature, 'inputs');
  const inputs = ctx.graphInputs;
  for (const node of tfNodes) {
    if (node.op === 'Const') {
      defineConst(node, weights, ctx);
    } else if (node.op === 'Placeholder' || node.op === 'PlaceholderWithDefault') {
      inputs.push(placeholderInfo(node, ctx, signatureInputs));
      builder.uniqueName(node.name); // reserve: no derived node may take an input's name
      ctx.define(node.name, node.name);
    } else if (node.op === 'NoOp') {
      continue;
    } else if (foldShapeArithmetic(node, ctx)) {
      continue;
    } else if (PASS_THROUGH.has(node.op)) {
      const source = ctx.input(node, 0);
      // A pass-through of a constant stays the constant; of a computed value, a real node so that
      // its name (often a graph output) exists.
      ctx.define(node.name, builder.hasConstant(source) ? source : builder.add(node.name, 'Identity', {}, [source]));
    } else if (isBinaryOp(node.op)) {
      convertBinary(node, ctx, node.op);
    } else if (ACTIVATION_OPS.has(node.op)) {
      convertActivation(node, ctx);
    } else if (UNARY_MATH_OPS.has(node.op)) {
      convertUnaryMath(node, ctx);
    } else {
      const convert = CONVERTERS[node.op];
      if (convert === undefined) throw new UnsupportedOpError(node.op, node.name, `in ${location}`);
      convert(node, ctx);
    }
  }
  const outputs = graphOutputs(model.signature, tfNodes, ctx, location);
  return builder.build({ format: 'tfjs-graph', location }, inputs, outputs);
}

function defineConst(node: TfNode, weights: ReadonlyMap<string, DecodedWeight>, ctx: GraphImportContext): void {
  const weight = weights.get(node.name);
  if (weight === undefined) {
    throw new ModelFormatError(`${ctx.location}: constant node '${node.name}' has no entry in the weights manifest.`);
  }
  if (weight.dtype === 'float32') ctx.defineFloatConst(node.name, weight.tensor);
  else ctx.defineIntConst(node.name, weight.tensor);
}

type SignatureSection = Record<string, { readonly name?: unknown; readonly dtype?: unknown; readonly tensorShape?: TfAttrValue['shape'] }>;

function signatureSection(signature: Record<string, unknown> | undefined, key: 'inputs' | 'outputs'): SignatureSection | undefined {
  const section = signature?.[key];
  return isRecord(section) ? (section as SignatureSection) : undefined;
}

function dims(shape: TfAttrValue['shape'] | undefined): (number | null)[] | undefined {
  if (shape === undefined || shape.unknownRank === true || shape.dim === undefined) return undefined;
  return shape.dim.map((d) => {
    const size = Number(d.size ?? -1);
    return size < 0 ? null : size;
  });
}

/** TF dtypes a graph input may have, and what sessions take for each. */
const INPUT_DTYPES: Readonly<Record<string, InputDtype>> = { DT_FLOAT: 'float32', DT_INT32: 'int32', DT_UINT8: 'uint8' };

function placeholderInfo(node: TfNode, ctx: GraphImportContext, signature: SignatureSection | undefined): ValueInfo {
  const a = ctx.attrs(node);
  const tfDtype = a.type('dtype') ?? 'DT_FLOAT';
  const dtype = INPUT_DTYPES[tfDtype];
  if (dtype === undefined) {
    throw new UnsupportedOpError(node.op, node.name, `input dtype ${tfDtype} (accepted: ${Object.keys(INPUT_DTYPES).join(', ')})`);
  }
  if (dtype !== 'float32') ctx.defineIntegerInput(node.name, tfDtype);
  const fromSignature = dims((signature?.[`${node.name}:0`] ?? signature?.[node.name])?.tensorShape);
  const shape = a.shape('shape') ?? fromSignature;
  if (shape === undefined) {
    throw new ModelFormatError(`${ctx.location}: input '${node.name}' has an unknown rank; MotionDelta needs NHWC inputs of known rank.`);
  }
  return { name: node.name, shape, dtype };
}

/**
 * Outputs are the signature's outputs when the converter wrote them, else the sink nodes (what
 * tfjs-converter's GraphModel does too).
 *
 * A signature output maps a user-facing key (`world_3d`) to the tensor that computes it (`name`:
 * `Identity_4:0`); converters of Keras and SavedModel graphs write keys that are not node names.
 * The value is found through `name`, and the output is named after the key without a `:0`
 * suffix, since that is the name the model's authors gave it. A key that is itself the name of
 * another node would make that node's value ambiguous; such an output keeps the tensor's name.
 * Without a signature, outputs are named after their node.
 */
function graphOutputs(
  signature: Record<string, unknown> | undefined,
  nodes: readonly TfNode[],
  ctx: GraphImportContext,
  location: string,
): ValueInfo[] {
  const section = signatureSection(signature, 'outputs');
  let named: { name: string; tensor: string; shape: (number | null)[] }[];
  if (section !== undefined && Object.keys(section).length > 0) {
    const nodeNames = new Set(nodes.map((n) => n.name));
    named = Object.entries(section).map(([key, info]) => {
      const tensor = tensorRef(typeof info.name === 'string' ? info.name : key);
      const wanted = tensorRef(key);
      const name = wanted !== tensor && nodeNames.has(wanted) ? tensor : wanted;
      return { name, tensor, shape: dims(info.tensorShape) ?? [] };
    });
  } else {
    const consumed = new Set(nodes.flatMap((n) => n.inputs.map((i) => tensorRef(i))));
    named = nodes
      .filter((n) => !consumed.has(n.name) && n.op !== 'Const' && n.op !== 'NoOp' && n.op !== 'Placeholder')
      .map((n) => ({ name: n.name, tensor: n.name, shape: [] }));
  }
  const seen = new Set<string>();
  return named.map(({ name, tensor, shape }) => {
    if (seen.has(name)) throw new ModelFormatError(`${location}: the signature names two outputs '${name}'.`);
    seen.add(name);
    const value = ctx.resolve(tensor);
    if (value === undefined) {
      const via = tensor === name ? '' : ` (signature output '${name}')`;
      throw new ModelFormatError(`${location}: output '${tensor}'${via} is not produced by any node of the graph.`);
    }
    if (value !== name) {
      // The output is a constant, a graph input or a tensor under another name: give it its own node.
      const added = ctx.builder.add(name, 'Identity', {}, [value]);
      if (added !== name) throw new ModelFormatError(`${location}: output name '${name}' is already taken by a node of the graph.`);
    }
    return { name, shape, dtype: 'float32' as const };
  });
}

/** Converter JSON is usually in order, but nothing guarantees it; inputs must precede readers. */
function topologicalOrder(nodes: readonly TfNode[], location: string): TfNode[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: TfNode[] = [];
  const visit = (root: TfNode) => {
    // Iterative DFS: deep graphs (hundreds of layers) would overflow a recursive one.
    const stack: { node: TfNode; next: number }[] = [{ node: root, next: 0 }];
    state.set(root.name, 'visiting');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const ref = top.node.inputs[top.next++];
      if (ref === undefined) {
        state.set(top.node.name, 'done');
        order.push(top.node);
        stack.pop();
        continue;
      }
      const dep = byName.get(tensorRef(ref).split(':')[0]!);
      if (dep === undefined) continue; // reported with the reader's name during conversion
      const s = state.get(dep.name);
      if (s === 'visiting') throw new UnsupportedOpError('cycle', dep.name, `${location} has a cycle (control flow is not supported)`);
      if (s === undefined) {
        state.set(dep.name, 'visiting');
        stack.push({ node: dep, next: 0 });
      }
    }
  };
  for (const node of nodes) if (!state.has(node.name)) visit(node);
  return order;
}
