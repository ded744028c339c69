import type { Tensor, TensorMap } from '@motiondelta/core';
import type { InputView } from '../executor/validate-inputs.js';
import type { ValueInfo } from '../ir/graph.js';

type Data = Float32Array | Int32Array | Uint8Array;

/**
 * Moves a 4-D tensor between NCHW and NHWC: `toNhwc` reads [N, C, H, W] and writes [N, H, W, C];
 * otherwise the reverse. The caller-facing side of `layout: 'model'`: inside, MotionDelta is NHWC.
 */
function transpose4d<T extends Data>(data: T, shape: readonly number[], toNhwc: boolean): { data: T; shape: number[] } {
  const [n, a, b, c] = shape as [number, number, number, number];
  // toNhwc: (a, b, c) = (C, H, W); else (a, b, c) = (H, W, C).
  const [ch, h, w] = toNhwc ? [a, b, c] : [c, a, b];
  const out = new (data.constructor as new (length: number) => T)(data.length);
  const plane = h * w;
  for (let i = 0; i < n; i++) {
    const base = i * ch * plane;
    for (let k = 0; k < ch; k++) {
      for (let p = 0; p < plane; p++) {
        if (toNhwc) out[base + p * ch + k] = data[base + k * plane + p]!;
        else out[base + k * plane + p] = data[base + p * ch + k]!;
      }
    }
  }
  return { data: out, shape: toNhwc ? [n, h, w, ch] : [n, ch, h, w] };
}

/** The inputs as a `layout: 'model'` caller sees them: marked ones NCHW. */
export function callerInputs(inputs: readonly ValueInfo[]): ValueInfo[] {
  return inputs.map((info) =>
    info.transposedFrom === 'nchw' ? { ...info, shape: [info.shape[0]!, info.shape[3]!, info.shape[1]!, info.shape[2]!] } : info,
  );
}

/** A caller's NCHW input view as the NHWC one the session runs (a transposed copy). */
export function toSessionView(view: InputView): InputView {
  const { data, shape } = transpose4d(view.data, view.shape, true);
  return { name: view.name, data, shape: Object.freeze(shape) };
}

/** Gives the outputs marked `transposedFrom: 'nchw'` back in NCHW; the others as they are. */
export function modelLayoutOutputs(outputs: readonly ValueInfo[]): (values: TensorMap) => TensorMap {
  const transposed = new Set(outputs.filter((o) => o.transposedFrom === 'nchw').map((o) => o.name));
  return (values) => {
    const out: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(values))
      out[name] = transposed.has(name) && t.shape.length === 4 ? transpose4d(t.data, t.shape, false) : t;
    return out;
  };
}
