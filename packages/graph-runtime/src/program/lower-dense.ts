import { ProgramError, checkProgram, type DenseStep, type OpCall, type ValueId } from '@motiondelta/core';
import type { Graph } from '../ir/graph.js';
import type { ExecutionPlan } from '../shape/plan-graph.js';
import { pixelsOf, type LoweredProgram, type StepInfo } from './lowered-program.js';
import { ValueTable } from './value-table.js';

/**
 * Lowers a dense execution plan to a program with one entry (`keyframe`): one dense step per
 * node, every intermediate a frame value (a backend frees or reuses its storage after its last
 * reader). `macs[i]` is node i's multiply-accumulates.
 */
export function lowerDense(graph: Graph, plan: ExecutionPlan, macs: readonly number[]): LoweredProgram {
  const table = new ValueTable();
  for (const input of graph.inputs) table.declare(input.name, 'tensor', plan.shapes.get(input.name)!, 'input');
  const operand = (name: string, node: string): ValueId | null => {
    if (name === '') return null;
    if (table.has(name)) return table.id(name);
    const constant = graph.constants.get(name);
    if (constant) return table.declare(name, 'tensor', constant.shape, 'constant');
    // Integer constants (rare after import) are folded into attributes; kernels never read them.
    if (graph.intConstants.has(name)) return null;
    throw new ProgramError(`node '${node}' reads '${name}', which no input, constant or earlier node provides.`);
  };
  const steps: DenseStep[] = [];
  const info: StepInfo[] = [];
  plan.steps.forEach((resolved, index) => {
    const node = resolved.node;
    const inputs = node.inputs.map((name) => operand(name, node.name));
    const output = table.declare(node.outputs[0]!, 'tensor', resolved.outputShape, 'frame');
    steps.push({ kind: 'dense', node: node.name, call: { op: node.op, attrs: resolved.attrs } as OpCall, inputs, output });
    info.push({ denseMacs: macs[index]!, pixels: pixelsOf(resolved.outputShape) });
  });
  const program = {
    values: table.values,
    inputs: graph.inputs.map((i) => ({ name: i.name, value: table.id(i.name) })),
    outputs: graph.outputs.map((o) => ({ name: o.name, value: table.id(o.name) })),
    entries: { keyframe: steps },
  };
  checkProgram(program);
  return { program, info: { keyframe: info } };
}
