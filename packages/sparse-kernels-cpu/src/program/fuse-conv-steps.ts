import type { ActivationSpec, DenseStep, Program, Step, ValueId } from '@motiondelta/core';
import { stepReads } from '@motiondelta/core';

/**
 * A convolution with the scalar affine after it folded into its epilogue, which the kernel applies
 * to each block of output while it is in cache: `y = act(conv + bias) * mul + add`. The program
 * keeps its steps; fusion is the compiler's choice, made when it encodes them (the folded steps
 * then compute nothing and report what the fused step computed for them).
 */
export interface FusedConv {
  /** Index of the convolution in its entry. */
  readonly index: number;
  /** Indices of the steps folded into it. */
  readonly absorbed: readonly number[];
  /** The value the fused step writes: the last folded step's output. */
  readonly output: ValueId;
  /** The convolution's own activation. */
  readonly activation: ActivationSpec | undefined;
  /** The multiplier and the offset applied after the activation (from a Mul and an Add by one-value constants). */
  readonly post: { readonly mul: number | null; readonly add: number | null };
}

/** What fusion reads of the program beside its steps: constants' data. */
export type ConstantData = (id: ValueId) => Float32Array | undefined;

/**
 * Finds, in one entry, the convolutions followed by a Mul, then an Add (or Sub), by one-value
 * constants: PP-OCR's learnable affine after each hard-swish (24 per frame), whose two passes
 * over large maps this folds into the convolution's epilogue. Each folded intermediate must be a
 * frame value read by the folding step alone (never an output), so nothing else sees that it is
 * never computed. The epilogue runs the same float operations in the same order (a multiply, then
 * an add: two roundings), so the results are the unfused ones bit for bit.
 *
 * Only this pattern measured a gain (docs/BENCHMARKS.md); folding residual Adds and per-channel
 * biases (ESRGAN's and selfie's blocks) was measured too and ran no faster, so it is not done.
 */
export function fuseConvSteps(program: Program, steps: readonly Step[], constant: ConstantData): Map<number, FusedConv> {
  const { values } = program;
  const readers = new Map<ValueId, number>();
  for (const entry of [program.entries.keyframe, program.entries.frame ?? []]) {
    for (const step of entry) for (const id of stepReads(step)) readers.set(id, (readers.get(id) ?? 0) + 1);
  }
  for (const port of program.outputs) readers.set(port.value, (readers.get(port.value) ?? 0) + 1);
  const readBy = new Map<ValueId, number[]>();
  steps.forEach((s, i) => {
    for (const id of new Set(stepReads(s))) readBy.set(id, [...(readBy.get(id) ?? []), i]);
  });
  /** The dense step of this entry reading `id`, when `id` is a frame tensor it alone reads. */
  const soleReader = (id: ValueId): DenseStep | undefined => {
    const v = values[id]!;
    if (v.kind !== 'tensor' || v.lifetime !== 'frame' || readers.get(id) !== 1) return undefined;
    const r = readBy.get(id);
    const s = r?.length === 1 ? steps[r[0]!] : undefined;
    return s?.kind === 'dense' ? s : undefined;
  };
  /** The value of a one-value constant operand of `s` other than `x`, or undefined. */
  const scalarOperand = (s: DenseStep, x: ValueId): number | undefined => {
    if (s.inputs.length !== 2) return undefined;
    const other = s.inputs[0] === x ? s.inputs[1] : s.inputs[1] === x ? s.inputs[0] : undefined;
    if (other === undefined || other === null || other === x) return undefined;
    const data = constant(other);
    return data?.length === 1 ? data[0] : undefined;
  };
  const sameShape = (a: ValueId, b: ValueId): boolean => values[a]!.shape.join(',') === values[b]!.shape.join(',');

  const fused = new Map<number, FusedConv>();
  steps.forEach((step, index) => {
    if (step.kind !== 'dense' || (step.call.op !== 'Conv2D' && step.call.op !== 'ConvTranspose2D')) return;
    let out = step.output;
    let mul: number | null = null;
    let add: number | null = null;
    const absorbed: number[] = [];
    for (;;) {
      const r = soleReader(out);
      if (!r || !isPlainBinary(r) || !sameShape(r.output, out)) break;
      const k = scalarOperand(r, out);
      if (k === undefined) break;
      if (r.call.op === 'Mul' && mul === null && add === null) mul = k;
      else if (r.call.op === 'Add' && add === null) add = k;
      else if (r.call.op === 'Sub' && add === null && r.inputs[0] === out) add = -k;
      else break;
      absorbed.push(steps.indexOf(r));
      out = r.output;
    }
    if (absorbed.length > 0) fused.set(index, { index, absorbed, output: out, activation: step.call.attrs.activation, post: { mul, add } });
  });
  return fused;
}

/** An Add, Sub, Mul or Div without a fused activation. */
function isPlainBinary(s: DenseStep): boolean {
  const { call } = s;
  return (call.op === 'Add' || call.op === 'Sub' || call.op === 'Mul' || call.op === 'Div') && call.attrs.activation === undefined;
}
