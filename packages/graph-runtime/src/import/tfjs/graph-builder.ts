import type { IntTensor, OpAttrs, OpName, Tensor } from '@motiondelta/core';
import { makeNode } from '../../ir/graph.js';
import type { Graph, GraphNode, GraphSource, ValueInfo } from '../../ir/graph.js';

/**
 * Collects the nodes and constants of an import. Constants are registered freely (every weight of
 * a model, every folded shape) and only those a node still reads end up in the graph.
 */
export class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly constants = new Map<string, Tensor>();
  private readonly intConstants = new Map<string, IntTensor>();
  private readonly usedNames = new Set<string>();

  /** Returns `base`, or `base_1`, `base_2`, ... when a node already has that name. */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.usedNames.has(name); i++) name = `${base}_${i}`;
    this.usedNames.add(name);
    return name;
  }

  /** How many nodes were added so far (a cache key for analyses of the partial graph). */
  get nodeCount(): number {
    return this.nodes.length;
  }

  addConstant(name: string, tensor: Tensor): string {
    this.constants.set(name, tensor);
    return name;
  }

  addIntConstant(name: string, tensor: IntTensor): string {
    this.intConstants.set(name, tensor);
    return name;
  }

  hasConstant(name: string): boolean {
    return this.constants.has(name);
  }

  getConstant(name: string): Tensor | undefined {
    return this.constants.get(name);
  }

  /** Adds a node whose single output value carries the node's (unique) name. */
  add<K extends OpName>(baseName: string, op: K, attrs: OpAttrs[K], inputs: readonly string[]): string {
    const name = this.uniqueName(baseName);
    this.nodes.push(makeNode(name, op, attrs, inputs, [name]));
    return name;
  }

  build(source: GraphSource, inputs: readonly ValueInfo[], outputs: readonly ValueInfo[]): Graph {
    const read = new Set<string>();
    for (const node of this.nodes) for (const input of node.inputs) read.add(input);
    const keep = <T>(all: Map<string, T>) => new Map([...all].filter(([name]) => read.has(name)));
    return {
      source,
      inputs,
      outputs,
      nodes: this.nodes,
      constants: keep(this.constants),
      intConstants: keep(this.intConstants),
    };
  }
}
