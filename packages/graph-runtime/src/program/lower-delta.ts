import { checkProgram, type OpCall, type Shape, type Step, type ValueId } from '@motiondelta/core';
import type { DeltaPlan, DeltaStep, StepInput } from '../delta/delta-plan.js';
import type { Graph } from '../ir/graph.js';
import { pixelsOf, type LoweredProgram, type StepInfo } from './lowered-program.js';
import { ValueTable } from './value-table.js';

/** Value names of the pieces of delta-mode state that belong to a plan value `v`. */
const NAMES = {
  delta: (v: string) => `${v}#delta`,
  dense: (v: string) => `${v}#dense`,
  reference: (v: string) => `${v}#reference`,
  accumulated: (v: string) => `${v}#accumulated`,
  emitted: (v: string) => `${v}#emitted`,
  operand: (v: string, i: number) => `${v}#operand${i}`,
};

/**
 * Lowers a delta plan to a program with two entries.
 *
 * - `keyframe`: the plan's steps computed densely in its own decomposition (a convolution and its
 *   activation apart), each value a frame tensor, then copies that initialise every piece of state
 *   from them: sparsify references, activations' and max pools' accumulated inputs and emitted
 *   outputs, binary ops' varying operands, dense accumulators (graph outputs, island outputs).
 * - `frame`: the delta steps, one per plan step: deltas are frame values, state is stream values
 *   updated in place, dense islands recompute their stream value from accumulated ones.
 *
 * Graph outputs are the dense accumulators in both entries (or the graph input itself, for a
 * model that passes an input through).
 */
export function lowerDelta(graph: Graph, plan: DeltaPlan, inputShapes: ReadonlyMap<string, Shape>): LoweredProgram {
  const table = new ValueTable();
  const shapes = new Map<string, Shape>(inputShapes);
  for (const step of plan.steps) shapes.set(step.output, step.outputShape);
  const shapeOf = (v: string): Shape => shapes.get(v)!;
  const inputNames = new Set(graph.inputs.map((i) => i.name));
  for (const input of graph.inputs) table.declare(input.name, 'tensor', shapeOf(input.name), 'input');

  const constant = (name: string): ValueId => table.declare(name, 'tensor', graph.constants.get(name)!.shape, 'constant');
  const stream = (name: string, shape: Shape): ValueId => table.declare(name, 'tensor', shape, 'stream');
  const delta = (v: string): ValueId => table.declare(NAMES.delta(v), 'delta', shapeOf(v), 'frame');
  /** A value's dense form on a keyframe: the graph input, a constant, or the frame tensor the pass computed. */
  const full = (v: string): ValueId =>
    inputNames.has(v) ? table.id(v) : graph.constants.has(v) ? constant(v) : table.declare(v, 'tensor', shapeOf(v), 'frame');
  /** A value's dense form on a delta frame: the graph input, a constant, or its accumulator. */
  const accumulated = (v: string): ValueId =>
    inputNames.has(v) ? table.id(v) : graph.constants.has(v) ? constant(v) : stream(NAMES.dense(v), shapeOf(v));
  const keyframeOperand = (input: StepInput): ValueId | null => (input.kind === 'absent' ? null : full(input.value));
  const frameOperand = (input: StepInput): ValueId | null =>
    input.kind === 'absent' ? null : input.kind === 'constant' ? constant(input.value) : delta(input.value);

  const keyframe: Step[] = [];
  const keyframeInfo: StepInfo[] = [];
  const frame: Step[] = [];
  const frameInfo: StepInfo[] = [];
  const init: Step[] = [];
  const copy = (node: string, input: ValueId, output: ValueId): void => {
    init.push({ kind: 'copy', node, input, output });
  };

  for (const step of plan.steps) {
    const node = step.node;
    const info: StepInfo = { denseMacs: step.denseMacs, pixels: pixelsOf(step.outputShape) };
    const dense = (call: OpCall, inputs: readonly (ValueId | null)[]): void => {
      keyframe.push({ kind: 'dense', node, call, inputs, output: full(step.output) });
      keyframeInfo.push(info);
    };
    switch (step.kind) {
      case 'sparsify': {
        const reference = stream(NAMES.reference(step.output), shapeOf(step.source));
        copy(node, full(step.source), reference);
        frame.push({
          kind: 'sparsify',
          node,
          input: accumulated(step.source),
          reference,
          threshold: step.threshold,
          output: delta(step.output),
        });
        break;
      }
      case 'densify': {
        const target = stream(NAMES.dense(step.output), step.outputShape);
        copy(node, full(step.source), target);
        frame.push({ kind: 'accumulate', node, input: delta(step.source), target });
        break;
      }
      case 'linear':
        dense({ op: step.op, attrs: step.attrs } as OpCall, step.inputs.map(keyframeOperand));
        frame.push({
          kind: 'linear',
          node,
          call: { op: step.op, attrs: step.attrs } as Extract<Step, { kind: 'linear' }>['call'],
          inputs: step.inputs.map(frameOperand),
          output: delta(step.output),
        });
        break;
      case 'binary': {
        dense({ op: step.op, attrs: {} }, step.inputs.map(keyframeOperand));
        const state = step.inputs.map((input, i) => {
          if (input.kind !== 'delta') return null;
          const s = stream(NAMES.operand(step.output, i), shapeOf(input.value));
          copy(node, full(input.value), s);
          return s;
        });
        const emitted = emittedState(step);
        frame.push({
          kind: 'binary',
          node,
          op: step.op,
          inputs: [frameOperand(step.inputs[0])!, frameOperand(step.inputs[1])!],
          accumulated: [state[0]!, state[1]!],
          emitted,
          threshold: step.threshold,
          output: delta(step.output),
        });
        break;
      }
      case 'activation':
      case 'maxpool': {
        if (step.kind === 'activation') dense({ op: 'Activation', attrs: { activation: step.activation } }, [full(step.input)]);
        else dense({ op: 'MaxPool2D', attrs: step.attrs }, [full(step.input)]);
        const acc = stream(NAMES.accumulated(step.output), shapeOf(step.input));
        copy(node, full(step.input), acc);
        const emitted = emittedState(step);
        const common = { node, input: delta(step.input), accumulated: acc, emitted, threshold: step.threshold, output: delta(step.output) };
        frame.push(
          step.kind === 'activation'
            ? { kind: 'activation', activation: step.activation, ...common }
            : { kind: 'maxpool', attrs: step.attrs, ...common },
        );
        break;
      }
      case 'island': {
        const call = { op: step.resolved.node.op, attrs: step.resolved.attrs } as OpCall;
        dense(
          call,
          step.inputs.map((name) => (name === '' ? null : full(name))),
        );
        const target = stream(NAMES.dense(step.output), step.outputShape);
        copy(node, full(step.output), target);
        frame.push({
          kind: 'dense',
          node,
          call,
          inputs: step.inputs.map((name) => (name === '' ? null : accumulated(name))),
          output: target,
        });
        break;
      }
    }
    frameInfo.push(step.kind === 'sparsify' || step.kind === 'densify' ? { denseMacs: 0, pixels: info.pixels } : info);
  }

  function emittedState(step: DeltaStep): ValueId {
    const emitted = stream(NAMES.emitted(step.output), step.outputShape);
    copy(step.node, full(step.output), emitted);
    return emitted;
  }

  for (const c of init) {
    keyframe.push(c);
    keyframeInfo.push({ denseMacs: 0, pixels: 0 });
  }
  const program = {
    values: table.values,
    inputs: graph.inputs.map((i) => ({ name: i.name, value: table.id(i.name) })),
    outputs: graph.outputs.map((o) => ({ name: o.name, value: inputNames.has(o.name) ? table.id(o.name) : table.id(NAMES.dense(o.name)) })),
    entries: { keyframe, frame },
  };
  checkProgram(program);
  return { program, info: { keyframe: keyframeInfo, frame: frameInfo } };
}
