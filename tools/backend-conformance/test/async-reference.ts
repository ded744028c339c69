import type { Backend, DeltaKernels, DenseKernelCall, MaybePromise, OpCall, Tensor } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/reference-backend';

/** Resolves on a later macrotask, as a kernel running on another thread would. */
function later<T>(compute: () => MaybePromise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      try {
        resolve(compute());
      } catch (error) {
        reject(error);
      }
    });
  });
}

/**
 * The reference backend behind promises: every dense and delta kernel returns a promise that
 * settles on a later event-loop turn, like a native backend's, so the suite's handling of
 * asynchronous kernels (awaiting every call before reading a buffer) is exercised.
 */
export class AsyncReferenceBackend implements Backend {
  readonly id = 'async-reference';
  private readonly inner = new ReferenceBackend();
  readonly delta: DeltaKernels;

  constructor() {
    const d = this.inner.delta;
    this.delta = {
      sparsify: (...args) => later(() => d.sparsify(...args)),
      accumulate: (...args) => later(() => d.accumulate(...args)),
      linear: (...args) => later(() => d.linear(...args)),
      activation: (...args) => later(() => d.activation(...args)),
      binary: (...args) => later(() => d.binary(...args)),
      maxPool: (...args) => later(() => d.maxPool(...args)),
    };
  }

  supports(call: OpCall): boolean {
    return this.inner.supports(call);
  }

  runDense(call: DenseKernelCall): Promise<Tensor> {
    return later(() => this.inner.runDense(call));
  }
}
