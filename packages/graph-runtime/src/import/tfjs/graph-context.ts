import { ModelFormatError, UnsupportedOpError, formatShape } from '@motiondelta/core';
import type { IntTensor, Tensor } from '@motiondelta/core';
import { AttrReader, tensorRef } from './graph-def.js';
import type { TfNode } from './graph-def.js';
import type { GraphBuilder } from './graph-builder.js';

/**
 * State of one graph-model import: which IR value each TF tensor became, and the TF constants, so
 * that converters can fold shape-like inputs (sizes, axes, paddings) into attributes.
 */
export class GraphImportContext {
  private readonly values = new Map<string, string>();
  private readonly floats = new Map<string, Tensor>();
  private readonly ints = new Map<string, IntTensor>();

  constructor(
    readonly builder: GraphBuilder,
    readonly location: string,
  ) {}

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

  /** Records that TF tensor `tfName` is IR value `irValue`. */
  define(tfName: string, irValue: string): void {
    this.values.set(tfName, irValue);
  }

  isKnown(tfName: string): boolean {
    return this.values.has(tfName) || this.ints.has(tfName);
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
    const ref = this.inputRef(node, index);
    const value = this.values.get(ref);
    if (value !== undefined) return value;
    if (this.ints.has(ref)) {
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
    if (tensor === undefined) throw new UnsupportedOpError(node.op, node.name, `its ${what} ('${ref}') must be an int32 constant`);
    return tensor;
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
