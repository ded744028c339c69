import type { Backend, DenseKernelCall, DenseStep, Program, Tensor, ValueDecl } from '@motiondelta/core';
import type { CpuNativeBackend } from '../src/cpu-native-backend.js';
import { NATIVE_PROGRAM_OPS } from '../src/program/encode-dense-step.js';

/**
 * A backend whose kernels are compiled programs: each dense call becomes a small program run by
 * cpu-native's program compiler (one step, then an Identity that the storage plan turns into an
 * alias of the step's output), so that the conformance suite's cases check every op as the
 * compiled programs run it: encoded attributes, storage planning, the native step.
 *
 * The first input is a program input (copied in at run time); the others are constants (weights,
 * folded BatchNorm parameters, constant operands), as lowerings declare them.
 */
export function programBackend(native: CpuNativeBackend): Backend {
  return {
    id: 'cpu-native (programs)',
    supports: (call) => NATIVE_PROGRAM_OPS.has(call.op),
    runDense: (call) => runAsProgram(native, call),
  };
}

async function runAsProgram(native: CpuNativeBackend, call: DenseKernelCall): Promise<Tensor> {
  const values: ValueDecl[] = [];
  const constants = new Map<string, Tensor>();
  const inputs: Record<string, Tensor> = {};
  const operand = (t: Tensor | undefined, i: number): number | null => {
    if (t === undefined) return null;
    const name = `in${i}`;
    values.push({ name, kind: 'tensor', shape: t.shape, lifetime: i === 0 ? 'input' : 'constant' });
    if (i === 0) inputs[name] = t;
    else constants.set(name, t);
    return values.length - 1;
  };
  const ids = call.inputs.map(operand);
  const y0 = values.push({ name: 'y0', kind: 'tensor', shape: call.outputShape, lifetime: 'frame' }) - 1;
  const y = values.push({ name: 'y', kind: 'tensor', shape: call.outputShape, lifetime: 'frame' }) - 1;
  const { inputs: _ignored, outputShape: _shape, ...opCall } = call;
  const step = { kind: 'dense', node: 'op', call: opCall, inputs: ids, output: y0 } as DenseStep;
  const identity: DenseStep = { kind: 'dense', node: 'identity', call: { op: 'Identity', attrs: {} }, inputs: [y0], output: y };
  const program: Program = {
    values,
    inputs: ids[0] === null || ids[0] === undefined ? [] : [{ name: 'in0', value: ids[0] }],
    outputs: [{ name: 'y', value: y }],
    entries: { keyframe: [step, identity] },
  };
  if (!native.programs) throw new Error('cpu-native was created without its program compiler');
  const executable = native.programs.compile(program, constants);
  try {
    const result = await executable.run('keyframe', inputs);
    return result.outputs['y']!;
  } finally {
    executable.dispose();
  }
}
