import type { Backend, DenseKernelCall, DenseStep, Program, ProgramCompiler, Tensor, ValueDecl } from '@motiondelta/core';
import { WEBGPU_DENSE_OPS } from '../src/index.js';

/**
 * A backend whose dense kernels are compiled programs: each call becomes a one-step program (its
 * first input a program input written at run time, the others constants uploaded at compile
 * time, then an Identity), compiled by the webgpu program compiler and run once, so that the
 * conformance suite checks every op as compiled programs run it.
 */
export function programBackend(compiler: ProgramCompiler): Backend {
  return {
    id: 'webgpu (programs)',
    supports: (call) => WEBGPU_DENSE_OPS.has(call.op),
    runDense: (call) => runAsProgram(compiler, call),
  };
}

async function runAsProgram(compiler: ProgramCompiler, call: DenseKernelCall): Promise<Tensor> {
  const values: ValueDecl[] = [];
  const constants = new Map<string, Tensor>();
  const inputs: Record<string, Tensor> = {};
  const ids = call.inputs.map((t, i) => {
    if (t === undefined) return null;
    const name = `in${i}`;
    values.push({ name, kind: 'tensor', shape: t.shape, lifetime: i === 0 ? 'input' : 'constant' });
    if (i === 0) inputs[name] = t;
    else constants.set(name, t);
    return values.length - 1;
  });
  const y0 = values.push({ name: 'y0', kind: 'tensor', shape: call.outputShape, lifetime: 'frame' }) - 1;
  const y = values.push({ name: 'y', kind: 'tensor', shape: call.outputShape, lifetime: 'frame' }) - 1;
  const { inputs: _inputs, outputShape: _shape, ...opCall } = call;
  const step = { kind: 'dense', node: 'op', call: opCall, inputs: ids, output: y0 } as DenseStep;
  const identity: DenseStep = { kind: 'dense', node: 'identity', call: { op: 'Identity', attrs: {} }, inputs: [y0], output: y };
  const first = ids[0];
  const program: Program = {
    values,
    inputs: first === null || first === undefined ? [] : [{ name: 'in0', value: first }],
    outputs: [{ name: 'y', value: y }],
    entries: { keyframe: [step, identity] },
  };
  const executable = await compiler.compile(program, constants);
  try {
    return (await executable.run('keyframe', inputs)).outputs['y']!;
  } finally {
    executable.dispose();
  }
}
