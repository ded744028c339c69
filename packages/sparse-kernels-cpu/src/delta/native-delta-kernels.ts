import { DeltaBuffer, ShapeError, UnsupportedOpError, formatShape } from '@motiondelta/core';
import type {
  ActivationSpec,
  ActivationState,
  BinaryState,
  Conv2DAttrs,
  DeltaKernels,
  LinearDeltaCall,
  LinearDeltaOp,
  MaxPoolState,
  Pool2DAttrs,
  Tensor,
} from '@motiondelta/core';
import { callNative } from '../native-error.js';
import { encodeActivation } from './activation-code.js';
import { conv2dGeometry } from './conv2d-geometry.js';
import { NATIVE_DELTA_NODE, expectStateSize, requireConstant, requireDelta } from './delta-checks.js';
import { nativeBinary } from './native-binary.js';
import type { NativeDeltaAddon } from './native-delta-addon.js';
import { nativeLinear } from './native-linear.js';
import { PackedWeightCache } from './packed-weights.js';
import { poolGeometry } from './pool-geometry.js';

/**
 * Which sparse-convolution strategy Conv2D uses (native/src/delta_conv2d.h): `auto` estimates the
 * time of both per call from the active input and output counts; the others force one (tests,
 * benchmarks). Depthwise convolutions always run their direct loops.
 */
export type Conv2dPath = 'auto' | 'input-driven' | 'output-driven';

export interface NativeDeltaOptions {
  /** Default `auto`. */
  readonly conv2dPath?: Conv2dPath;
}

/**
 * Linear ops with a native delta kernel. Calls outside the native forms (Concat on another axis,
 * Pad on batch or channels, non-linear operand combinations) go to the fallback, which computes
 * or rejects them with the reference's own message.
 */
const NATIVE_LINEAR: ReadonlySet<LinearDeltaOp> = new Set<LinearDeltaOp>([
  'Conv2D',
  'ConvTranspose2D',
  'AvgPool2D',
  'GlobalAvgPool',
  'Concat',
  'Resize',
  'Pad',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'BatchNorm',
  'Identity',
]);

/** Which delta kernels run natively and which delegate to the injected fallback. */
export interface NativeDeltaCoverage {
  readonly native: readonly string[];
  readonly fallback: readonly string[];
}

const ALL_LINEAR: readonly LinearDeltaOp[] = [
  'Conv2D',
  'ConvTranspose2D',
  'AvgPool2D',
  'GlobalAvgPool',
  'Resize',
  'Pad',
  'Concat',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'BatchNorm',
  'Identity',
];

/**
 * The delta kernels that run natively and those delegated to the fallback.
 *
 * @example
 * ```ts
 * import { nativeDeltaCoverage } from '@motiondelta/sparse-kernels-cpu';
 * console.log(nativeDeltaCoverage().fallback); // [] (every kernel has a native form)
 * ```
 */
export function nativeDeltaCoverage(): NativeDeltaCoverage {
  const native = ['sparsify', 'accumulate', 'activation', 'binary', 'maxPool'];
  const fallback: string[] = [];
  for (const op of ALL_LINEAR) (NATIVE_LINEAR.has(op) ? native : fallback).push(`linear:${op}`);
  return { native, fallback };
}

const PATH_CODE: Record<Conv2dPath, number> = { auto: 0, 'input-driven': 1, 'output-driven': 2 };

/**
 * The `delta` kernel set of the native CPU backend: every kernel runs in the addon off the event
 * loop, with work proportional to the active pixels. Kernels without a native form delegate to
 * `fallback` (the reference delta kernels, injected by whoever builds the backend: kernel packages
 * never import graph-runtime); without a fallback they throw UnsupportedOpError.
 *
 * @example
 * ```ts
 * import { loadAddon, createNativeDeltaKernels, type NativeDeltaAddon } from '@motiondelta/sparse-kernels-cpu';
 * import { ReferenceBackend } from '@motiondelta/reference-backend';
 * const load = loadAddon<NativeDeltaAddon>();
 * if (load.ok) {
 *   const kernels = createNativeDeltaKernels(load.addon, new ReferenceBackend().delta);
 *   await kernels.sparsify(frame, reference, 0.05, delta);
 * }
 * ```
 */
export function createNativeDeltaKernels(
  addon: NativeDeltaAddon,
  fallback: DeltaKernels | undefined,
  options: NativeDeltaOptions = {},
): DeltaKernels {
  return new NativeDeltaKernels(addon, fallback, options);
}

class NativeDeltaKernels implements DeltaKernels {
  readonly #addon: NativeDeltaAddon;
  readonly #fallback: DeltaKernels | undefined;
  readonly #packed: PackedWeightCache;
  readonly #conv2dPath: number;

  constructor(addon: NativeDeltaAddon, fallback: DeltaKernels | undefined, options: NativeDeltaOptions) {
    this.#addon = addon;
    this.#fallback = fallback;
    this.#packed = new PackedWeightCache(addon);
    this.#conv2dPath = PATH_CODE[options.conv2dPath ?? 'auto'];
  }

  async sparsify(x: Tensor, reference: Float32Array, threshold: number, out: DeltaBuffer): Promise<void> {
    if (x.data.length !== out.values.length) {
      throw new ShapeError(
        `sparsify: input ${formatShape(x.shape)} (${x.data.length} values) does not match the output DeltaBuffer ${formatShape(out.shape)}.`,
      );
    }
    expectStateSize('sparsify', 'reference', reference, out.shape);
    out.count = await callNative('deltaSparsify', () => this.#addon.deltaSparsify(x.data, reference, threshold, out));
  }

  async accumulate(delta: DeltaBuffer, target: Float32Array): Promise<void> {
    expectStateSize('accumulate', 'target', target, delta.shape);
    if (delta.count === 0) return;
    await callNative('deltaAccumulate', () => this.#addon.deltaAccumulate(delta, target));
  }

  async activation(
    delta: DeltaBuffer,
    activation: ActivationSpec,
    state: ActivationState,
    threshold: number,
    out: DeltaBuffer,
  ): Promise<void> {
    if (out.values.length !== delta.values.length || out.pixels !== delta.pixels) {
      throw new ShapeError(
        `Activation: the output DeltaBuffer ${formatShape(out.shape)} differs from the input ${formatShape(delta.shape)}.`,
      );
    }
    expectStateSize('Activation', 'accumulated', state.accumulated, delta.shape);
    expectStateSize('Activation', 'emitted', state.emitted, delta.shape);
    const a = encodeActivation(activation);
    if (activation.kind === 'prelu' && a.slope.length !== 1 && a.slope.length !== delta.channels) {
      throw new ShapeError(
        `prelu: slope has ${a.slope.length} values but the tensor has ${delta.channels} channels; accepted: 1 value or one per channel.`,
      );
    }
    out.count = await callNative('deltaActivation', () =>
      this.#addon.deltaActivation(delta, a.code, a.a, a.b, a.slope, state.accumulated, state.emitted, threshold, out),
    );
  }

  linear(call: LinearDeltaCall, out: DeltaBuffer): Promise<void> | void {
    if (call.op === 'Conv2D') return this.#conv2d(call.attrs, call.inputs, out);
    const start = nativeLinear(this.#addon, call, out);
    if (!start) return this.#fallbackKernels(`linear ${call.op}`).linear(call, out);
    return this.#run(`delta${call.op}`, start, out);
  }

  binary(
    op: 'Add' | 'Sub' | 'Mul' | 'Div',
    a: DeltaBuffer | Tensor,
    b: DeltaBuffer | Tensor,
    state: BinaryState,
    threshold: number,
    out: DeltaBuffer,
  ): Promise<void> | void {
    return this.#run(`deltaBinary ${op}`, nativeBinary(this.#addon, op, a, b, state, threshold, out), out);
  }

  maxPool(delta: DeltaBuffer, attrs: Pool2DAttrs, state: MaxPoolState, threshold: number, out: DeltaBuffer): Promise<void> {
    const geom = poolGeometry('MaxPool2D', attrs, delta, out);
    expectStateSize('MaxPool2D', 'accumulated', state.accumulated, delta.shape);
    expectStateSize('MaxPool2D', 'emitted', state.emitted, out.shape);
    return this.#run(
      'deltaMaxPool2d',
      () => this.#addon.deltaMaxPool2d(delta, geom, state.accumulated, state.emitted, threshold, out),
      out,
    );
  }

  /** Awaits a native kernel (errors become NativeKernelError here) and stores the new count. */
  async #run(kernel: string, start: () => Promise<number>, out: DeltaBuffer): Promise<void> {
    out.count = await callNative(kernel, start);
  }

  async #conv2d(attrs: Conv2DAttrs, inputs: LinearDeltaCall['inputs'], out: DeltaBuffer): Promise<void> {
    const x = requireDelta('Conv2D', inputs, 0, 'x');
    const w = requireConstant('Conv2D', inputs, 1, 'weight');
    const g = conv2dGeometry(attrs, x, w, out);
    // Depthwise runs direct loops on the weights as they are; both GEMM paths multiply packed
    // weights (packed once per weight array, see PackedWeightCache).
    const packed = g.depthwise ? null : await this.#packed.get(w.data, g.packDims);
    out.count = await callNative('deltaConv2d', () => this.#addon.deltaConv2d(x, w.data, packed, g.geom, out, this.#conv2dPath));
  }

  #fallbackKernels(what: string): DeltaKernels {
    if (!this.#fallback) {
      throw new UnsupportedOpError(
        what,
        NATIVE_DELTA_NODE,
        'the native backend has no delta kernel for it and no fallback backend was given',
      );
    }
    return this.#fallback;
  }
}
