import {
  BackendUnavailableError,
  DeltaBuffer,
  UnsupportedOpError,
  type Backend,
  type DeltaKernels,
  type DenseKernelCall,
  type EntryName,
  type Executable,
  type FrameResult,
  type LinearDeltaCall,
  type Program,
  type Step,
  type Tensor,
  type TensorMap,
  type ValueId,
} from '@motiondelta/core';
import { stepReads } from '@motiondelta/core';
import { runTilesStep } from '../block/run-tiles.js';

/** Where each value lives on the host. */
type Slot = { readonly kind: 'tensor'; tensor: Tensor | undefined } | { readonly kind: 'delta'; readonly buffer: DeltaBuffer };

/** Per entry, the index of the last step that reads each frame tensor (outputs: never freed). */
function lastReads(program: Program, steps: readonly Step[]): Map<ValueId, number> {
  const last = new Map<ValueId, number>();
  steps.forEach((step, index) => {
    for (const id of stepReads(step)) if (program.values[id]!.lifetime === 'frame') last.set(id, index);
  });
  for (const port of program.outputs) last.delete(port.value);
  return last;
}

/**
 * Runs programs on the host, step by step, through a backend's kernel functions (`runDense` and
 * the delta kernels): the compiler of every backend that has no program compiler of its own, and
 * so the reference semantics of each step kind. Stream values and deltas are allocated here once;
 * dense frame values are what the backend's dense kernels return, dropped after their last reader.
 *
 * A step is skipped (its `active` count -1) when nothing it reads changed this frame, which is
 * what running it would conclude too: a linear step with no active input produces no delta, a
 * dense island over unchanged accumulators recomputes what it holds, a sparsify of an unchanged
 * island output finds nothing over the threshold that it did not already find.
 */
export class HostExecutable implements Executable {
  readonly #program: Program;
  readonly #backend: Backend;
  readonly #kernels: DeltaKernels | undefined;
  readonly #slots: Slot[];
  readonly #lastReads: { readonly [E in EntryName]?: Map<ValueId, number> };
  #lastEntry: EntryName | undefined;
  #disposed = false;

  constructor(program: Program, constants: ReadonlyMap<string, Tensor>, backend: Backend) {
    this.#program = program;
    this.#backend = backend;
    this.#kernels = backend.delta;
    const usesDelta = [...program.entries.keyframe, ...(program.entries.frame ?? [])].some(
      (s) => s.kind !== 'dense' && s.kind !== 'copy' && s.kind !== 'tiles',
    );
    if (usesDelta && !this.#kernels)
      throw new UnsupportedOpError('delta steps', '(program)', `backend '${backend.id}' has no delta kernels`);
    this.#slots = program.values.map((v): Slot => {
      if (v.kind === 'delta') return { kind: 'delta', buffer: new DeltaBuffer(v.shape) };
      if (v.lifetime === 'constant') {
        const c = constants.get(v.name);
        if (!c) throw new UnsupportedOpError('constant', v.name, 'the program names a constant that was not given to compile()');
        return { kind: 'tensor', tensor: c };
      }
      if (v.lifetime === 'stream')
        return { kind: 'tensor', tensor: { data: new Float32Array(v.shape.reduce((a, b) => a * b, 1)), shape: v.shape } };
      return { kind: 'tensor', tensor: undefined };
    });
    this.#lastReads = {
      keyframe: lastReads(program, program.entries.keyframe),
      ...(program.entries.frame ? { frame: lastReads(program, program.entries.frame) } : {}),
    };
  }

  get stateBytes(): number {
    let bytes = 0;
    this.#program.values.forEach((v, id) => {
      const slot = this.#slots[id]!;
      if (slot.kind === 'delta') bytes += slot.buffer.values.byteLength + slot.buffer.mask.byteLength + slot.buffer.active.byteLength;
      else if (v.lifetime === 'stream') bytes += slot.tensor!.data.byteLength;
    });
    return bytes;
  }

  async run(entry: EntryName, inputs: Readonly<Record<string, Tensor>>): Promise<FrameResult> {
    if (this.#disposed) throw new BackendUnavailableError(this.#backend.id, 'this executable was disposed');
    const steps = entry === 'keyframe' ? this.#program.entries.keyframe : this.#program.entries.frame;
    if (!steps) throw new RangeError(`this program has no '${entry}' entry`);
    const last = this.#lastReads[entry]!;
    for (const port of this.#program.inputs) this.#tensorSlot(port.value).tensor = inputs[port.name]!;
    // What this frame changed: every input, and each value a step wrote something into.
    const changed = new Set<ValueId>(this.#program.inputs.map((p) => p.value));
    const active = new Int32Array(steps.length);
    const ms = new Float64Array(steps.length);
    this.#lastEntry = entry;
    try {
      for (let index = 0; index < steps.length; index++) {
        const step = steps[index]!;
        const t0 = performance.now();
        active[index] = await this.#runStep(step, entry === 'keyframe', changed);
        ms[index] = performance.now() - t0;
        for (const id of stepReads(step)) if (last.get(id) === index) this.#tensorSlot(id).tensor = undefined;
      }
      const outputs: TensorMap = {};
      for (const port of this.#program.outputs) {
        const t = this.#tensor(port.value);
        outputs[port.name] = { data: new Float32Array(t.data), shape: [...t.shape] };
      }
      return { outputs, active, ms };
    } finally {
      for (const port of this.#program.inputs) this.#tensorSlot(port.value).tensor = undefined;
      for (const [id, v] of this.#program.values.entries())
        if (v.lifetime === 'frame' && v.kind === 'tensor') this.#tensorSlot(id).tensor = undefined;
    }
  }

  /** A copy of the mask of step `index`'s output delta: each delta has its own buffer here, untouched until the next run. */
  updateMask(entry: EntryName, index: number): Uint8Array | undefined {
    if (entry !== this.#lastEntry) return undefined;
    const step = (entry === 'keyframe' ? this.#program.entries.keyframe : this.#program.entries.frame)?.[index];
    if (!step || !('output' in step) || this.#program.values[step.output]!.kind !== 'delta') return undefined;
    return new Uint8Array(this.#delta(step.output).mask);
  }

  dispose(): void {
    this.#disposed = true;
  }

  /** Runs one step; returns the pixels it updated, or -1 when it was skipped. */
  async #runStep(step: Step, keyframe: boolean, changed: Set<ValueId>): Promise<number> {
    const k = this.#kernels!;
    const anyActive = (ids: readonly (ValueId | null)[]): boolean =>
      ids.some((id) => id !== null && this.#program.values[id]!.kind === 'delta' && this.#delta(id).count > 0);
    switch (step.kind) {
      case 'dense': {
        if (!keyframe && !step.inputs.some((id) => id !== null && changed.has(id))) return -1;
        const inputs = step.inputs.map((id) => (id === null ? undefined : this.#tensor(id)));
        const shape = this.#program.values[step.output]!.shape;
        const result = await this.#backend.runDense({ ...step.call, inputs, outputShape: shape } as DenseKernelCall);
        this.#write(step.output, result);
        changed.add(step.output);
        return pixels(shape);
      }
      case 'tiles': {
        // Runs every frame: which blocks execute is this frame's input, not something a count tells.
        const inputs = step.inputs.map((id) => (id === null ? undefined : this.#tensor(id)));
        const updated = await runTilesStep(this.#backend, step, inputs, this.#tensor(step.blocks), this.#tensor(step.output));
        if (updated > 0) changed.add(step.output);
        return updated;
      }
      case 'copy': {
        const source = this.#tensor(step.input);
        const target = this.#tensorSlot(step.output);
        if (this.#program.values[step.output]!.lifetime === 'stream') target.tensor!.data.set(source.data);
        else target.tensor = { data: new Float32Array(source.data), shape: this.#program.values[step.output]!.shape };
        changed.add(step.output);
        return pixels(this.#program.values[step.output]!.shape);
      }
      case 'sparsify': {
        const out = this.#delta(step.output);
        if (!changed.has(step.input)) {
          out.clear();
          return -1;
        }
        await k.sparsify(this.#tensor(step.input), this.#tensor(step.reference).data, step.threshold, out);
        return out.count;
      }
      case 'accumulate': {
        const input = this.#delta(step.input);
        if (input.count === 0) return -1;
        await k.accumulate(input, this.#tensor(step.target).data);
        changed.add(step.target);
        return input.count;
      }
      case 'linear': {
        const out = this.#delta(step.output);
        if (!anyActive(step.inputs)) {
          out.clear();
          return -1;
        }
        const inputs = step.inputs.map((id) => (id === null ? undefined : this.#operand(id)));
        await k.linear({ ...step.call, inputs } as LinearDeltaCall, out);
        return out.count;
      }
      case 'activation': {
        const out = this.#delta(step.output);
        const input = this.#delta(step.input);
        if (input.count === 0) {
          out.clear();
          return -1;
        }
        const state = { accumulated: this.#tensor(step.accumulated).data, emitted: this.#tensor(step.emitted).data };
        await k.activation(input, step.activation, state, step.threshold, out);
        return out.count;
      }
      case 'maxpool': {
        const out = this.#delta(step.output);
        const input = this.#delta(step.input);
        if (input.count === 0) {
          out.clear();
          return -1;
        }
        const state = { accumulated: this.#tensor(step.accumulated).data, emitted: this.#tensor(step.emitted).data };
        await k.maxPool(input, step.attrs, state, step.threshold, out);
        return out.count;
      }
      case 'binary': {
        const out = this.#delta(step.output);
        if (!anyActive(step.inputs)) {
          out.clear();
          return -1;
        }
        const acc = step.accumulated.map((id) => (id === null ? new Float32Array(0) : this.#tensor(id).data)) as [
          Float32Array,
          Float32Array,
        ];
        const state = { accumulated: acc, emitted: this.#tensor(step.emitted).data };
        await k.binary(step.op, this.#operand(step.inputs[0]), this.#operand(step.inputs[1]), state, step.threshold, out);
        return out.count;
      }
    }
  }

  #tensorSlot(id: ValueId): Extract<Slot, { kind: 'tensor' }> {
    return this.#slots[id] as Extract<Slot, { kind: 'tensor' }>;
  }

  #tensor(id: ValueId): Tensor {
    const t = this.#tensorSlot(id).tensor;
    if (!t) throw new RangeError(`value '${this.#program.values[id]!.name}' was read before it was written`);
    return t;
  }

  #delta(id: ValueId): DeltaBuffer {
    return (this.#slots[id] as Extract<Slot, { kind: 'delta' }>).buffer;
  }

  #operand(id: ValueId): DeltaBuffer | Tensor {
    return this.#program.values[id]!.kind === 'delta' ? this.#delta(id) : this.#tensor(id);
  }

  /** A dense result: into a stream value's own storage (state keeps its arrays), or as the frame value itself. */
  #write(id: ValueId, result: Tensor): void {
    const slot = this.#tensorSlot(id);
    if (this.#program.values[id]!.lifetime === 'stream') slot.tensor!.data.set(result.data);
    else slot.tensor = result;
  }
}

function pixels(shape: readonly number[]): number {
  if (shape.length === 4) return shape[0]! * shape[1]! * shape[2]!;
  return shape.reduce((a, b) => a * b, 1);
}
