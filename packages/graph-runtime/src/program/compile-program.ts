import type { Backend, Executable, Program, StepKind, Tensor } from '@motiondelta/core';
import { HostExecutable } from './host-executable.js';

/** Step kinds the host runs through a backend's delta kernels. */
const DELTA_KINDS: ReadonlySet<StepKind> = new Set(['sparsify', 'accumulate', 'linear', 'activation', 'binary', 'maxpool']);

/** The step kinds a program uses, in first-use order. */
export function stepKindsOf(program: Program): StepKind[] {
  const kinds = new Set<StepKind>();
  for (const step of [...program.entries.keyframe, ...(program.entries.frame ?? [])]) kinds.add(step.kind);
  return [...kinds];
}

/**
 * The first of `kinds` that `backend` can run neither with its own program compiler nor on the
 * host through its kernels (dense and copy steps need only `runDense`; delta steps need its delta
 * kernels), or undefined when it can run them all.
 */
export function missingStepKind(backend: Backend, kinds: readonly StepKind[]): StepKind | undefined {
  return kinds.find((kind) => !backend.programs?.stepKinds.has(kind) && DELTA_KINDS.has(kind) && backend.delta === undefined);
}

/**
 * Compiles a program for `backend`: with the backend's own compiler when it implements every step
 * kind the program uses, otherwise on the host (step by step through the backend's kernels).
 */
export async function compileProgram(program: Program, constants: ReadonlyMap<string, Tensor>, backend: Backend): Promise<Executable> {
  const compiler = backend.programs;
  if (compiler && stepKindsOf(program).every((kind) => compiler.stepKinds.has(kind))) return compiler.compile(program, constants);
  return new HostExecutable(program, constants, backend);
}
