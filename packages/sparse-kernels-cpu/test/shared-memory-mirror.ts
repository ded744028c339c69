import { DeltaBuffer } from '@motiondelta/core';
import type { Backend, DeltaKernels } from '@motiondelta/core';

/**
 * A backend that hands every array to `base` in SharedArrayBuffer memory: dense inputs, and every
 * argument of the delta kernels (DeltaBuffers in and out, states, references, constants) are
 * copied into shared memory before the call, and whatever the call wrote is copied back after
 * it. Run through the conformance suite, it shows that the native kernels read and write views of
 * a SharedArrayBuffer exactly as they do ordinary arrays.
 */
export function sharedMemoryBackend(base: Backend): Backend {
  return {
    id: `${base.id}/shared-memory`,
    supports: (call) => base.supports(call),
    runDense: async (call) => {
      const mirror = new Mirror();
      return base.runDense(mirror.map(call) as typeof call);
    },
    delta: mirrorDelta(base.delta!),
    dispose: () => base.dispose?.(),
  };
}

type TypedArray = Float32Array | Float64Array | Uint8Array | Int32Array;
type TypedArrayConstructor = Float32ArrayConstructor | Float64ArrayConstructor | Uint8ArrayConstructor | Int32ArrayConstructor;

function isTypedArray(v: unknown): v is TypedArray {
  return v instanceof Float32Array || v instanceof Float64Array || v instanceof Uint8Array || v instanceof Int32Array;
}

function sharedCopy<T extends TypedArray>(a: T): T {
  const Kind = a.constructor as TypedArrayConstructor;
  // A typed array over shared memory (the lib types only list ArrayBuffer for this constructor).
  const copy = new Kind(new SharedArrayBuffer(Math.max(a.byteLength, Kind.BYTES_PER_ELEMENT)) as unknown as ArrayBuffer).subarray(
    0,
    a.length,
  ) as T;
  copy.set(a as never);
  return copy;
}

/** Shared-memory twins of one call's arguments, and the copying back of what the call wrote. */
class Mirror {
  readonly #back: (() => void)[] = [];

  map(value: unknown): unknown {
    if (value instanceof DeltaBuffer) {
      const storage = { values: sharedCopy(value.values), mask: sharedCopy(value.mask), active: sharedCopy(value.active) };
      const twin = new DeltaBuffer(value.shape, storage);
      twin.count = value.count;
      this.#back.push(() => {
        value.values.set(twin.values);
        value.mask.set(twin.mask);
        value.active.set(twin.active);
        value.count = twin.count;
      });
      return twin;
    }
    if (isTypedArray(value)) {
      const twin = sharedCopy(value);
      this.#back.push(() => value.set(twin as never));
      return twin;
    }
    if (Array.isArray(value)) return value.map((v) => this.map(v));
    if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.map(v)]));
    }
    return value;
  }

  copyBack(): void {
    for (const back of this.#back) back();
  }
}

function mirrorDelta(kernels: DeltaKernels): DeltaKernels {
  const wrap =
    <A extends unknown[]>(run: (...args: A) => unknown) =>
    async (...args: A): Promise<void> => {
      const mirror = new Mirror();
      await run(...(args.map((a) => mirror.map(a)) as A));
      mirror.copyBack();
    };
  return {
    sparsify: wrap((x, reference, threshold, out) => kernels.sparsify(x, reference, threshold, out)),
    accumulate: wrap((delta, target) => kernels.accumulate(delta, target)),
    linear: wrap((call, out) => kernels.linear(call, out)),
    activation: wrap((delta, activation, state, threshold, out) => kernels.activation(delta, activation, state, threshold, out)),
    binary: wrap((op, a, b, state, threshold, out) => kernels.binary(op, a, b, state, threshold, out)),
    maxPool: wrap((delta, attrs, state, threshold, out) => kernels.maxPool(delta, attrs, state, threshold, out)),
  };
}
