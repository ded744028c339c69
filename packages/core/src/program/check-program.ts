import { MotionDeltaError } from '../errors.js';
import { sizeOf } from '../tensor.js';
import type { EntryName, Lifetime, Program, ValueDecl, ValueKind } from './program.js';
import { stepReads, stepWrites, type Step, type TileSpan, type TilesStep, type ValueId } from './steps.js';

/**
 * A program that breaks the contract. A lowering bug rather than a user error, but typed like every
 * error MotionDelta throws on purpose, so that a hostile model that provokes one is still refused
 * cleanly.
 */
export class ProgramError extends MotionDeltaError {
  constructor(message: string) {
    super('ProgramError', message);
  }
}

type Role = { readonly kinds: readonly ValueKind[]; readonly lifetimes: readonly Lifetime[] };

const TENSOR_ANY: Role = { kinds: ['tensor'], lifetimes: ['input', 'constant', 'frame', 'stream'] };
const TENSOR_OUT: Role = { kinds: ['tensor'], lifetimes: ['frame', 'stream'] };
const STATE: Role = { kinds: ['tensor'], lifetimes: ['stream'] };
const DELTA: Role = { kinds: ['delta'], lifetimes: ['frame'] };
const DELTA_OR_CONSTANT: Role = { kinds: ['delta', 'tensor'], lifetimes: ['frame', 'constant'] };
const FRAME_INPUT: Role = { kinds: ['tensor'], lifetimes: ['input'] };

/** Each operand of a step with the role it must play. */
function operands(step: Step): [ValueId | null, Role, string][] {
  switch (step.kind) {
    case 'dense':
      return [
        ...step.inputs.map((v, i): [ValueId | null, Role, string] => [v, TENSOR_ANY, `inputs[${i}]`]),
        [step.output, TENSOR_OUT, 'output'],
      ];
    case 'copy':
      return [
        [step.input, TENSOR_ANY, 'input'],
        [step.output, TENSOR_OUT, 'output'],
      ];
    case 'tiles':
      return [
        ...step.inputs.map((v, i): [ValueId | null, Role, string] => [v, TENSOR_ANY, `inputs[${i}]`]),
        [step.blocks, FRAME_INPUT, 'blocks'],
        [step.output, STATE, 'output'],
      ];
    case 'sparsify':
      return [
        [step.input, TENSOR_ANY, 'input'],
        [step.reference, STATE, 'reference'],
        [step.output, DELTA, 'output'],
      ];
    case 'accumulate':
      return [
        [step.input, DELTA, 'input'],
        [step.target, STATE, 'target'],
      ];
    case 'linear':
      return [
        ...step.inputs.map((v, i): [ValueId | null, Role, string] => [v, DELTA_OR_CONSTANT, `inputs[${i}]`]),
        [step.output, DELTA, 'output'],
      ];
    case 'activation':
    case 'maxpool':
      return [
        [step.input, DELTA, 'input'],
        [step.accumulated, STATE, 'accumulated'],
        [step.emitted, STATE, 'emitted'],
        [step.output, DELTA, 'output'],
      ];
    case 'binary':
      return [
        [step.inputs[0], DELTA_OR_CONSTANT, 'inputs[0]'],
        [step.inputs[1], DELTA_OR_CONSTANT, 'inputs[1]'],
        [step.accumulated[0], STATE, 'accumulated[0]'],
        [step.accumulated[1], STATE, 'accumulated[1]'],
        [step.emitted, STATE, 'emitted'],
        [step.output, DELTA, 'output'],
      ];
  }
}

/** Pairs of operands that must have the same number of elements. */
function sameSize(step: Step): [ValueId, ValueId][] {
  switch (step.kind) {
    case 'copy':
      return [[step.input, step.output]];
    case 'sparsify':
      return [
        [step.input, step.reference],
        [step.input, step.output],
      ];
    case 'accumulate':
      return [[step.input, step.target]];
    case 'activation':
      return [
        [step.input, step.accumulated],
        [step.output, step.emitted],
      ];
    case 'maxpool':
      return [
        [step.input, step.accumulated],
        [step.output, step.emitted],
      ];
    case 'binary':
      return [[step.output, step.emitted]];
    default:
      return [];
  }
}

/**
 * Checks a program against the contract every backend relies on, so that a backend can compile
 * it without checks of its own: operands exist and are of the kind and lifetime their role needs
 * (a delta where a delta is read, state where state is kept), sizes agree where a step pairs two
 * values, binary steps keep state exactly for their varying operands, every frame value is
 * written before it is read within its entry, every state value a frame reads is written by the
 * keyframe, and a tiles step updates a persistent NHWC map with a block mask that fits its spans.
 *
 * @throws ProgramError naming the entry, the step and the operand
 */
export function checkProgram(program: Program): void {
  const { values } = program;
  const decl = (id: ValueId, where: string): ValueDecl => {
    const v = Number.isInteger(id) ? values[id] : undefined;
    if (!v) throw new ProgramError(`${where}: value ${id} does not exist (the program has ${values.length}).`);
    return v;
  };
  values.forEach((v, id) => {
    if (!v.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      throw new ProgramError(`value ${id} '${v.name}' has shape [${v.shape.join(',')}].`);
    if (v.kind === 'delta' && (v.lifetime !== 'frame' || v.shape.length !== 4)) {
      throw new ProgramError(
        `value ${id} '${v.name}' is a delta of lifetime '${v.lifetime}' and rank ${v.shape.length}; deltas are NHWC frame values.`,
      );
    }
  });
  for (const port of program.inputs) {
    const v = decl(port.value, `input '${port.name}'`);
    if (v.lifetime !== 'input' || v.kind !== 'tensor')
      throw new ProgramError(`input '${port.name}' is value '${v.name}', a ${v.lifetime} ${v.kind}.`);
  }
  for (const port of program.outputs) {
    const v = decl(port.value, `output '${port.name}'`);
    if (v.kind !== 'tensor') throw new ProgramError(`output '${port.name}' is value '${v.name}', a ${v.kind}; outputs are tensors.`);
  }

  const keyframeWrites = checkEntry(program, 'keyframe', program.entries.keyframe, decl, undefined);
  if (program.entries.frame) checkEntry(program, 'frame', program.entries.frame, decl, keyframeWrites);
}

/**
 * A tiles step's geometry: its output is an NHWC map, its block mask is [1, rows, cols, 1] for
 * one span per block row and column, and every span lies within the output.
 */
function checkTiles(step: TilesStep, decl: (id: ValueId, where: string) => ValueDecl, where: string): void {
  const out = decl(step.output, where);
  if (out.shape.length !== 4) throw new ProgramError(`${where}: output '${out.name}' [${out.shape.join(',')}] is not an NHWC map.`);
  const blocks = decl(step.blocks, where);
  const expected = [1, step.rowSpans.length, step.colSpans.length, 1];
  if (blocks.shape.join(',') !== expected.join(',')) {
    throw new ProgramError(
      `${where}: blocks '${blocks.name}' is [${blocks.shape.join(',')}]; ${step.rowSpans.length} row and ${step.colSpans.length} column spans need [${expected.join(',')}].`,
    );
  }
  const within = (spans: readonly TileSpan[], size: number, what: string): void => {
    spans.forEach(([a, b], i) => {
      if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && a <= b && b <= size)) {
        throw new ProgramError(`${where}: ${what} span ${i} [${a}, ${b}) is not within [0, ${size}].`);
      }
    });
  };
  within(step.rowSpans, out.shape[1]!, 'row');
  within(step.colSpans, out.shape[2]!, 'column');
}

function checkEntry(
  program: Program,
  entry: EntryName,
  steps: readonly Step[],
  decl: (id: ValueId, where: string) => ValueDecl,
  keyframeWrites: ReadonlySet<ValueId> | undefined,
): Set<ValueId> {
  const written = new Set<ValueId>(program.inputs.map((p) => p.value));
  steps.forEach((step, index) => {
    const where = `${entry} step ${index} (${step.kind}, node '${step.node}')`;
    for (const [id, role, name] of operands(step)) {
      if (id === null) continue;
      const v = decl(id, `${where}, ${name}`);
      if (!role.kinds.includes(v.kind) || !role.lifetimes.includes(v.lifetime)) {
        throw new ProgramError(
          `${where}: ${name} is '${v.name}', a ${v.lifetime} ${v.kind}; expected ${role.kinds.join(' or ')} of lifetime ${role.lifetimes.join(' or ')}.`,
        );
      }
    }
    if (step.kind === 'binary') {
      step.inputs.forEach((input, i) => {
        const varying = decl(input, where).kind === 'delta';
        if (varying !== (step.accumulated[i] !== null)) {
          throw new ProgramError(`${where}: inputs[${i}] is ${varying ? 'a delta without' : 'a constant with'} accumulated state.`);
        }
      });
    }
    if (step.kind === 'tiles') checkTiles(step, decl, where);
    for (const [a, b] of sameSize(step)) {
      const [va, vb] = [decl(a, where), decl(b, where)];
      if (sizeOf(va.shape) !== sizeOf(vb.shape)) {
        throw new ProgramError(
          `${where}: '${va.name}' [${va.shape.join(',')}] and '${vb.name}' [${vb.shape.join(',')}] must have the same size.`,
        );
      }
    }
    for (const id of stepReads(step)) {
      const v = decl(id, where);
      const ready =
        v.lifetime === 'constant' ||
        written.has(id) ||
        (v.lifetime === 'stream' && (keyframeWrites === undefined ? false : keyframeWrites.has(id)));
      if (!ready) throw new ProgramError(`${where}: reads '${v.name}' (${v.lifetime}) before anything wrote it.`);
    }
    for (const id of stepWrites(step)) written.add(id);
  });
  for (const port of program.outputs) {
    const v = decl(port.value, `output '${port.name}'`);
    if (!written.has(port.value) && !(v.lifetime === 'stream' && keyframeWrites?.has(port.value))) {
      throw new ProgramError(`${entry}: output '${port.name}' ('${v.name}') is never written.`);
    }
  }
  return written;
}
