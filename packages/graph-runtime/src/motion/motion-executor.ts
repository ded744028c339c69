import type { Backend, DeltaBuffer, DeltaKernels, LinearDeltaCall, Tensor } from '@motiondelta/core';
import { intersectRects, rectContains, subtractRect, type Rect, type WorldPoint } from '@motiondelta/spherical-buffer';
import type { Graph } from '../ir/graph.js';
import type { MotionPlan, MotionStep, MotionValue } from './motion-plan.js';
import type { MotionState, ValueState, WindowStore } from './motion-state.js';
import type { WarpedFrame } from './warp-frame.js';

/**
 * One propagation pass of a motion frame. A frame whose viewport moved runs two: `shrink`, in the
 * old viewport's coordinates, takes every pixel that leaves a value's viewport out of the network
 * (it emits minus what it emitted, and its slot keeps only partial sums); `grow`, in the new
 * viewport's coordinates, brings entering pixels in with their full value (bias added once) and
 * propagates the frame's content change. A frame that did not move runs `grow` alone.
 */
export type PassKind = 'shrink' | 'grow';

/** Viewport origins (input pixels) before and after the move. */
export interface PassContext {
  readonly pass: PassKind;
  readonly from: WorldPoint;
  readonly to: WorldPoint;
}

/** A value's viewport origin (its own pixels) for an input-pixel origin; exact by construction of the total stride. */
export function valueOrigin(v: MotionValue, o: WorldPoint): WorldPoint {
  return { y: (o.y * v.scaleY.den) / v.scaleY.num + 0, x: (o.x * v.scaleX.den) / v.scaleX.num + 0 };
}

function viewportRect(v: MotionValue, origin: WorldPoint): Rect {
  return { y: origin.y, x: origin.x, height: v.shape[1], width: v.shape[2] };
}

/** Per value and pass: where the viewport is, which part stays, which pixels leave or enter. */
class ValueGeometry {
  readonly cur: WorldPoint;
  readonly stay: Rect | undefined;
  /** Leaving (shrink) or entering (grow) viewport pixels, as world rectangles. */
  readonly changed: readonly Rect[];

  constructor(v: MotionValue, ctx: PassContext) {
    const from = valueOrigin(v, ctx.from);
    const to = valueOrigin(v, ctx.to);
    const oldV = viewportRect(v, from);
    const newV = viewportRect(v, to);
    this.cur = ctx.pass === 'shrink' ? from : to;
    this.stay = intersectRects(oldV, newV);
    this.changed = ctx.pass === 'shrink' ? subtractRect(oldV, newV) : subtractRect(newV, oldV);
  }

  inStay(y: number, x: number): boolean {
    return this.stay !== undefined && rectContains(this.stay, y, x);
  }
}

/** Calls `fn(y, x)` for every world pixel of `rects`. */
function eachPixel(rects: readonly Rect[], fn: (y: number, x: number) => void): void {
  for (const r of rects) for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) fn(y, x);
}

/**
 * Runs the motion plan's steps for one pass on per-frame buffers in viewport (and viewport + ring)
 * coordinates with the backend's ordinary delta kernels; only persistent state lives in wrapped
 * world-addressed stores, gathered and scattered at active pixels.
 */
export class MotionExecutor {
  readonly #graph: Graph;
  readonly #plan: MotionPlan;
  readonly #kernels: DeltaKernels;

  constructor(graph: Graph, plan: MotionPlan, backend: Backend & { readonly delta: DeltaKernels }) {
    this.#graph = graph;
    this.#plan = plan;
    this.#kernels = backend.delta;
  }

  /** Runs every step; adds the MACs done and milliseconds spent per step (aligned with `plan.steps`). */
  async runPass(state: MotionState, ctx: PassContext, frame: WarpedFrame | undefined, macs: number[], ms: number[]): Promise<void> {
    for (const [i, step] of this.#plan.steps.entries()) {
      const t0 = performance.now();
      macs[i] = (macs[i] ?? 0) + (await this.#runStep(step, state, ctx, frame));
      ms[i] = (ms[i] ?? 0) + performance.now() - t0;
      if (ctx.pass === 'grow' && step.kind !== 'input') {
        const out = state.get(step.step.output).view;
        if (out) state.updated.set(step.step.output, out.active.slice(0, out.count));
      }
    }
  }

  /** Zeroes every slot that now stands for a world position its window did not hold before. */
  resetUnveiled(state: MotionState, from: WorldPoint, to: WorldPoint): void {
    for (const { value, store } of state.stores()) {
      const before = store.windowAt(valueOrigin(value, from));
      const after = store.windowAt(valueOrigin(value, to));
      store.buffer.resetSlots(subtractRect(after, before));
    }
  }

  async #runStep(step: MotionStep, state: MotionState, ctx: PassContext, frame: WarpedFrame | undefined): Promise<number> {
    switch (step.kind) {
      case 'input':
        return this.#runInput(step, state, ctx, frame);
      case 'linear':
        return this.#runLinear(step, state, ctx);
      case 'activation':
        return this.#runActivation(step, state, ctx);
    }
  }

  async #runInput(step: Extract<MotionStep, { kind: 'input' }>, state: MotionState, ctx: PassContext, frame: WarpedFrame | undefined): Promise<number> {
    const st = state.get(step.value);
    const v = st.value;
    const store = st.store!;
    const out = st.view!;
    const g = new ValueGeometry(v, ctx);
    const [, h, w, c] = v.shape;
    if (ctx.pass === 'shrink') {
      out.clear();
      eachPixel(g.changed, (y, x) => {
        const p = (y - g.cur.y) * w + (x - g.cur.x);
        const off = store.at(y, x);
        out.activate(p);
        for (let ch = 0; ch < c; ch++) out.values[p * c + ch] = -store.data[off + ch]!;
      });
      return 0;
    }
    if (!frame) throw new Error('motion: the grow pass needs the warped frame');
    // Pixels the frame does not cover keep the canvas value (their reference): no update there.
    const x1 = state.scratch.array(h * w * c, 0);
    const ref = state.scratch.array(h * w * c, 1);
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const p = i * w + j;
        const off = store.at(g.cur.y + i, g.cur.x + j);
        for (let ch = 0; ch < c; ch++) {
          const r = store.data[off + ch]!;
          ref[p * c + ch] = r;
          x1[p * c + ch] = frame.covered[p] === 1 ? frame.data[p * c + ch]! : r;
        }
      }
    }
    await this.#kernels.sparsify({ data: x1, shape: v.shape }, ref, step.threshold, out);
    for (let k = 0; k < out.count; k++) {
      const p = out.active[k]!;
      const off = store.at(g.cur.y + Math.floor(p / w), g.cur.x + (p % w));
      for (let ch = 0; ch < c; ch++) store.data[off + ch] = ref[p * c + ch]!;
    }
    return 0;
  }

  async #runLinear(step: Extract<MotionStep, { kind: 'linear' }>, state: MotionState, ctx: PassContext): Promise<number> {
    const st = state.get(step.step.output);
    const v = st.value;
    const constants = this.#graph.constants;
    const inputs = step.step.inputs.map((i): DeltaBuffer | Tensor | undefined =>
      i.kind === 'absent' ? undefined : i.kind === 'constant' ? constants.get(i.value)! : state.get(i.value).view!,
    );
    const out = v.role === 'fused' ? st.ext! : v.role === 'store' ? state.extOf(v.name) : st.view!;
    const active = inputs.some((i) => i !== undefined && 'count' in i && i.count > 0);
    if (active) await this.#kernels.linear({ op: step.step.op, attrs: step.attrs, inputs } as LinearDeltaCall, out);
    else out.clear();
    const macs = (step.step.denseMacs * out.count) / (v.shape[1] * v.shape[2]);
    if (v.role === 'store') settleStore(st, out, new ValueGeometry(v, ctx), ctx.pass);
    else if (v.role === 'pointwise') settlePointwise(st, new ValueGeometry(v, ctx), ctx.pass);
    return macs;
  }

  async #runActivation(step: Extract<MotionStep, { kind: 'activation' }>, state: MotionState, ctx: PassContext): Promise<number> {
    const yState = state.get(step.step.output);
    const uState = state.get(step.step.input);
    const y = yState.value;
    const u = uState.value;
    const out = yState.view!;
    const emitted = yState.emitted!;
    const [, h, w, c] = y.shape;
    const fused = step.fused;
    const acc: WindowStore = fused ? uState.store! : yState.store!;
    const x = fused ? uState.ext! : uState.view!;
    // Fused: the producer wrote viewport + ring; otherwise the input is a settled viewport delta.
    const ring = fused ? u.ring : { top: 0, left: 0, bottom: 0, right: 0 };
    const xw = w + ring.left + ring.right;
    const bias = fused ? u.bias : undefined;
    const g = new ValueGeometry(y, ctx);
    const din = state.dinOf(y.name);
    din.clear();
    const a = state.scratch.array(h * w * c, 2);
    const e = state.scratch.array(h * w * c, 3);
    const leaving = ctx.pass === 'shrink' ? state.scratch.array(h * w * c, 4) : undefined;
    const leavingPixels: number[] = [];

    if (leaving) {
      eachPixel(g.changed, (wy, wx) => {
        const p = (wy - g.cur.y) * w + (wx - g.cur.x);
        const eo = emitted.at(wy, wx);
        for (let ch = 0; ch < c; ch++) {
          leaving[p * c + ch] = -emitted.data[eo + ch]!;
          emitted.data[eo + ch] = 0;
        }
        if (fused && bias) {
          const so = acc.at(wy, wx);
          for (let ch = 0; ch < c; ch++) acc.data[so + ch]! -= bias[ch]!;
        }
        leavingPixels.push(p);
      });
    }
    for (let k = 0; k < x.count; k++) {
      const q = x.active[k]!;
      const wy = g.cur.y - ring.top + Math.floor(q / xw);
      const wx = g.cur.x - ring.left + (q % xw);
      if (g.inStay(wy, wx)) {
        const p = (wy - g.cur.y) * w + (wx - g.cur.x);
        const so = acc.at(wy, wx);
        const eo = emitted.at(wy, wx);
        din.activate(p);
        for (let ch = 0; ch < c; ch++) {
          din.values[p * c + ch] = x.values[q * c + ch]!;
          a[p * c + ch] = acc.data[so + ch]!;
          e[p * c + ch] = emitted.data[eo + ch]!;
        }
      } else if (fused) {
        // Ring, leaving and entering pixels: keep the partial sum; entering ones are emitted below.
        const so = acc.at(wy, wx);
        for (let ch = 0; ch < c; ch++) acc.data[so + ch]! += x.values[q * c + ch]!;
      }
    }
    if (ctx.pass === 'grow') {
      eachPixel(g.changed, (wy, wx) => {
        const p = (wy - g.cur.y) * w + (wx - g.cur.x);
        din.activate(p);
        const so = acc.at(wy, wx);
        for (let ch = 0; ch < c; ch++) {
          // The full pre-activation: what the ring gathered, plus the bias, added exactly once.
          din.values[p * c + ch] = fused ? acc.data[so + ch]! + (bias?.[ch] ?? 0) : x.mask[p] === 1 ? x.values[p * c + ch]! : 0;
          a[p * c + ch] = 0;
          e[p * c + ch] = 0;
        }
      });
    }
    if (din.count > 0) await this.#kernels.activation(din, step.step.activation, { accumulated: a, emitted: e }, step.step.threshold, out);
    else out.clear();
    for (let k = 0; k < din.count; k++) {
      const p = din.active[k]!;
      const wy = g.cur.y + Math.floor(p / w);
      const wx = g.cur.x + (p % w);
      const so = acc.at(wy, wx);
      const eo = emitted.at(wy, wx);
      for (let ch = 0; ch < c; ch++) {
        acc.data[so + ch] = a[p * c + ch]!;
        emitted.data[eo + ch] = e[p * c + ch]!;
      }
    }
    if (leaving) {
      for (const p of leavingPixels) {
        out.activate(p);
        for (let ch = 0; ch < c; ch++) out.values[p * c + ch] = leaving[p * c + ch]!;
      }
    }
    return (step.step.denseMacs * out.count) / (h * w);
  }
}

/**
 * A value with its own store: every active pixel of the producer's output (viewport + ring) goes
 * into the store; staying viewport pixels pass their delta on; leaving ones emit minus their full
 * value and drop the bias; entering ones take the bias once and emit their full value.
 */
function settleStore(st: ValueState, x: DeltaBuffer, g: ValueGeometry, pass: PassKind): void {
  const v = st.value;
  const store = st.store!;
  const out = st.view!;
  const [, , w, c] = v.shape;
  const xw = x.shape[2];
  const bias = v.bias;
  out.clear();
  if (pass === 'shrink') {
    eachPixel(g.changed, (wy, wx) => {
      const p = (wy - g.cur.y) * w + (wx - g.cur.x);
      const off = store.at(wy, wx);
      out.activate(p);
      for (let ch = 0; ch < c; ch++) {
        out.values[p * c + ch] = -store.data[off + ch]!;
        if (bias) store.data[off + ch]! -= bias[ch]!;
      }
    });
  }
  for (let k = 0; k < x.count; k++) {
    const q = x.active[k]!;
    const wy = g.cur.y - v.ring.top + Math.floor(q / xw);
    const wx = g.cur.x - v.ring.left + (q % xw);
    const off = store.at(wy, wx);
    for (let ch = 0; ch < c; ch++) store.data[off + ch]! += x.values[q * c + ch]!;
    if (g.inStay(wy, wx)) {
      const p = (wy - g.cur.y) * w + (wx - g.cur.x);
      out.activate(p);
      for (let ch = 0; ch < c; ch++) out.values[p * c + ch] = x.values[q * c + ch]!;
    }
  }
  if (pass === 'grow') {
    eachPixel(g.changed, (wy, wx) => {
      const p = (wy - g.cur.y) * w + (wx - g.cur.x);
      const off = store.at(wy, wx);
      out.activate(p);
      for (let ch = 0; ch < c; ch++) {
        if (bias) store.data[off + ch]! += bias[ch]!;
        out.values[p * c + ch] = store.data[off + ch]!;
      }
    });
  }
}

/**
 * A pointwise value keeps nothing: its inputs already carry minus / plus their full values at the
 * pixels that leave / enter (aligned grids), so only the op's constant offset is missing there.
 */
function settlePointwise(st: ValueState, g: ValueGeometry, pass: PassKind): void {
  const v = st.value;
  const out = st.view!;
  const [, , w, c] = v.shape;
  const bias = v.bias;
  const sign = pass === 'shrink' ? -1 : 1;
  eachPixel(g.changed, (wy, wx) => {
    const p = (wy - g.cur.y) * w + (wx - g.cur.x);
    out.activate(p);
    if (bias) for (let ch = 0; ch < c; ch++) out.values[p * c + ch]! += sign * bias[ch]!;
  });
}
