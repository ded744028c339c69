import { ModelFormatError, UnsupportedOpError, type Tensor } from '@motiondelta/core';
import type { NodeProto } from 'onnx-buf';
import { makeNode, type GraphNode } from '../../ir/graph.js';
import type { NodeAttributes } from './attributes.js';
import type { Dims } from './dims.js';
import { NCHW_TO_NHWC, NHWC_TO_NCHW, permuteData, permuteDims } from './permute.js';
import type { DecodeBudget } from '../decode-budget.js';
import type { Constant, FloatConstant } from './tensor-data.js';

/**
 * How a runtime value is stored in the IR. `nhwc`: a 4-D ONNX (NCHW) tensor stored NHWC.
 * `plain`: stored exactly as ONNX shapes it (every non-4-D value, and 4-D values that went
 * through an op with no NHWC form such as Reshape or Transpose).
 */
export type Layout = 'nhwc' | 'plain';

export interface RuntimeValue {
  readonly kind: 'runtime';
  readonly irName: string;
  readonly layout: Layout;
  /** In ONNX order, whatever the layout. */
  readonly dims: Dims;
}

export type OnnxValue = RuntimeValue | Constant;

/** Who is asking, for error messages: a node, or the graph's outputs. */
export interface NodeRef {
  readonly opType: string;
  /** Unique IR node name: the ONNX name, or `${opType}_${index}` when it has none. */
  readonly name: string;
  /** `file: node 'name' (Op)`, the prefix of every message about this node. */
  readonly where: string;
}

/** An ONNX node on its way into the IR. */
export interface OnnxNode extends NodeRef {
  readonly proto: NodeProto;
  readonly attrs: NodeAttributes;
}

/** Everything a converter reads and writes while one ONNX graph is imported. */
export class ImportContext {
  readonly nodes: GraphNode[] = [];
  readonly constants = new Map<string, Tensor>();
  private readonly values = new Map<string, OnnxValue>();
  private readonly valueNames = new Set<string>();
  private readonly nodeNames = new Set<string>();
  /** Transposed or re-laid-out copies already made, so each is made once. */
  private readonly derived = new Map<string, string>();

  constructor(
    readonly location: string,
    readonly opset: number,
    reservedValueNames: Iterable<string>,
    /** Decoded bytes of initializers and Constant values, against the model's limit. */
    readonly budget: DecodeBudget,
  ) {
    // ONNX names keep their spelling in the IR; derived names must steer clear of all of them.
    for (const name of reservedValueNames) this.valueNames.add(name);
  }

  /** A node name not used yet, from `base`. */
  claimNodeName(base: string): string {
    return claim(this.nodeNames, base);
  }

  /** A value name not used yet, from `base`, for values the importer introduces. */
  claimValueName(base: string): string {
    return claim(this.valueNames, base);
  }

  define(onnxName: string, value: OnnxValue): void {
    this.values.set(onnxName, value);
  }

  /** Defines a node output computed at runtime; its IR name is its ONNX name. */
  defineRuntime(onnxName: string, layout: Layout, dims: Dims): string {
    const storedLayout: Layout = dims.length === 4 ? layout : 'plain';
    this.values.set(onnxName, { kind: 'runtime', irName: onnxName, layout: storedLayout, dims });
    return onnxName;
  }

  has(onnxName: string): boolean {
    return this.values.has(onnxName);
  }

  get(onnxName: string, node: NodeRef): OnnxValue {
    const value = this.values.get(onnxName);
    if (value === undefined) {
      throw new ModelFormatError(`${node.where}: input '${onnxName}' is neither a graph input, an initializer nor a node output.`);
    }
    return value;
  }

  /** The value of a name, or undefined when nothing defines it (no error). */
  find(onnxName: string): OnnxValue | undefined {
    return this.values.get(onnxName);
  }

  dims(onnxName: string, node: NodeRef): Dims {
    return this.get(onnxName, node).dims;
  }

  rank(onnxName: string, node: NodeRef): number {
    return this.get(onnxName, node).dims.length;
  }

  /** The constant behind an input, or undefined when it is computed at runtime. */
  constant(onnxName: string, node: NodeRef): Constant | undefined {
    const value = this.get(onnxName, node);
    return value.kind === 'runtime' ? undefined : value;
  }

  /** An integer constant input (shape, axes, pads...); runtime-computed ones are not supported. */
  intConstant(onnxName: string, node: NodeRef, role: string): readonly number[] {
    const value = this.get(onnxName, node);
    if (value.kind !== 'int') {
      throw new UnsupportedOpError(
        node.opType,
        node.name,
        `its ${role} input '${onnxName}' must be an integer constant (initializer or Constant node)` +
          (value.kind === 'runtime' ? ', but it is computed at runtime' : ', but it holds floats'),
      );
    }
    return value.data;
  }

  /** A float constant input (weights, slopes, scales); runtime-computed ones are not supported. */
  floatConstant(onnxName: string, node: NodeRef, role: string): FloatConstant {
    const value = this.get(onnxName, node);
    if (value.kind === 'int') {
      // Scales and the like are sometimes stored as integers; their values are what matter.
      return { kind: 'float', dims: value.dims, data: Float32Array.from(value.data) };
    }
    if (value.kind !== 'float') {
      throw new UnsupportedOpError(
        node.opType,
        node.name,
        `its ${role} input '${onnxName}' must be a constant (initializer or Constant node), but it is computed at runtime`,
      );
    }
    return value;
  }

  /** Registers a float constant in the IR under a fresh name derived from `base`. */
  addConstant(base: string, tensor: Tensor): string {
    const name = this.claimValueName(base);
    this.constants.set(name, tensor);
    return name;
  }

  emit(node: GraphNode): void {
    this.nodes.push(node);
  }

  /**
   * The IR name of an input stored in layout `want`: 4-D runtime values get a Transpose when
   * stored the other way, float constants are added to the IR (permuted to NHWC for `nhwc`).
   * Inputs of rank other than 4 are always plain.
   */
  use(onnxName: string, want: Layout, node: NodeRef): string {
    const value = this.get(onnxName, node);
    if (value.kind === 'int') {
      throw new UnsupportedOpError(
        node.opType,
        node.name,
        `input '${onnxName}' is an integer tensor; only float tensors flow through MotionDelta graphs`,
      );
    }
    const layout: Layout = value.dims.length === 4 ? want : 'plain';
    if (value.kind === 'float') {
      const key = `const:${onnxName}:${layout}`;
      const cached = this.derived.get(key);
      if (cached !== undefined) return cached;
      const tensor =
        layout === 'nhwc'
          ? (({ data, dims }) => ({ data, shape: dims }))(permuteData(value.data, value.dims, NCHW_TO_NHWC))
          : { data: value.data, shape: [...value.dims] };
      const name = this.addConstant(layout === 'nhwc' ? `${onnxName}/nhwc` : onnxName, tensor);
      this.derived.set(key, name);
      return name;
    }
    if (value.layout === layout) return value.irName;
    return this.transposeRuntime(value, layout);
  }

  private transposeRuntime(value: RuntimeValue, to: Layout): string {
    const key = `rt:${value.irName}:${to}`;
    const cached = this.derived.get(key);
    if (cached !== undefined) return cached;
    const suffix = to === 'nhwc' ? 'nhwc' : 'nchw';
    const output = this.claimValueName(`${value.irName}/${suffix}`);
    const perm = to === 'nhwc' ? NCHW_TO_NHWC : NHWC_TO_NCHW;
    this.emit(makeNode(this.claimNodeName(`${value.irName}/to_${suffix}`), 'Transpose', { perm }, [value.irName], [output]));
    this.derived.set(key, output);
    return output;
  }

  /**
   * An operand of a broadcasting op whose 4-D peer is stored NHWC. ONNX aligns shapes on the
   * right in NCHW order, so a lower-rank operand is first padded to 4-D with leading ones and
   * then laid out NHWC: [C,1,1] becomes [1,1,C], [W] becomes [1,W,1] (extra leading ones dropped
   * where broadcasting allows).
   */
  useBroadcastNhwc(onnxName: string, node: NodeRef): string {
    const value = this.get(onnxName, node);
    const rank = value.dims.length;
    if (rank >= 4) return this.use(onnxName, 'nhwc', node);
    if (value.kind === 'float') {
      const key = `bcast:${onnxName}`;
      const cached = this.derived.get(key);
      if (cached !== undefined) return cached;
      const padded = [...new Array<number>(4 - rank).fill(1), ...value.dims];
      const permuted = permuteData(value.data, padded, NCHW_TO_NHWC);
      const dims = permuted.dims;
      while (dims.length > rank && dims[0] === 1) dims.shift();
      const name = this.addConstant(`${onnxName}/nhwc`, { data: permuted.data, shape: dims });
      this.derived.set(key, name);
      return name;
    }
    const plain = this.use(onnxName, 'plain', node);
    const key = `bcast:${plain}`;
    const cached = this.derived.get(key);
    if (cached !== undefined) return cached;
    const axes = Array.from({ length: 4 - rank }, (_, i) => i);
    const unsqueezed = this.claimValueName(`${plain}/4d`);
    this.emit(makeNode(this.claimNodeName(`${plain}/to_4d`), 'Unsqueeze', { axes }, [plain], [unsqueezed]));
    const paddedDims = [...new Array<number>(4 - rank).fill(1), ...value.dims];
    const name = this.transposeRuntime({ kind: 'runtime', irName: unsqueezed, layout: 'plain', dims: paddedDims }, 'nhwc');
    this.derived.set(key, name);
    return name;
  }
}

function claim(taken: Set<string>, base: string): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

/** Dims of a runtime value as the IR stores it. */
export function storedDims(value: RuntimeValue): Dims {
  return value.layout === 'nhwc' ? permuteDims(value.dims, NCHW_TO_NHWC) : value.dims;
}
