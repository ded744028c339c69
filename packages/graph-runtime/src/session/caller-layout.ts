import type { Tensor, TensorMap } from '@motiondelta/core';
import type { InputView } from '../executor/validate-inputs.js';
import { NCHW_TO_NHWC, NHWC_TO_NCHW, permuteData, permuteDims } from '../import/onnx/permute.js';
import type { ValueInfo } from '../ir/graph.js';

// The caller-facing side of `layout: 'model'`: inside, MotionDelta is NHWC. Only ONNX values are
// marked `transposedFrom`, and ONNX inputs are float32 (the importer refuses others).

/** The inputs as a `layout: 'model'` caller sees them: marked ones NCHW. */
export function callerInputs(inputs: readonly ValueInfo[]): ValueInfo[] {
  return inputs.map((info) => (info.transposedFrom === 'nchw' ? { ...info, shape: permuteDims(info.shape, NHWC_TO_NCHW) } : info));
}

/** A caller's NCHW input view as the NHWC one the session runs (a transposed copy). */
export function toSessionView(view: InputView): InputView {
  const { data, dims } = permuteData(view.data as Float32Array, view.shape, NCHW_TO_NHWC);
  return { name: view.name, data, shape: Object.freeze(dims) };
}

/** Gives the outputs marked `transposedFrom: 'nchw'` back in NCHW; the others as they are. */
export function modelLayoutOutputs(outputs: readonly ValueInfo[]): (values: TensorMap) => TensorMap {
  const transposed = new Set(outputs.filter((o) => o.transposedFrom === 'nchw').map((o) => o.name));
  return (values) => {
    const out: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(values)) {
      if (!transposed.has(name) || t.shape.length !== 4) out[name] = t;
      else {
        const { data, dims } = permuteData(t.data, t.shape, NHWC_TO_NCHW);
        out[name] = { data, shape: dims };
      }
    }
    return out;
  };
}
