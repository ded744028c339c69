import { ShapeError, UnsupportedOpError, formatShape, sizeOf } from '@motiondelta/core';
import type { Program, Step, Tensor, ValueId } from '@motiondelta/core';
import { encodeDeltaStep, type DeltaEncodeContext } from './encode-delta-step.js';
import { encodeDenseStep } from './encode-dense-step.js';
import { encodeTilesStep } from './encode-tiles-step.js';
import { encodedStep } from './encoded-step.js';
import { fuseConvSteps, type FusedConv } from './fuse-conv-steps.js';
import type { EncodedProgram, EncodedStep } from './native-program-addon.js';
import { DENSE_OP_CODE, LIFETIME_CODE, STEP_KIND_CODE, VALUE_KIND_CODE } from './program-codes.js';

/**
 * Encodes a program for the addon (native/src/program_spec.h): per-value arrays of kind, lifetime
 * and shape, each constant's data (checked against its shape), and every step of both entries.
 *
 * @throws ShapeError when a constant does not match its declaration or a step does not fit its
 *   operands; UnsupportedOpError when a constant is missing; NoNativeForm for a delta step the
 *   native kernels have no form for (the compiler declines such programs first)
 */
export function encodeProgram(
  program: Program,
  constants: ReadonlyMap<string, Tensor>,
  options: { readonly fuse?: boolean } = {},
): EncodedProgram {
  const { values } = program;
  const data: (Float32Array | null)[] = values.map((v) => {
    if (v.lifetime !== 'constant') return null;
    const c = constants.get(v.name);
    if (!c) throw new UnsupportedOpError('constant', v.name, 'the program names a constant that was not given to compile()');
    if (!(c.data instanceof Float32Array) || c.data.length !== sizeOf(v.shape)) {
      throw new ShapeError(
        `constant '${v.name}' has ${c.data.length} values; the program declares it ${formatShape(v.shape)} (${sizeOf(v.shape)} values).`,
      );
    }
    return c.data;
  });
  const ctx: DeltaEncodeContext = {
    shape: (id: ValueId) => values[id]!.shape,
    constant: (id: ValueId) => data[id] ?? undefined,
    isDelta: (id: ValueId) => values[id]!.kind === 'delta',
  };
  const encodeStep = (step: Step): EncodedStep => {
    switch (step.kind) {
      case 'dense':
        return encodeDenseStep(step, ctx);
      case 'copy':
        return encodedStep(STEP_KIND_CODE.copy, 0, step.node, [step.input, step.output]);
      case 'tiles':
        return encodeTilesStep(step, ctx);
      default:
        return encodeDeltaStep(step, ctx);
    }
  };
  /** An entry's steps, convolutions fused with the elementwise steps after them where the compiler chooses to. */
  const encodeEntry = (steps: readonly Step[]): EncodedStep[] => {
    const fused = options.fuse === false ? new Map<number, FusedConv>() : fuseConvSteps(program, steps, ctx.constant);
    const absorbed = new Set([...fused.values()].flatMap((f) => f.absorbed));
    return steps.map((step, i) => {
      const f = fused.get(i);
      if (f && step.kind === 'dense') return encodeDenseStep(step, ctx, f);
      if (absorbed.has(i) && 'output' in step) return encodedStep(STEP_KIND_CODE.dense, DENSE_OP_CODE.Fused, step.node, [step.output]);
      return encodeStep(step);
    });
  };
  return {
    kinds: Int32Array.from(values, (v) => VALUE_KIND_CODE[v.kind]),
    lifetimes: Int32Array.from(values, (v) => LIFETIME_CODE[v.lifetime]),
    ranks: Int32Array.from(values, (v) => v.shape.length),
    dims: Float64Array.from(values.flatMap((v) => v.shape)),
    names: values.map((v) => v.name),
    constants: data,
    inputs: Int32Array.from(program.inputs, (p) => p.value),
    outputs: Int32Array.from(program.outputs, (p) => p.value),
    keyframe: encodeEntry(program.entries.keyframe),
    frame: program.entries.frame ? encodeEntry(program.entries.frame) : null,
  };
}
