import { DeltaBuffer } from '@motiondelta/core';
import type { Backend, DeltaKernels, DenseKernelCall, OpCall, Tensor } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/reference-backend';

/** Overrides for a reference backend with one deliberate bug. */
export interface Sabotage {
  readonly runDense?: (call: DenseKernelCall, reference: ReferenceBackend) => Tensor;
  readonly delta?: (reference: DeltaKernels) => Partial<DeltaKernels>;
}

/** A reference backend with one kernel broken on purpose, to prove the suite notices. */
export function sabotaged(id: string, sabotage: Sabotage): Backend {
  const inner = new ReferenceBackend();
  const d = inner.delta;
  const delta: DeltaKernels = {
    sparsify: (...a) => d.sparsify(...a),
    accumulate: (...a) => d.accumulate(...a),
    linear: (...a) => d.linear(...a),
    activation: (...a) => d.activation(...a),
    binary: (...a) => d.binary(...a),
    maxPool: (...a) => d.maxPool(...a),
    ...sabotage.delta?.(d),
  };
  return {
    id,
    delta,
    supports: (call: OpCall) => inner.supports(call),
    runDense: (call) => (sabotage.runDense ? sabotage.runDense(call, inner) : inner.runDense(call)),
  };
}

/** Deactivates one pixel of a DeltaBuffer, keeping it consistent. */
export function dropPixel(out: DeltaBuffer, pixel: number): void {
  for (let i = 0; i < out.count; i++) {
    if (out.active[i] === pixel) {
      out.active[i] = out.active[out.count - 1]!;
      out.count--;
      out.mask[pixel] = 0;
      return;
    }
  }
}

/** The x coordinate of a pixel index. */
export function pixelX(out: DeltaBuffer, pixel: number): number {
  return pixel % out.shape[2];
}

/** A copy of `x` with every pixel active and the values as they are: what a dense fallback that forgot the mask reads. */
export function everyPixelActive(x: DeltaBuffer): DeltaBuffer {
  const all = new DeltaBuffer(x.shape);
  all.activateAll();
  all.values.set(x.values);
  return all;
}
