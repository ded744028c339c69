import type { Backend, DenseKernelCall, Tensor } from '@motiondelta/core';
import type { WorldPoint } from '@motiondelta/spherical-buffer';
import type { Graph } from '../ir/graph.js';
import { valueOrigin } from './motion-executor.js';
import type { MotionPlan } from './motion-plan.js';
import type { MotionState, WindowStore } from './motion-state.js';

/**
 * A dense keyframe in motion form: computes every value on the viewport, and for values with a
 * ring also the partial sums the viewport's inputs leave just outside it (a window op run with
 * pads grown by the ring and without its bias; the bias is then added inside the viewport only).
 * Fills every store, so the next frame can move.
 */
export async function runMotionKeyframe(
  graph: Graph,
  plan: MotionPlan,
  state: MotionState,
  backend: Backend,
  input: Tensor,
  origin: WorldPoint,
): Promise<void> {
  const values = new Map<string, Tensor>();
  const read = (name: string): Tensor | undefined => values.get(name) ?? graph.constants.get(name);
  const writeViewport = (store: WindowStore, name: string, t: Tensor): void => {
    const o = valueOrigin(plan.values.get(name)!, origin);
    store.buffer.writeRect({ y: o.y, x: o.x, height: t.shape[1]!, width: t.shape[2]! }, t);
  };
  for (const s of state.values.values()) {
    s.view?.clear();
    s.ext?.clear();
    s.store?.data.fill(0);
    s.emitted?.data.fill(0);
  }
  for (const step of plan.steps) {
    switch (step.kind) {
      case 'input': {
        values.set(step.value, input);
        writeViewport(state.get(step.value).store!, step.value, input);
        break;
      }
      case 'linear': {
        const ls = step.step;
        const st = state.get(ls.output);
        const v = st.value;
        const inputs = ls.inputs.map((i) => (i.kind === 'absent' ? undefined : read(i.value)));
        if (!step.ext) {
          // No ring: the op as dense inference runs it (a ring-free store holds exactly that).
          const t = await backend.runDense({ op: ls.op, attrs: ls.attrs, inputs, outputShape: v.shape } as DenseKernelCall);
          values.set(ls.output, t);
          if (st.store) writeViewport(st.store, ls.output, t);
          break;
        }
        // Partial sums over viewport + ring, without the bias (it belongs to viewport pixels only).
        const noBias = ls.op === 'Conv2D' ? inputs.map((t, i) => (i === 2 ? undefined : t)) : inputs;
        const ext = await backend.runDense({ op: ls.op, attrs: step.attrs, inputs: noBias, outputShape: step.extShape } as DenseKernelCall);
        const store = st.store!;
        const o = valueOrigin(v, origin);
        store.buffer.writeRect(store.windowAt(o), ext);
        if (v.bias) {
          const [, h, w, c] = v.shape;
          const bias = v.bias;
          const data = store.data;
          for (let i = 0; i < h; i++) {
            const base = store.row(o.y + i) * store.slotsW;
            for (let j = 0, col = store.col(o.x); j < w; j++, col = col + 1 === store.slotsW ? 0 : col + 1) {
              const off = (base + col) * c;
              for (let ch = 0; ch < c; ch++) data[off + ch]! += bias[ch]!;
            }
          }
        }
        values.set(ls.output, store.buffer.readRect({ y: o.y, x: o.x, height: v.shape[1], width: v.shape[2] }));
        break;
      }
      case 'activation': {
        const as = step.step;
        const st = state.get(as.output);
        const pre = read(as.input)!;
        const y = await backend.runDense({
          op: 'Activation',
          attrs: { activation: as.activation },
          inputs: [pre],
          outputShape: st.value.shape,
        });
        values.set(as.output, y);
        writeViewport(st.emitted!, as.output, y);
        if (!step.fused) writeViewport(st.store!, as.output, pre);
        break;
      }
    }
  }
}
