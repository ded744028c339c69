import type { ActivationSpec, OpAttrs, Pool2DAttrs } from '@motiondelta/core';
import type { Graph, GraphNode } from '../ir/graph.js';
import type { ExecutionPlan } from '../shape/plan-graph.js';
import type { ResolvedNode } from '../shape/op-shapes.js';
import { countMacs } from '../stats/count-macs.js';
import { classifyNode } from './classify-node.js';

/** Thresholds of a delta session: one default, the input's, and overrides by node name. */
export interface DeltaThresholds {
  readonly node: number;
  readonly input: number;
  readonly perNode: Readonly<Record<string, number>>;
}

/** Where a step reads an input from: a delta value, a constant of the graph, or nothing. */
export type StepInput =
  { readonly kind: 'delta'; readonly value: string } | { readonly kind: 'constant'; readonly value: string } | { readonly kind: 'absent' };

interface StepBase {
  /** The graph node this step belongs to (statistics are reported per graph node). */
  readonly node: string;
  readonly output: string;
  readonly outputShape: readonly number[];
  /** Multiply-accumulates of this step computed densely. */
  readonly denseMacs: number;
}

/** A linear op on deltas; `attrs` have the fused activation removed (it is its own step). */
export interface LinearStep extends StepBase {
  readonly kind: 'linear';
  readonly op: GraphNode['op'];
  readonly attrs: GraphNode['attrs'];
  readonly inputs: readonly StepInput[];
}

export interface ActivationStep extends StepBase {
  readonly kind: 'activation';
  readonly input: string;
  readonly activation: ActivationSpec;
  readonly threshold: number;
}

export interface MaxPoolStep extends StepBase {
  readonly kind: 'maxpool';
  readonly input: string;
  readonly attrs: Pool2DAttrs;
  readonly threshold: number;
}

export interface BinaryStep extends StepBase {
  readonly kind: 'binary';
  readonly op: 'Add' | 'Sub' | 'Mul' | 'Div';
  readonly inputs: readonly [StepInput, StepInput];
  readonly threshold: number;
}

/** A node with no delta form, recomputed densely from accumulated inputs when they change. */
export interface IslandStep extends StepBase {
  readonly kind: 'island';
  readonly resolved: ResolvedNode;
  /** Dense value names (or constants) in the node's input order; '' for an absent input. */
  readonly inputs: readonly string[];
}

/** Turns a dense value into a delta value (graph inputs, island outputs) with truncation. */
export interface SparsifyStep extends StepBase {
  readonly kind: 'sparsify';
  readonly source: string;
  readonly threshold: number;
}

/** Keeps a dense accumulator of a delta value (for islands and graph outputs). */
export interface DensifyStep extends StepBase {
  readonly kind: 'densify';
  readonly source: string;
}

export type DeltaStep = LinearStep | ActivationStep | MaxPoolStep | BinaryStep | IslandStep | SparsifyStep | DensifyStep;

/** The delta form of an execution plan. Delta and dense values live in separate namespaces. */
export interface DeltaPlan {
  readonly steps: readonly DeltaStep[];
  /** Graph nodes that run as dense islands, with the reason and their dense MACs, for reports. */
  readonly islands: readonly DeltaIsland[];
  /** Dense MACs of the whole graph, and of the nodes that run sparsely (every node but the islands). */
  readonly macs: { readonly total: number; readonly sparse: number };
}

/** A node with no delta form, run densely over accumulated inputs. */
export interface DeltaIsland {
  readonly node: string;
  readonly reason: string;
  /** Its MACs per frame when it runs (it runs whenever an input changed). */
  readonly macs: number;
}

const PRE_ACTIVATION = '#pre';

/**
 * Rewrites a dense execution plan into delta steps: linear nodes propagate deltas, non-linear
 * ones keep accumulated state, and nodes with no delta form become dense islands with a densify
 * before and a sparsify after them where their neighbours need it.
 */
export function planDelta(graph: Graph, plan: ExecutionPlan, thresholds: DeltaThresholds): DeltaPlan {
  const steps: DeltaStep[] = [];
  const islands: DeltaIsland[] = [];
  let totalMacs = 0;
  let sparseMacs = 0;
  const deltaValues = new Set<string>();
  const denseValues = new Set<string>();
  const shapeOf = (v: string): readonly number[] => plan.shapes.get(v)!;
  const thresholdOf = (node: string): number => thresholds.perNode[node] ?? thresholds.node;
  const isConstant = (v: string): boolean => graph.constants.has(v);

  const ensureDelta = (value: string, producer: string, threshold: number): void => {
    if (deltaValues.has(value)) return;
    steps.push({ kind: 'sparsify', node: producer, source: value, output: value, outputShape: shapeOf(value), denseMacs: 0, threshold });
    deltaValues.add(value);
  };
  const ensureDense = (value: string, consumer: string): void => {
    if (denseValues.has(value) || isConstant(value)) return;
    steps.push({ kind: 'densify', node: consumer, source: value, output: value, outputShape: shapeOf(value), denseMacs: 0 });
    denseValues.add(value);
  };
  const producerOf = new Map<string, string>();

  for (const input of graph.inputs) {
    denseValues.add(input.name);
    producerOf.set(input.name, input.name);
    if (shapeOf(input.name).length === 4) {
      const threshold = thresholds.perNode[input.name] ?? thresholds.input;
      ensureDelta(input.name, input.name, threshold);
    }
  }

  for (const resolved of plan.steps) {
    const node = resolved.node;
    const output = node.outputs[0]!;
    producerOf.set(output, node.name);
    const inputShapes = node.inputs.map((n) => (n === '' ? undefined : shapeOf(n)));
    const macs = countMacs(resolved, inputShapes);
    const kind = classifyNode(resolved, inputShapes, isConstant);
    totalMacs += macs;
    if (kind.kind !== 'island') sparseMacs += macs;
    const stepInput = (name: string): StepInput => {
      if (name === '') return { kind: 'absent' };
      if (isConstant(name)) return { kind: 'constant', value: name };
      ensureDelta(name, producerOf.get(name) ?? name, thresholdOf(producerOf.get(name) ?? name));
      return { kind: 'delta', value: name };
    };
    const base = { node: node.name, outputShape: resolved.outputShape };
    const activation = 'activation' in resolved.attrs ? resolved.attrs.activation : undefined;
    const linearOutput = activation ? `${output}${PRE_ACTIVATION}` : output;

    switch (kind.kind) {
      case 'island': {
        islands.push({ node: node.name, reason: kind.reason, macs });
        for (const name of node.inputs) if (name !== '') ensureDense(name, node.name);
        steps.push({ kind: 'island', ...base, output, denseMacs: macs, resolved, inputs: node.inputs });
        denseValues.add(output);
        continue;
      }
      case 'linear': {
        const attrs = withoutActivation(resolved.attrs);
        steps.push({
          kind: 'linear',
          ...base,
          output: linearOutput,
          denseMacs: macs,
          op: node.op,
          attrs,
          inputs: node.inputs.map(stepInput),
        });
        break;
      }
      case 'binary': {
        const op = node.op as BinaryStep['op'];
        const inputs = [stepInput(node.inputs[0]!), stepInput(node.inputs[1]!)] as const;
        steps.push({ kind: 'binary', ...base, output: linearOutput, denseMacs: macs, op, inputs, threshold: thresholdOf(node.name) });
        break;
      }
      case 'maxpool': {
        const input = node.inputs[0]!;
        stepInput(input);
        steps.push({
          kind: 'maxpool',
          ...base,
          output,
          denseMacs: macs,
          input,
          attrs: resolved.attrs as OpAttrs['MaxPool2D'],
          threshold: thresholdOf(node.name),
        });
        deltaValues.add(output);
        continue;
      }
      case 'activation': {
        const input = node.inputs[0]!;
        stepInput(input);
        const spec = (resolved.attrs as OpAttrs['Activation']).activation;
        steps.push({ kind: 'activation', ...base, output, denseMacs: macs, input, activation: spec, threshold: thresholdOf(node.name) });
        deltaValues.add(output);
        continue;
      }
    }
    deltaValues.add(linearOutput);
    if (activation) {
      steps.push({
        kind: 'activation',
        ...base,
        output,
        // A fused activation is free in the dense count too: only the producer's MACs count.
        denseMacs: 0,
        input: linearOutput,
        activation,
        threshold: thresholdOf(node.name),
      });
      deltaValues.add(output);
    }
  }

  for (const out of graph.outputs) ensureDense(out.name, producerOf.get(out.name) ?? out.name);
  return { steps, islands, macs: { total: totalMacs, sparse: sparseMacs } };
}

function withoutActivation(attrs: GraphNode['attrs']): GraphNode['attrs'] {
  if (!('activation' in attrs) || attrs.activation === undefined) return attrs;
  const { activation: _dropped, ...rest } = attrs;
  return rest as GraphNode['attrs'];
}
