import {
  BackendUnavailableError,
  InputError,
  formatShape,
  sizeOf,
  type EntryName,
  type Executable,
  type FrameResult,
  type Program,
  type Tensor,
  type TensorMap,
} from '@motiondelta/core';
import { toGpuArray, type GpuContext } from '../gpu/gpu-context.js';
import type { CompiledStep } from './compile-step.js';
import { releaseDeviceValues, type DeviceValue } from './device-values.js';

/**
 * A compiled program on a WebGPU device. A frame is one command buffer: the inputs written by the
 * queue, every step's dispatches in order (no host reads between them), then one readback of the
 * outputs and of the delta masks (the per-step active counts and `updateMask` come from those).
 */
export class WebGpuExecutable implements Executable {
  readonly stateBytes: number;
  private readonly masks = new Map<number, Uint8Array>();
  private lastEntry: EntryName | undefined;
  private disposed = false;

  constructor(
    private readonly ctx: GpuContext,
    private readonly program: Program,
    private readonly values: readonly DeviceValue[],
    private readonly entries: { readonly [E in EntryName]?: readonly CompiledStep[] },
  ) {
    let bytes = 0;
    program.values.forEach((v, id) => {
      const d = values[id]!;
      if (d.kind === 'delta') bytes += d.values.size + d.mask.size;
      else if (v.lifetime === 'stream') bytes += d.buffer.size;
    });
    this.stateBytes = bytes;
  }

  async run(entry: EntryName, inputs: Readonly<Record<string, Tensor>>): Promise<FrameResult> {
    if (this.disposed) throw new BackendUnavailableError('webgpu', 'this executable was disposed');
    const steps = this.entries[entry];
    if (!steps) throw new RangeError(`this program has no '${entry}' entry; it has ${Object.keys(this.entries).join(' and ')}.`);
    const { device } = this.ctx;
    // Every input checked before anything is written.
    const feeds = this.program.inputs.map((port) => {
      const t = inputs[port.name];
      const decl = this.program.values[port.value]!;
      if (t === undefined)
        throw new InputError(
          `input '${port.name}' is missing; the program takes ${this.program.inputs.map((p) => `'${p.name}'`).join(', ')}.`,
        );
      if (t.data.length !== sizeOf(decl.shape)) {
        throw new InputError(
          `input '${port.name}' holds ${t.data.length} values; the program was compiled for ${formatShape(decl.shape)} (${sizeOf(decl.shape)}).`,
        );
      }
      return { buffer: (this.values[port.value] as Extract<DeviceValue, { kind: 'tensor' }>).buffer, data: t.data };
    });
    for (const f of feeds) if (f.data.length > 0) device.queue.writeBuffer(f.buffer, 0, toGpuArray(f.data));

    const encoder = device.createCommandEncoder();
    let pass: GPUComputePassEncoder | undefined;
    for (const step of steps) {
      for (const command of step.commands) {
        if (command.kind === 'dispatch') {
          pass ??= encoder.beginComputePass();
          this.ctx.dispatch(pass, command.plan, command.group, command.indirect);
          continue;
        }
        // Copies and clears are encoder commands, between compute passes.
        pass?.end();
        pass = undefined;
        if (command.kind === 'clear') encoder.clearBuffer(command.target);
        else if (command.bytes > 0) encoder.copyBufferToBuffer(command.from, 0, command.to, 0, command.bytes);
      }
    }
    pass?.end();

    const outputs = this.program.outputs.map((port) => {
      const v = this.values[port.value] as Extract<DeviceValue, { kind: 'tensor' }>;
      return { buffer: v.buffer, bytes: v.elements * 4 };
    });
    const maskIds = [...new Set(steps.flatMap((s) => (s.deltaOutput === undefined ? [] : [s.deltaOutput])))];
    const maskReads = maskIds.map((id) => {
      const v = this.values[id] as Extract<DeviceValue, { kind: 'delta' }>;
      return { buffer: v.mask, bytes: v.pixels * 4 };
    });
    const data = await this.ctx.checked(`running the ${entry} entry`, () => this.ctx.submitAndRead(encoder, [...outputs, ...maskReads]));

    const result: TensorMap = {};
    this.program.outputs.forEach((port, k) => {
      result[port.name] = { data: new Float32Array(data[k]!), shape: [...this.program.values[port.value]!.shape] };
    });
    this.masks.clear();
    maskIds.forEach((id, k) => {
      const f = new Float32Array(data[outputs.length + k]!);
      this.masks.set(
        id,
        Uint8Array.from(f, (x) => (x > 0 ? 1 : 0)),
      );
    });
    this.lastEntry = entry;
    const active = Int32Array.from(steps, (s) => {
      if (s.deltaOutput === undefined) return s.pixels;
      let n = 0;
      for (const m of this.masks.get(s.deltaOutput)!) n += m;
      return n;
    });
    return { outputs: result, active, ms: new Float64Array(steps.length) };
  }

  updateMask(entry: EntryName, index: number): Uint8Array | undefined {
    if (entry !== this.lastEntry) return undefined;
    const step = (entry === 'keyframe' ? this.program.entries.keyframe : this.program.entries.frame)?.[index];
    if (!step || step.kind === 'accumulate' || !('output' in step)) return undefined;
    const mask = this.masks.get(step.output);
    return mask ? new Uint8Array(mask) : undefined;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    releaseDeviceValues(this.ctx, this.values);
    for (const steps of Object.values(this.entries)) for (const s of steps ?? []) for (const b of s.owned) this.ctx.release(b);
  }
}
