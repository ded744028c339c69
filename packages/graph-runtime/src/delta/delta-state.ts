import { DeltaBuffer, type ActivationState, type BinaryState, type MaxPoolState, type Tensor } from '@motiondelta/core';
import type { DeltaPlan, DeltaStep, StepInput } from './delta-plan.js';

/** Per-step state, aligned with the plan's steps. */
export type StepState =
  | { readonly kind: 'none' }
  | { readonly kind: 'activation'; readonly state: ActivationState }
  | { readonly kind: 'maxpool'; readonly state: MaxPoolState }
  | { readonly kind: 'binary'; readonly state: BinaryState }
  /** Sparsify: the reference values the input is compared with. */
  | { readonly kind: 'reference'; readonly reference: Float32Array };

/**
 * Everything a delta session remembers between frames: one reusable DeltaBuffer per delta value,
 * the dense values (graph inputs, accumulators, island outputs) and the state of each step.
 * It is filled from the dense values of the first frame.
 */
export class DeltaState {
  readonly deltas = new Map<string, DeltaBuffer>();
  readonly dense = new Map<string, Tensor>();
  readonly steps: StepState[];

  /**
   * @param firstFrame dense value of every step output and graph input on the first frame,
   * keyed like the plan's values (pre-activation values included).
   */
  constructor(plan: DeltaPlan, firstFrame: ReadonlyMap<string, Tensor>, constants: ReadonlyMap<string, Tensor>) {
    const value = (name: string): Tensor => {
      const t = firstFrame.get(name) ?? constants.get(name);
      if (!t) throw new Error(`delta state: no first-frame value for '${name}'`);
      return t;
    };
    const copy = (name: string): Float32Array => new Float32Array(value(name).data);
    const operand = (input: StepInput): Float32Array =>
      input.kind === 'delta' ? copy(input.value) : new Float32Array(0);

    for (const step of plan.steps) this.#allocate(step, value);
    this.steps = plan.steps.map((step): StepState => {
      switch (step.kind) {
        case 'sparsify':
          return { kind: 'reference', reference: copy(step.source) };
        case 'activation':
          return { kind: 'activation', state: { accumulated: copy(step.input), emitted: copy(step.output) } };
        case 'maxpool':
          return { kind: 'maxpool', state: { accumulated: copy(step.input), emitted: copy(step.output) } };
        case 'binary':
          return {
            kind: 'binary',
            state: { accumulated: [operand(step.inputs[0]), operand(step.inputs[1])], emitted: copy(step.output) },
          };
        default:
          return { kind: 'none' };
      }
    });
  }

  /** Bytes held between frames (buffers, accumulators, references), for statistics. */
  get stateBytes(): number {
    let bytes = 0;
    for (const d of this.deltas.values()) bytes += d.values.byteLength + d.mask.byteLength + d.active.byteLength;
    for (const t of this.dense.values()) bytes += t.data.byteLength;
    for (const s of this.steps) {
      if (s.kind === 'reference') bytes += s.reference.byteLength;
      else if (s.kind === 'activation' || s.kind === 'maxpool') bytes += s.state.accumulated.byteLength + s.state.emitted.byteLength;
      else if (s.kind === 'binary') bytes += s.state.accumulated[0].byteLength + s.state.accumulated[1].byteLength + s.state.emitted.byteLength;
    }
    return bytes;
  }

  #allocate(step: DeltaStep, value: (name: string) => Tensor): void {
    switch (step.kind) {
      case 'densify':
      case 'island': {
        const t = value(step.output);
        this.dense.set(step.output, { data: new Float32Array(t.data), shape: t.shape });
        return;
      }
      default:
        this.deltas.set(step.output, new DeltaBuffer(step.outputShape));
    }
  }
}
