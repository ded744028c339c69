import { BackendUnavailableError, InputError, ShapeError, formatShape, sizeOf } from '@motiondelta/core';
import type { EntryName, Executable, FrameResult, Program, Tensor, TensorMap } from '@motiondelta/core';
import { callNative } from '../native-error.js';
import type { NativeProgramAddon, NativeProgramHandle } from './native-program-addon.js';

const ENTRY_CODE: Record<EntryName, number> = { keyframe: 0, frame: 1 };

/**
 * A program compiled by the addon (see NativeProgramCompiler): all of its storage is native, and
 * a frame is one asynchronous native call that copies the inputs in, runs every step of the entry
 * on a worker thread and fills fresh output arrays.
 */
export class NativeExecutable implements Executable {
  readonly #addon: NativeProgramAddon;
  readonly #handle: NativeProgramHandle;
  readonly #program: Program;
  readonly #stateBytes: number;
  /** Bytes of the buffers the program's frame values share (planned by lifetime at compile time). */
  readonly frameBytes: number;
  #lastEntry: EntryName | undefined;
  #disposed = false;

  constructor(addon: NativeProgramAddon, handle: NativeProgramHandle, program: Program) {
    this.#addon = addon;
    this.#handle = handle;
    this.#program = program;
    const info = addon.programInfo(handle);
    this.#stateBytes = info.stateBytes;
    this.frameBytes = info.frameBytes;
  }

  /** Bytes of stream values and delta buffers, as the addon allocated them. */
  get stateBytes(): number {
    return this.#stateBytes;
  }

  async run(entry: EntryName, inputs: Readonly<Record<string, Tensor>>): Promise<FrameResult> {
    if (this.#disposed) throw new BackendUnavailableError('cpu-native', 'this executable was disposed');
    const steps = entry === 'keyframe' ? this.#program.entries.keyframe : this.#program.entries.frame;
    if (!steps) throw new RangeError(`this program has no '${entry}' entry`);
    const { values } = this.#program;
    const data = this.#program.inputs.map((port) => {
      const t = inputs[port.name];
      const shape = values[port.value]!.shape;
      if (t === undefined) throw new ShapeError(`input '${port.name}' is missing; the program takes ${formatShape(shape)}.`);
      if (!(t.data instanceof Float32Array)) throw new InputError(`input '${port.name}' must hold a Float32Array.`);
      if (t.data.length !== sizeOf(shape)) {
        throw new ShapeError(
          `input '${port.name}' has ${t.data.length} values; the program takes ${formatShape(shape)} (${sizeOf(shape)}).`,
        );
      }
      return t.data;
    });
    this.#lastEntry = entry;
    const { outputs, active, ms } = await callNative('programRun', () => this.#addon.programRun(this.#handle, ENTRY_CODE[entry], data));
    const map: TensorMap = {};
    this.#program.outputs.forEach((port, i) => {
      map[port.name] = { data: outputs[i]!, shape: [...values[port.value]!.shape] };
    });
    return { outputs: map, active, ms };
  }

  /**
   * A copy of the mask of step `index`'s output delta in the last run of `entry`; undefined for
   * other steps, after dispose, and while a run is in flight.
   */
  updateMask(entry: EntryName, index: number): Uint8Array | undefined {
    if (this.#disposed || entry !== this.#lastEntry) return undefined;
    return this.#addon.programUpdateMask(this.#handle, ENTRY_CODE[entry], index) ?? undefined;
  }

  /** Frees the native storage (once the run in flight, if any, has ended); later runs throw BackendUnavailableError. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#addon.programDispose(this.#handle);
  }
}
