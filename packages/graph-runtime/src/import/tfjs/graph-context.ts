import { ModelFormatError, UnsupportedOpError, formatShape } from '@motiondelta/core';
import type { IntTensor, Tensor } from '@motiondelta/core';
import { AttrReader, tensorRef } from './graph-def.js';
import type { TfNode } from './graph-def.js';
import type { GraphBuilder } from './graph-builder.js';
import type { FoldedInts } from './folded-ints.js';
import { isRuntimeDim } from './folded-ints.js';
import { ShapeProber } from './probe-shapes.js';
import type { ValueInfo } from '../../ir/graph.js';

/**
 * State of one graph-model import: which IR value each TF tensor became, and the TF constants, so
 * that converters can fold shape-like inputs (sizes, axes, paddings) into attributes.
 */
export class GraphImportContext {
  private readonly values = new Map<string, string>();
  private readonly floats = new Map<string, Tensor>();
  private readonly ints = new Map<string, IntTensor>();
  /** Int32 tensors computed from shapes, with entries only known at run time (see folded-ints.ts). */
  private readonly folded = new Map<string, FoldedInts>();
  /** Graph inputs declared int32 or uint8, by IR value: only a Cast to float may read them. */
  private readonly integerInputs = new Map<string, string>();

  /** The graph's inputs, in order, as the Placeholders are met. */
  readonly graphInputs: ValueInfo[] = [];
  /** Static shapes of the values built so far, for folding `Shape`. */
  readonly prober: ShapeProber;

  constructor(
    readonly builder: GraphBuilder,
    readonly location: string,
  ) {
    this.prober = new ShapeProber(builder, this.graphInputs);
  }

  attrs(node: TfNode): AttrReader {
    return new AttrReader(node, this.location);
  }

  defineFloatConst(name: string, tensor: Tensor): void {
    this.floats.set(name, tensor);
    this.builder.addConstant(name, tensor);
    this.values.set(name, name);
  }

  defineIntConst(name: string, tensor: IntTensor): void {
    this.ints.set(name, tensor);
  }

  /**
   * Records that graph input `name` holds integers (`dtype` as TF spells it). Sessions convert it
   * to float32 as it is copied in, which equals TF's Cast to float; any other reader would compute
   * integer arithmetic, which the IR does not have.
   */
  defineIntegerInput(name: string, dtype: string): void {
    this.integerInputs.set(name, dtype);
  }

  /** The TF dtype of the integer graph input `value` reads, or undefined for a float value. */
  integerInputDtype(value: string): string | undefined {
    return this.integerInputs.get(value);
  }

  /** Records that TF tensor `tfName` is IR value `irValue`. */
  define(tfName: string, irValue: string): void {
    this.values.set(tfName, irValue);
  }

  /**
   * Records an int32 tensor computed at import time. Fully known ones become ordinary int
   * constants; ones with run-time entries are kept apart, for the converters that can use them.
   */
  defineFoldedInts(name: string, ints: FoldedInts): void {
    if (ints.data.some(isRuntimeDim)) {
      this.folded.set(name, ints);
      return;
    }
    this.ints.set(name, { data: Int32Array.from(ints.data as number[]), shape: [...ints.shape] });
  }

  /** The int32 tensor at input `index` when it is known at import time (fully or in part). */
  foldedInts(node: TfNode, index: number): FoldedInts | undefined {
    const ref = this.inputRef(node, index);
    const known = this.ints.get(ref);
    if (known !== undefined) return { data: [...known.data], shape: [...known.shape] };
    return this.folded.get(ref);
  }

  isKnown(tfName: string): boolean {
    return this.values.has(tfName) || this.ints.has(tfName) || this.folded.has(tfName);
  }

  /** Resolves a TF tensor reference to an IR value name, or undefined when nothing produced it. */
  resolve(tfRef: string): string | undefined {
    return this.values.get(tensorRef(tfRef));
  }

  private inputRef(node: TfNode, index: number): string {
    const ref = node.inputs[index];
    if (ref === undefined) {
      throw new ModelFormatError(
        `${this.location}: node '${node.name}' (${node.op}) needs an input #${index}, it has ${node.inputs.length}.`,
      );
    }
    return tensorRef(ref);
  }

  /** The IR value feeding input `index` of `node`; int constants are not data in the IR. */
  input(node: TfNode, index: number): string {
    const value = this.inputAllowingIntegers(node, index);
    const dtype = this.integerInputs.get(value);
    if (dtype !== undefined) {
      throw new UnsupportedOpError(
        node.op,
        node.name,
        `it reads the ${dtype} graph input '${value}' as integers; an integer input is accepted when only a Cast to float reads it`,
      );
    }
    return value;
  }

  /** {@link input}, also accepting an integer graph input (for Cast, which converts it). */
  inputAllowingIntegers(node: TfNode, index: number): string {
    const ref = this.inputRef(node, index);
    const value = this.values.get(ref);
    if (value !== undefined) return value;
    if (this.ints.has(ref) || this.folded.has(ref)) {
      throw new UnsupportedOpError(node.op, node.name, `input #${index} ('${ref}') is an int32 constant where float data is expected`);
    }
    throw new ModelFormatError(`${this.location}: node '${node.name}' reads '${ref}', which no node of the graph produces.`);
  }

  /** The float constant at input `index`, or undefined when that input is computed. */
  floatConst(node: TfNode, index: number): Tensor | undefined {
    return this.floats.get(this.inputRef(node, index));
  }

  /** The float constant at input `index`; the op is unsupported when it is computed at run time. */
  requireFloatConst(node: TfNode, index: number, what: string): Tensor {
    const tensor = this.floatConst(node, index);
    if (tensor === undefined) throw new UnsupportedOpError(node.op, node.name, `its ${what} (input #${index}) must be a constant`);
    return tensor;
  }

  /** An integer constant input folded into attributes (sizes, axes, paddings, shapes). */
  intConst(node: TfNode, index: number, what: string): IntTensor {
    const ref = this.inputRef(node, index);
    const tensor = this.ints.get(ref);
    if (tensor !== undefined) return tensor;
    if (this.folded.has(ref)) {
      throw new UnsupportedOpError(
        node.op,
        node.name,
        `its ${what} ('${ref}') depends on a dimension only known at run time (a dynamic batch or image size); fix the input's size`,
      );
    }
    throw new UnsupportedOpError(node.op, node.name, `its ${what} ('${ref}') must be an int32 constant`);
  }

  /**
   * {@link intConst} where entries at `runtimeAt` may be known only at run time (read as -1): a
   * transposed convolution's output batch, for instance, which the IR does not need.
   */
  intConstWithRuntime(node: TfNode, index: number, what: string, runtimeAt: readonly number[]): IntTensor {
    const folded = this.foldedInts(node, index);
    if (folded === undefined || !folded.data.some((d, i) => isRuntimeDim(d) && runtimeAt.includes(i))) {
      return this.intConst(node, index, what);
    }
    if (folded.data.some((d, i) => isRuntimeDim(d) && !runtimeAt.includes(i))) return this.intConst(node, index, what);
    return { data: Int32Array.from(folded.data, (d) => (isRuntimeDim(d) ? -1 : d)), shape: [...folded.shape] };
  }

  /** Checks a constant's element count, naming the node and what was expected. */
  expectSize(node: TfNode, what: string, shape: readonly number[], size: number, accepted: string): void {
    const n = shape.reduce((a, b) => a * b, 1);
    if (n !== size) {
      throw new ModelFormatError(
        `${this.location}: node '${node.name}' (${node.op}) ${what} has shape ${formatShape(shape)}; expected ${accepted}.`,
      );
    }
  }
}
