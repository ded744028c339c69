import { BackendUnavailableError, UnsupportedOpError } from '@motiondelta/core';
import type { Backend, DeltaKernels, DenseKernelCall, OpCall, Tensor } from '@motiondelta/core';
import { createNativeDeltaKernels } from './delta/native-delta-kernels.js';
import { ConvWeightPacks } from './dense/conv-weight-packs.js';
import { hasNativeDenseKernel, runNativeDense } from './dense/run-native-dense.js';
import type { CpuFeatures, NativeAddon } from './native-addon.js';
import { NativeProgramCompiler } from './program/native-program-compiler.js';

/**
 * The native CPU backend (`cpu-native`): dense and delta kernels in a C++ addon on NHWC float32,
 * multi-threaded (its own GEMM, no BLAS library), every kernel off the event loop. Ops without a native
 * kernel (cheap shape ops) run on the injected fallback backend. Create it with
 * {@link createCpuNativeBackend}, which loads the addon and reports "not built" when it cannot.
 *
 * @example
 * ```ts
 * import { createCpuNativeBackend } from '@motiondelta/sparse-kernels-cpu';
 * import { ReferenceBackend } from '@motiondelta/reference-backend';
 * const backend = await createCpuNativeBackend({ threads: 2, fallback: new ReferenceBackend() });
 * const y = await backend.runDense({
 *   op: 'Activation', attrs: { activation: { kind: 'relu' } },
 *   inputs: [{ data: new Float32Array([-1, 2]), shape: [2] }], outputShape: [2],
 * }); // y.data = [0, 2]
 * ```
 */
export class CpuNativeBackend implements Backend {
  readonly id = 'cpu-native';
  /** The `delta` mode kernels: native where they exist, the fallback's otherwise. */
  readonly delta: DeltaKernels;
  /**
   * The program compiler: sessions hand it a whole frame's program once per input shape and then
   * run each frame as one native call on storage the addon owns (see NativeProgramCompiler).
   * Absent with the option `programs: 'host'`.
   */
  readonly programs?: NativeProgramCompiler;
  readonly #addon: NativeAddon;
  readonly #fallback: Backend | undefined;
  readonly #packs: ConvWeightPacks;
  #disposed = false;

  /** Use {@link createCpuNativeBackend}; this takes an already loaded addon. */
  constructor(
    addon: NativeAddon,
    fallback: Backend | undefined,
    options: { readonly programs?: 'native' | 'host'; readonly fuse?: boolean } = {},
  ) {
    this.#addon = addon;
    this.#fallback = fallback;
    this.#packs = new ConvWeightPacks(addon);
    this.delta = createNativeDeltaKernels(addon, fallback?.delta);
    if (options.programs !== 'host') this.programs = new NativeProgramCompiler(addon, { fuse: options.fuse ?? true });
  }

  /** Computing threads of the (process-wide) native thread pool. */
  get threads(): number {
    return this.#addon.threads();
  }

  /**
   * The instruction-set path the kernels run with (`avx2-fma` or `baseline`), chosen once when the
   * addon loaded from what the CPU supports, or lowered by MD_CPU_ISA; and the CPU's features.
   */
  get cpuFeatures(): CpuFeatures {
    return this.#addon.cpuFeatures();
  }

  /** True when the op has a native kernel, or the fallback backend supports it. */
  supports(call: OpCall): boolean {
    return hasNativeDenseKernel(call.op) || (this.#fallback?.supports(call) ?? false);
  }

  async runDense(call: DenseKernelCall): Promise<Tensor> {
    if (this.#disposed) throw new BackendUnavailableError(this.id, 'disposed; create a new backend with createCpuNativeBackend()');
    const native = runNativeDense(this.#addon, call, this.#packs);
    if (native !== undefined) return native;
    if (this.#fallback?.supports(call)) return this.#fallback.runDense(call);
    throw new UnsupportedOpError(
      call.op,
      '(cpu-native dense kernel)',
      this.#fallback
        ? `the fallback backend '${this.#fallback.id}' does not support it either`
        : 'it has no native kernel and no fallback backend was given',
    );
  }

  /**
   * Marks the backend unusable. The addon's thread pool is process-wide and shared with other
   * backends, so nothing native is released here; the injected fallback belongs to the caller.
   */
  dispose(): void {
    this.#disposed = true;
  }
}
