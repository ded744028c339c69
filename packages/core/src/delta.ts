import type { ActivationSpec, OpAttrs, OpName, Pool2DAttrs } from './ops.js';
import type { MaybePromise } from './maybe-promise.js';
import type { Shape, Tensor } from './tensor.js';

/** Arrays a {@link DeltaBuffer} may be built over (see its constructor); any longer than needed is fine. */
export interface DeltaStorage {
  readonly values: Float32Array;
  readonly mask: Uint8Array;
  readonly active: Int32Array;
}

/**
 * A sparse update of an NHWC tensor (a frame difference), in buffers that are allocated once and
 * reused every frame, so that the cost of a frame follows its active pixels.
 *
 * - `values` is laid out like the dense tensor; only active pixels hold meaningful values (every
 *   channel of an active pixel is valid; nothing else may be read).
 * - `mask` has one byte per pixel (N*H*W): 1 where the pixel is active.
 * - `active[0 .. count)` lists the active pixel indices (n*H*W + y*W + x), in no particular order.
 *
 * @example
 * ```ts
 * import { DeltaBuffer } from '@motiondelta/core';
 * const d = new DeltaBuffer([1, 4, 4, 3]);
 * d.activate(5);           // pixel (y=1, x=1): channels zeroed, ready to accumulate into
 * d.values[5 * 3] += 0.5;  // channel 0 of that pixel
 * d.clear();               // next frame: cost follows the pixels that were active
 * ```
 */
export class DeltaBuffer {
  readonly shape: readonly [number, number, number, number];
  readonly channels: number;
  readonly pixels: number;
  readonly values: Float32Array;
  readonly mask: Uint8Array;
  readonly active: Int32Array;
  count = 0;

  /**
   * `storage`, when given, backs the buffer with the leading part of existing arrays instead of
   * new ones, so that short-lived buffers of different shapes can share memory. Buffers over the
   * same storage share their mask: clear one (its mask returns to all zeros) before using another.
   *
   * @example
   * ```ts
   * import { DeltaBuffer } from '@motiondelta/core';
   * const storage = { values: new Float32Array(64 * 3), mask: new Uint8Array(64), active: new Int32Array(64) };
   * const a = new DeltaBuffer([1, 8, 8, 3], storage); // uses all of it
   * a.activate(0);
   * a.clear();                                         // mask back to zeros before b is used
   * const b = new DeltaBuffer([1, 4, 6, 2], storage); // the first 24 pixels, 48 values
   * ```
   */
  constructor(shape: Shape, storage?: DeltaStorage) {
    if (shape.length !== 4) throw new RangeError(`DeltaBuffer needs an NHWC shape, got [${shape.join(',')}].`);
    this.shape = [shape[0]!, shape[1]!, shape[2]!, shape[3]!];
    this.channels = this.shape[3];
    this.pixels = this.shape[0] * this.shape[1] * this.shape[2];
    const size = this.pixels * this.channels;
    if (storage) {
      if (storage.values.length < size || storage.mask.length < this.pixels || storage.active.length < this.pixels) {
        throw new RangeError(
          `DeltaBuffer storage holds ${storage.values.length} values and ${Math.min(storage.mask.length, storage.active.length)} pixels; ` +
            `shape [${shape.join(',')}] needs ${size} values and ${this.pixels} pixels.`,
        );
      }
      this.values = storage.values.subarray(0, size);
      this.mask = storage.mask.subarray(0, this.pixels);
      this.active = storage.active.subarray(0, this.pixels);
    } else {
      this.values = new Float32Array(size);
      this.mask = new Uint8Array(this.pixels);
      this.active = new Int32Array(this.pixels);
    }
  }

  /** Deactivates the pixels of the previous frame; costs the previous active count, not the frame. */
  clear(): void {
    const { mask, active } = this;
    for (let i = 0; i < this.count; i++) mask[active[i]!] = 0;
    this.count = 0;
  }

  /**
   * Marks a pixel active. The first time in a frame its channels are zeroed, so kernels can
   * accumulate into it; returns whether it was newly activated.
   */
  activate(pixel: number): boolean {
    if (this.mask[pixel] === 1) return false;
    this.mask[pixel] = 1;
    this.active[this.count++] = pixel;
    const c = this.channels;
    this.values.fill(0, pixel * c, pixel * c + c);
    return true;
  }

  /** Marks every pixel active with zeroed values (a full update). */
  activateAll(): void {
    this.clear();
    for (let p = 0; p < this.pixels; p++) {
      this.mask[p] = 1;
      this.active[p] = p;
    }
    this.count = this.pixels;
    this.values.fill(0);
  }

  /** Fraction of pixels active. */
  get activeFraction(): number {
    return this.pixels === 0 ? 0 : this.count / this.pixels;
  }
}

/** Ops whose delta form is linear: deltas in, deltas out, no bias after the first frame. */
export type LinearDeltaOp = Extract<
  OpName,
  | 'Conv2D'
  | 'ConvTranspose2D'
  | 'AvgPool2D'
  | 'GlobalAvgPool'
  | 'Resize'
  | 'Pad'
  | 'Concat'
  | 'Add'
  | 'Sub'
  | 'Mul'
  | 'Div'
  | 'BatchNorm'
  | 'Identity'
>;

/**
 * One linear op applied to deltas. Inputs follow the op's order: a varying input is a
 * DeltaBuffer, a constant one (weights, a constant operand) a Tensor, an absent one undefined.
 * Fused activations and biases in `attrs` are ignored (the executor handles activations, and
 * biases cancel in a difference). `Mul`/`Div` need one constant operand (the divisor for Div);
 * `Add`/`Sub` take two varying operands of the output's shape or one varying and one constant.
 * `BatchNorm` applies only its scale `scale / sqrt(variance + epsilon)`.
 */
export type LinearDeltaCall = {
  [K in LinearDeltaOp]: {
    readonly op: K;
    readonly attrs: OpAttrs[K];
    readonly inputs: readonly (DeltaBuffer | Tensor | undefined)[];
  };
}[LinearDeltaOp];

/** State of a non-linear elementwise node: accumulated pre-activation and last emitted output. */
export interface ActivationState {
  readonly accumulated: Float32Array;
  readonly emitted: Float32Array;
}

/** State of a max pooling node: accumulated input and last emitted output. */
export interface MaxPoolState {
  readonly accumulated: Float32Array;
  readonly emitted: Float32Array;
}

/** State of an elementwise op on two varying operands: both accumulated inputs and the last output. */
export interface BinaryState {
  /** Accumulated operands, in their own (broadcastable) shapes; unused for a constant operand. */
  readonly accumulated: readonly [Float32Array, Float32Array];
  readonly emitted: Float32Array;
}

/**
 * The delta kernel set a backend implements for the `delta` mode. Stateful kernels update the
 * state they are given in place; every kernel clears `out` first and fills it with the output
 * delta. Thresholds follow "truncate with residue": a change is emitted only where
 * max over channels |new - emitted| > threshold, and `emitted` moves only there, so small
 * changes are delayed until they add up, never lost.
 *
 * Kernels may return a promise (a native backend computing off the event loop); the caller awaits
 * it and touches none of the buffers involved until it settles.
 */
export interface DeltaKernels {
  /**
   * Input sparsification: active where max_c |x - reference| > threshold; the delta is
   * x - reference there, and `reference` takes x's values only at active pixels.
   */
  sparsify(x: Tensor, reference: Float32Array, threshold: number, out: DeltaBuffer): MaybePromise<void>;
  /** Densification: `target += delta` at active pixels. */
  accumulate(delta: DeltaBuffer, target: Float32Array): MaybePromise<void>;
  /** A linear op on deltas. */
  linear(call: LinearDeltaCall, out: DeltaBuffer): MaybePromise<void>;
  /** A non-linear elementwise activation with accumulate-and-truncate. */
  activation(
    delta: DeltaBuffer,
    activation: ActivationSpec,
    state: ActivationState,
    threshold: number,
    out: DeltaBuffer,
  ): MaybePromise<void>;
  /**
   * An elementwise Add/Sub/Mul/Div whose result is not a linear function of one delta: a product
   * or quotient of two varying tensors (squeeze-excite scaling, hard-swish written as x * relu6(x + 3)),
   * or a sum of varying tensors of different (broadcast) shapes. Varying operands are DeltaBuffers
   * (their deltas are added to `state.accumulated`), constant ones Tensors. Output pixels whose
   * operands changed are recomputed from the accumulated operands (all pixels when a broadcast
   * operand changed) and emitted with truncation. `outShape` is the broadcast NHWC shape.
   */
  binary(
    op: 'Add' | 'Sub' | 'Mul' | 'Div',
    a: DeltaBuffer | Tensor,
    b: DeltaBuffer | Tensor,
    state: BinaryState,
    threshold: number,
    out: DeltaBuffer,
  ): MaybePromise<void>;
  /** Max pooling: recomputes the windows touched by active inputs from the accumulated input. */
  maxPool(delta: DeltaBuffer, attrs: Pool2DAttrs, state: MaxPoolState, threshold: number, out: DeltaBuffer): MaybePromise<void>;
}
