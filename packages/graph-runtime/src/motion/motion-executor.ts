import type { Backend, DeltaBuffer, DeltaKernels, LinearDeltaCall, Tensor } from '@motiondelta/core';
import { intersectRects, subtractRect, type Rect, type WorldPoint } from '@motiondelta/spherical-buffer';
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
  /** Leaving (shrink) or entering (grow) viewport pixels, as viewport-local indices `i * width + j`. */
  readonly changed: Int32Array;
  // The staying pixels in viewport-local coordinates: rows [#i0, #i1), columns [#j0, #j1).
  readonly #i0: number;
  readonly #i1: number;
  readonly #j0: number;
  readonly #j1: number;

  constructor(v: MotionValue, ctx: PassContext) {
    const from = valueOrigin(v, ctx.from);
    const to = valueOrigin(v, ctx.to);
    const oldV = viewportRect(v, from);
    const newV = viewportRect(v, to);
    const cur = ctx.pass === 'shrink' ? from : to;
    this.cur = cur;
    this.stay = intersectRects(oldV, newV);
    const rects = ctx.pass === 'shrink' ? subtractRect(oldV, newV) : subtractRect(newV, oldV);
    const w = v.shape[2];
    this.changed = new Int32Array(rects.reduce((n, r) => n + r.height * r.width, 0));
    let k = 0;
    for (const r of rects) {
      for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) this.changed[k++] = (y - cur.y) * w + (x - cur.x);
    }
    const st = this.stay;
    this.#i0 = st ? st.y - cur.y : 0;
    this.#i1 = st ? st.y - cur.y + st.height : 0;
    this.#j0 = st ? st.x - cur.x : 0;
    this.#j1 = st ? st.x - cur.x + st.width : 0;
  }

  /** Whether viewport-local pixel `(i, j)` (possibly in the ring) stays in the viewport. */
  stays(i: number, j: number): boolean {
    return i >= this.#i0 && i < this.#i1 && j >= this.#j0 && j < this.#j1;
  }
}

/**
 * Marks a pixel active without zeroing its channels: for callers that then write every channel.
 * (`DeltaBuffer.activate` zeroes them so that kernels can accumulate.)
 */
function mark(d: DeltaBuffer, p: number): void {
  if (d.mask[p] === 0) {
    d.mask[p] = 1;
    d.active[d.count++] = p;
  }
}

/** `a + k` wrapped to `[0, n)`, for `a` and `k` in `[0, n)`. */
function add(a: number, k: number, n: number): number {
  const s = a + k;
  return s >= n ? s - n : s;
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
    const sd = store.data;
    const row0 = store.row(g.cur.y);
    const col0 = store.col(g.cur.x);
    const at = (i: number, j: number): number => (add(row0, i, store.slotsH) * store.slotsW + add(col0, j, store.slotsW)) * c;
    if (ctx.pass === 'shrink') {
      out.clear();
      const ov = out.values;
      for (let k = 0; k < g.changed.length; k++) {
        const p = g.changed[k]!;
        const i = (p / w) | 0;
        const off = at(i, p - i * w);
        mark(out, p);
        for (let ch = 0; ch < c; ch++) ov[p * c + ch] = -sd[off + ch]!;
      }
      return 0;
    }
    if (!frame) throw new Error('motion: the grow pass needs the warped frame');
    // Pixels the frame does not cover keep the canvas value (their reference): no update there.
    const x1 = state.scratch.array(h * w * c, 0);
    const ref = state.scratch.array(h * w * c, 1);
    // The reference is the viewport of the store: per row at most two runs (split where it wraps).
    const first = Math.min(w, store.slotsW - col0);
    for (let i = 0; i < h; i++) {
      const base = store.row(g.cur.y + i) * store.slotsW;
      ref.set(sd.subarray((base + col0) * c, (base + col0 + first) * c), i * w * c);
      if (first < w) ref.set(sd.subarray(base * c, (base + w - first) * c), (i * w + first) * c);
    }
    if (frame.coveredCount === h * w) x1.set(frame.data);
    else {
      x1.set(ref);
      const covered = frame.covered;
      const fd = frame.data;
      for (let p = 0; p < h * w; p++) {
        if (covered[p] === 1) for (let ch = 0; ch < c; ch++) x1[p * c + ch] = fd[p * c + ch]!;
      }
    }
    await this.#kernels.sparsify({ data: x1, shape: v.shape }, ref, step.threshold, out);
    for (let k = 0; k < out.count; k++) {
      const p = out.active[k]!;
      const i = (p / w) | 0;
      const off = at(i, p - i * w);
      for (let ch = 0; ch < c; ch++) sd[off + ch] = ref[p * c + ch]!;
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
    const ad = acc.data;
    const ed = emitted.data;
    const dv = din.values;
    const xv = x.values;
    // Slot row / column of the viewport's (and, for the accumulator, the window's) first pixel.
    const eRow0 = emitted.row(g.cur.y);
    const eCol0 = emitted.col(g.cur.x);
    const aRow0 = acc.row(g.cur.y - acc.ring.top);
    const aCol0 = acc.col(g.cur.x - acc.ring.left);
    const emittedAt = (i: number, j: number): number => (add(eRow0, i, emitted.slotsH) * emitted.slotsW + add(eCol0, j, emitted.slotsW)) * c;
    // `acc` has the producer's ring when fused (then it is `ring`), none otherwise (ring is 0 then too).
    const accAt = (i: number, j: number): number => (add(aRow0, i + acc.ring.top, acc.slotsH) * acc.slotsW + add(aCol0, j + acc.ring.left, acc.slotsW)) * c;

    if (leaving) {
      for (let k = 0; k < g.changed.length; k++) {
        const p = g.changed[k]!;
        const i = (p / w) | 0;
        const j = p - i * w;
        const eo = emittedAt(i, j);
        for (let ch = 0; ch < c; ch++) {
          leaving[p * c + ch] = -ed[eo + ch]!;
          ed[eo + ch] = 0;
        }
        if (fused && bias) {
          const so = accAt(i, j);
          for (let ch = 0; ch < c; ch++) ad[so + ch]! -= bias[ch]!;
        }
      }
    }
    for (let k = 0; k < x.count; k++) {
      const q = x.active[k]!;
      const qi = (q / xw) | 0;
      const i = qi - ring.top;
      const j = q - qi * xw - ring.left;
      if (g.stays(i, j)) {
        const p = i * w + j;
        const so = accAt(i, j);
        const eo = emittedAt(i, j);
        mark(din, p);
        for (let ch = 0; ch < c; ch++) {
          dv[p * c + ch] = xv[q * c + ch]!;
          a[p * c + ch] = ad[so + ch]!;
          e[p * c + ch] = ed[eo + ch]!;
        }
      } else if (fused) {
        // Ring, leaving and entering pixels: keep the partial sum; entering ones are emitted below.
        const so = accAt(i, j);
        for (let ch = 0; ch < c; ch++) ad[so + ch]! += xv[q * c + ch]!;
      }
    }
    if (ctx.pass === 'grow') {
      const xm = x.mask;
      for (let k = 0; k < g.changed.length; k++) {
        const p = g.changed[k]!;
        mark(din, p);
        if (fused) {
          // The full pre-activation: what the ring gathered, plus the bias, added exactly once.
          const i = (p / w) | 0;
          const so = accAt(i, p - i * w);
          if (bias) for (let ch = 0; ch < c; ch++) dv[p * c + ch] = ad[so + ch]! + bias[ch]!;
          else for (let ch = 0; ch < c; ch++) dv[p * c + ch] = ad[so + ch]!;
        } else if (xm[p] === 1) {
          for (let ch = 0; ch < c; ch++) dv[p * c + ch] = xv[p * c + ch]!;
        } else {
          dv.fill(0, p * c, p * c + c);
        }
        a.fill(0, p * c, p * c + c);
        e.fill(0, p * c, p * c + c);
      }
    }
    if (din.count > 0) await this.#kernels.activation(din, step.step.activation, { accumulated: a, emitted: e }, step.step.threshold, out);
    else out.clear();
    for (let k = 0; k < din.count; k++) {
      const p = din.active[k]!;
      const i = (p / w) | 0;
      const so = accAt(i, p - i * w);
      for (let ch = 0; ch < c; ch++) ad[so + ch] = a[p * c + ch]!;
    }
    // The kernel moves `emitted` only where it emits (the delta contract), so only those go back.
    for (let k = 0; k < out.count; k++) {
      const p = out.active[k]!;
      const i = (p / w) | 0;
      const eo = emittedAt(i, p - i * w);
      for (let ch = 0; ch < c; ch++) ed[eo + ch] = e[p * c + ch]!;
    }
    if (leaving) {
      for (let k = 0; k < g.changed.length; k++) {
        const p = g.changed[k]!;
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
  const sd = store.data;
  const ov = out.values;
  const xv = x.values;
  const { top, left } = store.ring;
  const row0 = store.row(g.cur.y - top);
  const col0 = store.col(g.cur.x - left);
  // Offset of window-local pixel (qi, qj) (the viewport starts at (top, left)).
  const at = (qi: number, qj: number): number => (add(row0, qi, store.slotsH) * store.slotsW + add(col0, qj, store.slotsW)) * c;
  out.clear();
  if (pass === 'shrink') {
    for (let k = 0; k < g.changed.length; k++) {
      const p = g.changed[k]!;
      const i = (p / w) | 0;
      const off = at(i + top, p - i * w + left);
      mark(out, p);
      for (let ch = 0; ch < c; ch++) {
        ov[p * c + ch] = -sd[off + ch]!;
        if (bias) sd[off + ch]! -= bias[ch]!;
      }
    }
  }
  for (let k = 0; k < x.count; k++) {
    const q = x.active[k]!;
    const qi = (q / xw) | 0;
    const qj = q - qi * xw;
    const off = at(qi, qj);
    for (let ch = 0; ch < c; ch++) sd[off + ch]! += xv[q * c + ch]!;
    const i = qi - top;
    const j = qj - left;
    if (g.stays(i, j)) {
      const p = i * w + j;
      mark(out, p);
      for (let ch = 0; ch < c; ch++) ov[p * c + ch] = xv[q * c + ch]!;
    }
  }
  if (pass === 'grow') {
    for (let k = 0; k < g.changed.length; k++) {
      const p = g.changed[k]!;
      const i = (p / w) | 0;
      const off = at(i + top, p - i * w + left);
      mark(out, p);
      for (let ch = 0; ch < c; ch++) {
        if (bias) sd[off + ch]! += bias[ch]!;
        ov[p * c + ch] = sd[off + ch]!;
      }
    }
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
  const ov = out.values;
  for (let k = 0; k < g.changed.length; k++) {
    const p = g.changed[k]!;
    // `activate` zeroes a pixel the kernel left inactive, so the offset lands on 0.
    out.activate(p);
    if (bias) for (let ch = 0; ch < c; ch++) ov[p * c + ch]! += sign * bias[ch]!;
  }
}
