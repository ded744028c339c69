import { describe, expect, it } from 'vitest';
import { ProgramError, checkProgram, type Program, type Step, MotionDeltaError } from '../src/index.js';

/** x -> sparsify -> relu(accumulate-and-truncate) -> accumulate into y: the smallest delta program. */
function deltaProgram(frame: readonly Step[] = FRAME, keyframe: readonly Step[] = KEYFRAME): Program {
  return {
    values: [
      { name: 'x', kind: 'tensor', shape: [1, 2, 2, 1], lifetime: 'input' }, // 0
      { name: 'x#reference', kind: 'tensor', shape: [1, 2, 2, 1], lifetime: 'stream' }, // 1
      { name: 'x#delta', kind: 'delta', shape: [1, 2, 2, 1], lifetime: 'frame' }, // 2
      { name: 'r#accumulated', kind: 'tensor', shape: [1, 2, 2, 1], lifetime: 'stream' }, // 3
      { name: 'r#emitted', kind: 'tensor', shape: [1, 2, 2, 1], lifetime: 'stream' }, // 4
      { name: 'r#delta', kind: 'delta', shape: [1, 2, 2, 1], lifetime: 'frame' }, // 5
      { name: 'r#dense', kind: 'tensor', shape: [1, 2, 2, 1], lifetime: 'stream' }, // 6
      { name: 'r', kind: 'tensor', shape: [1, 2, 2, 1], lifetime: 'frame' }, // 7
    ],
    inputs: [{ name: 'x', value: 0 }],
    outputs: [{ name: 'r', value: 6 }],
    entries: { keyframe, frame },
  };
}
const KEYFRAME: readonly Step[] = [
  { kind: 'dense', node: 'r', call: { op: 'Activation', attrs: { activation: { kind: 'relu' } } }, inputs: [0], output: 7 },
  { kind: 'copy', node: 'x', input: 0, output: 1 },
  { kind: 'copy', node: 'r', input: 0, output: 3 },
  { kind: 'copy', node: 'r', input: 7, output: 4 },
  { kind: 'copy', node: 'r', input: 7, output: 6 },
];
const FRAME: readonly Step[] = [
  { kind: 'sparsify', node: 'x', input: 0, reference: 1, threshold: 0, output: 2 },
  { kind: 'activation', node: 'r', input: 2, activation: { kind: 'relu' }, accumulated: 3, emitted: 4, threshold: 0, output: 5 },
  { kind: 'accumulate', node: 'r', input: 5, target: 6 },
];

function refusal(program: Program): string {
  try {
    checkProgram(program);
  } catch (error) {
    expect(error).toBeInstanceOf(ProgramError);
    expect(MotionDeltaError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('checkProgram accepted a broken program');
}

describe('checkProgram', () => {
  it('accepts a well-formed delta program', () => {
    expect(() => checkProgram(deltaProgram())).not.toThrow();
  });

  it('refuses an operand of the wrong kind: a dense tensor where a delta is read', () => {
    const frame = [...FRAME];
    frame[1] = { ...(FRAME[1] as Extract<Step, { kind: 'activation' }>), input: 0 };
    expect(refusal(deltaProgram(frame))).toMatch(/frame step 1 \(activation, node 'r'\): input is 'x', a input tensor; expected delta/);
  });

  it('refuses state that does not live between frames', () => {
    const frame = [...FRAME];
    frame[0] = { ...(FRAME[0] as Extract<Step, { kind: 'sparsify' }>), reference: 7 };
    expect(refusal(deltaProgram(frame))).toMatch(/reference is 'r', a frame tensor; expected tensor of lifetime stream/);
  });

  it('refuses a frame value read before anything wrote it', () => {
    expect(refusal(deltaProgram([FRAME[1]!, FRAME[0]!, FRAME[2]!]))).toMatch(/reads 'x#delta' \(frame\) before anything wrote it/);
  });

  it('refuses state that the keyframe never initialises', () => {
    expect(refusal(deltaProgram(FRAME, [...KEYFRAME.slice(0, 3), KEYFRAME[4]!]))).toMatch(
      /frame step 1 .*reads 'r#emitted' \(stream\) before anything wrote it/,
    );
  });

  it('refuses operands that do not exist, and sizes that do not pair', () => {
    const missing = [...FRAME];
    missing[2] = { kind: 'accumulate', node: 'r', input: 5, target: 42 };
    expect(refusal(deltaProgram(missing))).toMatch(/value 42 does not exist/);
    const program = deltaProgram();
    const values = [...program.values];
    values[6] = { ...values[6]!, shape: [1, 2, 3, 1] };
    expect(refusal({ ...program, values })).toMatch(/'r' \[1,2,2,1\] and 'r#dense' \[1,2,3,1\] must have the same size/);
  });

  it('refuses a delta that lives between frames, and an output that is a delta', () => {
    const program = deltaProgram();
    const values = [...program.values];
    values[2] = { ...values[2]!, lifetime: 'stream' };
    expect(refusal({ ...program, values })).toMatch(/is a delta of lifetime 'stream'/);
    expect(refusal({ ...program, outputs: [{ name: 'r', value: 5 }] })).toMatch(/output 'r' is value 'r#delta', a delta/);
  });
});
