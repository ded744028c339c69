import { ModelFormatError } from '@motiondelta/core';
import type { GraphProto, NodeProto } from 'onnx-buf';

/** How error messages name a node: its ONNX name, or `${opType}_${index}` when it has none. */
export function nodeLabel(node: NodeProto, index: number): string {
  return `'${node.name === '' ? `${node.opType}_${index}` : node.name}' (${node.opType})`;
}

/**
 * Checks that every value name of an ONNX graph has one definition. ONNX graphs are in SSA form:
 * a value is a graph input, an initializer or the output of exactly one node. A name defined
 * twice makes the graph ambiguous (which producer does a reader see?), and importers that keep
 * the last definition silently run a different model than other runtimes; so it is a broken file.
 *
 * Initializers may also be listed as graph inputs (IR version < 4 did, as overridable defaults).
 *
 * @throws ModelFormatError naming both definitions
 */
export function checkSingleDefinitions(graph: GraphProto, location: string): void {
  const defined = new Map<string, string>();
  const define = (name: string, what: string): void => {
    const earlier = defined.get(name);
    if (earlier !== undefined) {
      throw new ModelFormatError(
        `${location}: value '${name}' is defined twice, by ${earlier} and by ${what}; ` +
          'every value of an ONNX graph must be a graph input, an initializer or the output of exactly one node.',
      );
    }
    defined.set(name, what);
  };
  const initializers = new Set<string>();
  for (const tensor of graph.initializer) {
    define(tensor.name, `initializer '${tensor.name}'`);
    initializers.add(tensor.name);
  }
  const inputs = new Set<string>();
  for (const input of graph.input) {
    if (inputs.has(input.name)) throw new ModelFormatError(`${location}: graph input '${input.name}' is listed twice.`);
    inputs.add(input.name);
    if (!initializers.has(input.name)) define(input.name, `graph input '${input.name}'`);
  }
  graph.node.forEach((node, i) => {
    for (const output of node.output) if (output !== '') define(output, `node ${nodeLabel(node, i)}`);
  });
  const outputs = new Set<string>();
  for (const output of graph.output) {
    if (outputs.has(output.name)) throw new ModelFormatError(`${location}: graph output '${output.name}' is listed twice.`);
    outputs.add(output.name);
  }
}

/**
 * Orders nodes so that each comes after the producers of its inputs (ONNX requires topological
 * order, but not every exporter delivers it). Kahn's algorithm, always taking the ready node that
 * comes first in the file: a graph already in order keeps its order, and the cost stays
 * O((nodes + edges) log nodes) however the file is shuffled.
 *
 * @param available names defined before any node runs (graph inputs and initializers)
 * @throws ModelFormatError for an input nothing defines, or a cycle
 */
export function sortNodes(nodes: readonly NodeProto[], available: ReadonlySet<string>, location: string): NodeProto[] {
  const producer = new Map<string, number>();
  nodes.forEach((node, i) => node.output.forEach((o) => o !== '' && producer.set(o, i)));
  const waitingOn = new Array<number>(nodes.length).fill(0);
  const readers = new Map<number, number[]>();
  nodes.forEach((node, i) => {
    for (const input of new Set(node.input)) {
      if (input === '' || available.has(input)) continue;
      const from = producer.get(input);
      if (from === undefined) {
        throw new ModelFormatError(
          `${location}: node ${nodeLabel(node, i)} reads '${input}', which is neither a graph input, an initializer nor a node output.`,
        );
      }
      waitingOn[i]!++;
      const list = readers.get(from);
      if (list === undefined) readers.set(from, [i]);
      else list.push(i);
    }
  });
  const ready = new MinHeap();
  waitingOn.forEach((n, i) => n === 0 && ready.push(i));
  const sorted: NodeProto[] = [];
  for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
    sorted.push(nodes[i]!);
    for (const reader of readers.get(i) ?? []) if (--waitingOn[reader]! === 0) ready.push(reader);
  }
  if (sorted.length < nodes.length) {
    const stuck = waitingOn.findIndex((n) => n > 0);
    throw new ModelFormatError(`${location}: the graph has a cycle through node ${nodeLabel(nodes[stuck]!, stuck)}.`);
  }
  return sorted;
}

/** A binary min-heap of node indices. */
class MinHeap {
  private readonly items: number[] = [];

  push(value: number): void {
    const items = this.items;
    let i = items.push(value) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]! <= value) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = value;
  }

  pop(): number | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && items[right]! < items[left]! ? right : left;
      if (items[child]! >= last) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
