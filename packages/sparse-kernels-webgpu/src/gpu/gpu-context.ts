import type { KernelPlan } from '../kernels/kernel-plan.js';
import { dispatchSize } from '../wgsl/elementwise-entry.js';
import { deviceChecked } from './webgpu-error.js';

/** Every storage buffer here can be bound, copied from (readback) and written by the queue. */
const STORAGE_USAGE = 0x80 /* STORAGE */ | 0x04 /* COPY_SRC */ | 0x08 /* COPY_DST */ | 0x100; /* INDIRECT */
const READBACK_USAGE = 0x01 /* MAP_READ */ | 0x08; /* COPY_DST */
const MAP_READ = 0x01;

/** A compiled kernel: its pipeline and the layout its bind groups follow. */
export interface CachedPipeline {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

/** Typed arrays that go to the GPU: over a plain ArrayBuffer, as `writeBuffer` requires. */
export type GpuArray = Float32Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>;

/**
 * What every executable of a backend shares on its device: compiled pipelines (cached by their
 * WGSL source, which holds shapes and attributes only), a pool of storage buffers by size, and
 * uploaded constants (cached by the identity of the host array, so a weight used by several
 * programs is uploaded once).
 */
export class GpuContext {
  private readonly pipelines = new Map<string, CachedPipeline>();
  private readonly pool = new Map<number, GPUBuffer[]>();
  private readonly constants = new WeakMap<Float32Array, GPUBuffer>();
  private readonly constantBuffers = new Set<GPUBuffer>();
  private disposed = false;

  constructor(readonly device: GPUDevice) {}

  /** The pipeline of a plan, compiled on first use. */
  pipeline(plan: KernelPlan): CachedPipeline {
    // A kernel over nothing is never dispatched, but its bind group still needs a layout; its
    // source (sizes of 0 baked in) would not compile, so it gets an empty entry point.
    const code = plan.threads === 0 ? '@compute @workgroup_size(1) fn main() {}' : plan.code;
    const key = `${plan.inputs.length}/${plan.aux ? 1 : 0}/${plan.writes ?? 1}\n${code}`;
    const cached = this.pipelines.get(key);
    if (cached) return cached;
    const entries: GPUBindGroupLayoutEntry[] = [];
    const bindings = plan.inputs.length + (plan.aux ? 1 : 0);
    for (let b = 0; b < bindings; b++) entries.push({ binding: b, visibility: 4 /* COMPUTE */, buffer: { type: 'read-only-storage' } });
    for (let w = 0; w < (plan.writes ?? 1); w++) entries.push({ binding: bindings + w, visibility: 4, buffer: { type: 'storage' } });
    const layout = this.device.createBindGroupLayout({ entries });
    const pipeline = this.device.createComputePipeline({
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module: this.device.createShaderModule({ code }), entryPoint: 'main' },
    });
    const made = { pipeline, layout };
    this.pipelines.set(key, made);
    return made;
  }

  /**
   * Runs `work` in the device's error scopes (see deviceChecked); on an error the pipeline cache
   * is emptied, since an invalid pipeline made by `work` would otherwise be reused.
   */
  checked<T>(what: string, work: () => T | Promise<T>): Promise<T> {
    return deviceChecked(this.device, what, work, () => this.pipelines.clear());
  }

  /** How many pipelines and uploaded constants the caches hold (for reports and tests). */
  cacheSizes(): { readonly pipelines: number; readonly constants: number } {
    return { pipelines: this.pipelines.size, constants: this.constantBuffers.size };
  }

  /** A storage buffer of at least `bytes` (4 at least: WebGPU binds no empty buffer), from the pool. */
  acquire(bytes: number): GPUBuffer {
    const size = roundSize(bytes);
    const free = this.pool.get(size);
    const reused = free?.pop();
    if (reused) return reused;
    return this.device.createBuffer({ size, usage: STORAGE_USAGE });
  }

  /** Returns a buffer from {@link acquire} to the pool. */
  release(buffer: GPUBuffer): void {
    if (this.disposed) {
      buffer.destroy();
      return;
    }
    const list = this.pool.get(buffer.size) ?? [];
    list.push(buffer);
    this.pool.set(buffer.size, list);
  }

  /** A pooled buffer holding `data`. */
  upload(data: GpuArray): GPUBuffer {
    const buffer = this.acquire(data.byteLength);
    if (data.byteLength > 0) this.device.queue.writeBuffer(buffer, 0, data);
    return buffer;
  }

  /**
   * The device copy of a constant, uploaded on first use. Keyed by the array's identity: a
   * constant is read once, so later changes to the host array are not seen.
   */
  constant(data: Float32Array): GPUBuffer {
    const cached = this.constants.get(data);
    if (cached) return cached;
    const buffer = this.device.createBuffer({ size: roundSize(data.byteLength), usage: STORAGE_USAGE });
    if (data.byteLength > 0) this.device.queue.writeBuffer(buffer, 0, toGpuArray(data));
    this.constants.set(data, buffer);
    this.constantBuffers.add(buffer);
    return buffer;
  }

  /** Binds a plan's buffers once (a compiled step reuses its bind group every frame). */
  bindGroup(
    plan: KernelPlan,
    inputs: readonly GPUBuffer[],
    aux: GPUBuffer | undefined,
    output: GPUBuffer | readonly GPUBuffer[],
  ): GPUBindGroup {
    const outputs = Array.isArray(output) ? (output as readonly GPUBuffer[]) : [output as GPUBuffer];
    const buffers = aux ? [...inputs, aux, ...outputs] : [...inputs, ...outputs];
    return this.device.createBindGroup({
      layout: this.pipeline(plan).layout,
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }

  /** Records one dispatch of a plan into an open compute pass, direct or from an indirect-arguments buffer. */
  dispatch(pass: GPUComputePassEncoder, plan: KernelPlan, group: GPUBindGroup, indirect?: GPUBuffer): void {
    if (plan.threads === 0) return;
    pass.setPipeline(this.pipeline(plan).pipeline);
    pass.setBindGroup(0, group);
    if (indirect) {
      // Workgroup counts written on the device earlier in the frame (active tiles, or a gate).
      pass.dispatchWorkgroupsIndirect(indirect, 0);
      return;
    }
    const [x, y] = dispatchSize(plan.threads);
    pass.dispatchWorkgroups(x, y);
  }

  /**
   * Submits `encoder` after copying each `reads` buffer to a mappable one, then maps them all:
   * the one host read of a frame. Returns copies of the bytes, in order.
   */
  async submitAndRead(encoder: GPUCommandEncoder, reads: readonly { buffer: GPUBuffer; bytes: number }[]): Promise<ArrayBuffer[]> {
    const staging = reads.map(({ buffer, bytes }) => {
      const size = roundSize(bytes);
      const target = this.device.createBuffer({ size, usage: READBACK_USAGE });
      encoder.copyBufferToBuffer(buffer, 0, target, 0, Math.min(size, buffer.size));
      return target;
    });
    this.device.queue.submit([encoder.finish()]);
    try {
      await Promise.all(staging.map((b) => b.mapAsync(MAP_READ)));
      return staging.map((b, k) => b.getMappedRange(0, roundSize(reads[k]!.bytes)).slice(0, reads[k]!.bytes));
    } finally {
      for (const b of staging) b.destroy();
    }
  }

  /** Destroys every pooled buffer, constant and (with the device) pipeline. */
  dispose(): void {
    this.disposed = true;
    for (const list of this.pool.values()) for (const b of list) b.destroy();
    for (const b of this.constantBuffers) b.destroy();
    this.pool.clear();
    this.constantBuffers.clear();
    this.pipelines.clear();
  }
}

/** Sizes are multiples of 4 (copies need it) and at least 4 (no empty bindings). */
function roundSize(bytes: number): number {
  return Math.max(4, Math.ceil(bytes / 4) * 4);
}

/** `data` itself when it sits on a plain ArrayBuffer, else a copy that does (SharedArrayBuffer views). */
export function toGpuArray(data: Float32Array): Float32Array<ArrayBuffer> {
  return data.buffer instanceof ArrayBuffer ? (data as Float32Array<ArrayBuffer>) : new Float32Array(data);
}
