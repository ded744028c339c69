import type { Backend, DeltaKernels, DenseKernelCall, OpCall, ProgramCompiler, Tensor } from '@motiondelta/core';
import { createWebGpuDeltaKernels } from './delta/webgpu-delta-kernels.js';
import type { AcquiredDevice } from './device/acquire-device.js';
import { GpuContext, toGpuArray } from './gpu/gpu-context.js';
import type { ShapedCall } from './kernels/kernel-plan.js';
import { WEBGPU_DENSE_OPS, planDense } from './kernels/plan-dense.js';
import { WebGpuProgramCompiler } from './program/webgpu-program-compiler.js';

/** Inputs a kernel binds at most: WebGPU guarantees 8 storage buffers per stage (output and tables included). */
const MAX_BOUND_INPUTS = 6;

/**
 * The `webgpu` backend: dense ops as WGSL compute kernels and a compiler of whole-frame programs
 * whose storage lives on the device. Made by {@link createWebGpuBackend}.
 */
export class WebGpuBackend implements Backend {
  readonly id = 'webgpu';
  readonly programs: ProgramCompiler;
  /** The delta kernels one call at a time, for the modes still driven from the host (motion). */
  readonly delta: DeltaKernels;
  /** The adapter it runs on, and whether that is a software one. */
  readonly adapter: { readonly description: string; readonly software: boolean };
  private readonly context: GpuContext;

  constructor(acquired: AcquiredDevice) {
    this.context = new GpuContext(acquired.device);
    this.adapter = { description: acquired.description, software: acquired.software };
    this.programs = new WebGpuProgramCompiler(this.context);
    this.delta = createWebGpuDeltaKernels(this.context);
  }

  supports(call: OpCall): boolean {
    return WEBGPU_DENSE_OPS.has(call.op);
  }

  /**
   * Runs one op: uploads the inputs, dispatches, reads the output back. Sessions run whole
   * programs instead (one readback per frame); this path serves single calls and tests.
   */
  async runDense(call: DenseKernelCall): Promise<Tensor> {
    if (call.op === 'Concat' && call.inputs.length > MAX_BOUND_INPUTS) {
      // Checked here too: supports() sees no inputs.
      throw new RangeError(`webgpu: Concat of ${call.inputs.length} inputs; this backend binds at most ${MAX_BOUND_INPUTS}.`);
    }
    const shaped = { ...call, inputs: call.inputs.map((t) => t?.shape) } as ShapedCall;
    const plan = planDense(shaped);
    const ctx = this.context;
    const inputs = plan.inputs.map((k) => ctx.upload(toGpuArray(call.inputs[k]!.data)));
    const aux = plan.aux ? ctx.upload(plan.aux as Int32Array<ArrayBuffer>) : undefined;
    // Not plan.threads: some kernels run one thread per row (Softmax).
    const bytes = call.outputShape.reduce((a, b) => a * b, 1) * 4;
    const output = ctx.acquire(bytes);
    try {
      const [data] = await ctx.checked(call.op, () => {
        const encoder = ctx.device.createCommandEncoder();
        const pass = encoder.beginComputePass();
        ctx.dispatch(pass, plan, ctx.bindGroup(plan, inputs, aux, output));
        pass.end();
        return ctx.submitAndRead(encoder, [{ buffer: output, bytes }]);
      });
      return { data: new Float32Array(data!), shape: call.outputShape };
    } finally {
      for (const b of inputs) ctx.release(b);
      if (aux) ctx.release(aux);
      ctx.release(output);
    }
  }

  /**
   * Pipelines compiled and constants uploaded so far. Pipelines are keyed by WGSL that holds
   * shapes and attributes only, so running more frames, or compiling the same program again with
   * other weights, adds none; a weight array shared by programs is uploaded once.
   */
  cacheSizes(): { readonly pipelines: number; readonly constants: number } {
    return this.context.cacheSizes();
  }

  dispose(): void {
    this.context.dispose();
    this.context.device.destroy();
  }
}
