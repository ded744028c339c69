import type { ActivationSpec, OpCall, Pool2DAttrs } from '../ops.js';
import type { LinearDeltaCall } from '../delta.js';

/**
 * Index of a value in {@link Program.values}. Steps name their operands by id; what an operand is
 * (a dense tensor, a delta, state, a constant) is its value's declaration, fixed by the lowering,
 * so a backend never has to tell operands apart at run time.
 */
export type ValueId = number;

interface StepBase {
  /** The graph node the step belongs to: statistics and update masks are reported per node. */
  readonly node: string;
}

/**
 * A dense op: every element of `output` computed from `inputs` (tensors or constants; `null` for
 * an absent optional input). Runs in keyframes and dense frames, and in delta frames as a dense
 * island over accumulated state (a backend may skip it when none of its inputs changed this
 * frame: the result would be what `output` already holds).
 */
export interface DenseStep extends StepBase {
  readonly kind: 'dense';
  readonly call: OpCall;
  readonly inputs: readonly (ValueId | null)[];
  readonly output: ValueId;
}

/** Copies a tensor into another of the same size: how a keyframe initialises state from its values. */
export interface CopyStep extends StepBase {
  readonly kind: 'copy';
  readonly input: ValueId;
  readonly output: ValueId;
}

/**
 * Input sparsification: `output` (a delta) is active where max over channels
 * |input - reference| > threshold, holding input - reference there; `reference` (state) takes
 * the input's values at those pixels only, so smaller changes wait until they add up.
 */
export interface SparsifyStep extends StepBase {
  readonly kind: 'sparsify';
  readonly input: ValueId;
  readonly reference: ValueId;
  readonly threshold: number;
  readonly output: ValueId;
}

/** Densification: `target` (state) += `input` (a delta) at its active pixels. */
export interface AccumulateStep extends StepBase {
  readonly kind: 'accumulate';
  readonly input: ValueId;
  readonly target: ValueId;
}

/**
 * A linear op on deltas (convolution family, average pooling, resize, pad, concat, add, ...): no
 * bias, output active where the op's footprint reaches an active input. `inputs` follow the op's
 * order: deltas for varying operands, constants for weights and constant operands, `null` for an
 * absent one. `call` carries the op and its attributes without a fused activation.
 */
export interface LinearStep extends StepBase {
  readonly kind: 'linear';
  readonly call: Pick<LinearDeltaCall, 'op' | 'attrs'>;
  readonly inputs: readonly (ValueId | null)[];
  readonly output: ValueId;
}

/**
 * A non-linear elementwise activation with accumulate-and-truncate: at active input pixels
 * `accumulated += input`, `y = activation(accumulated)`; emitted where max over channels
 * |y - emitted| > threshold, which then becomes `emitted`.
 */
export interface ActivationStep extends StepBase {
  readonly kind: 'activation';
  readonly input: ValueId;
  readonly activation: ActivationSpec;
  readonly accumulated: ValueId;
  readonly emitted: ValueId;
  readonly threshold: number;
  readonly output: ValueId;
}

/**
 * An elementwise op whose result is not linear in one delta (a product of two varying tensors, a
 * sum of differently broadcast ones): varying operands (deltas) are accumulated into
 * `accumulated[i]`, constant operands are read as they are; touched outputs are recomputed and
 * emitted with truncation against `emitted`.
 */
export interface BinaryStep extends StepBase {
  readonly kind: 'binary';
  readonly op: 'Add' | 'Sub' | 'Mul' | 'Div';
  readonly inputs: readonly [ValueId, ValueId];
  /** Per operand: its accumulated state, or `null` for a constant operand. */
  readonly accumulated: readonly [ValueId | null, ValueId | null];
  readonly emitted: ValueId;
  readonly threshold: number;
  readonly output: ValueId;
}

/** Max pooling on deltas: windows touched by active inputs recomputed from `accumulated`, emitted with truncation. */
export interface MaxPoolStep extends StepBase {
  readonly kind: 'maxpool';
  readonly attrs: Pool2DAttrs;
  readonly input: ValueId;
  readonly accumulated: ValueId;
  readonly emitted: ValueId;
  readonly threshold: number;
  readonly output: ValueId;
}

/** Output rows or columns `[start, end)` of one block row or column of a {@link TilesStep}. */
export type TileSpan = readonly [number, number];

/**
 * Block mode: a dense op evaluated only on the output pixels of the executed blocks, in place in
 * `output` (a persistent NHWC map); every other pixel of `output` keeps what it held. `blocks` is
 * a frame input of shape [1, rows, cols, 1] (1 = executed, 0 = copied) with `rows =
 * rowSpans.length` and `cols = colSpans.length`; the updated region is the union over executed
 * blocks (r, c) of `rowSpans[r] x colSpans[c]` (`tileRects` gives it as disjoint rectangles).
 * Each updated pixel holds exactly what the dense op gives there on the inputs as they are (for
 * persistent inputs: this frame's values where their producer executed, earlier ones elsewhere),
 * with the op's own padding only at the image border: halos come from the neighbours.
 */
export interface TilesStep extends StepBase {
  readonly kind: 'tiles';
  readonly call: OpCall;
  readonly inputs: readonly (ValueId | null)[];
  readonly blocks: ValueId;
  readonly rowSpans: readonly TileSpan[];
  readonly colSpans: readonly TileSpan[];
  readonly output: ValueId;
}

/**
 * Every step kind. Dense mode uses `dense`; delta mode `dense` and `copy` in its keyframe and the
 * delta kinds in its frames; block mode `dense` in its keyframe and `tiles` (with `dense` for
 * global ops) in its frames. Motion mode's window steps join this union as that mode moves onto
 * programs (docs/architecture/execution-contract.md).
 */
export type Step =
  DenseStep | CopyStep | SparsifyStep | AccumulateStep | LinearStep | ActivationStep | BinaryStep | MaxPoolStep | TilesStep;

export type StepKind = Step['kind'];

/** Every step kind, for tables, registries and exhaustive checks. */
export const STEP_KINDS: readonly StepKind[] = [
  'dense',
  'copy',
  'sparsify',
  'accumulate',
  'linear',
  'activation',
  'binary',
  'maxpool',
  'tiles',
];

/** The values a step reads, in a fixed order (absent optional inputs left out). */
export function stepReads(step: Step): ValueId[] {
  switch (step.kind) {
    case 'dense':
    case 'linear':
      return step.inputs.filter((v): v is ValueId => v !== null);
    case 'tiles':
      // The output is read too: the pixels outside the executed blocks are kept.
      return [...step.inputs.filter((v): v is ValueId => v !== null), step.blocks, step.output];
    case 'copy':
      return [step.input];
    case 'sparsify':
      return [step.input, step.reference];
    case 'accumulate':
      return [step.input, step.target];
    case 'activation':
      return [step.input, step.accumulated, step.emitted];
    case 'binary':
      return [...step.inputs, ...step.accumulated.filter((v): v is ValueId => v !== null), step.emitted];
    case 'maxpool':
      return [step.input, step.accumulated, step.emitted];
  }
}

/** The values a step writes: its output, and any state it updates in place. */
export function stepWrites(step: Step): ValueId[] {
  switch (step.kind) {
    case 'dense':
    case 'copy':
    case 'linear':
    case 'tiles':
      return [step.output];
    case 'sparsify':
      return [step.output, step.reference];
    case 'accumulate':
      return [step.target];
    case 'activation':
    case 'maxpool':
      return [step.output, step.accumulated, step.emitted];
    case 'binary':
      return [step.output, ...step.accumulated.filter((v): v is ValueId => v !== null), step.emitted];
  }
}
