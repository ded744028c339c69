import { allConvs, networkLayout, type ConvSpec, type PolicyArchitecture } from './architecture.js';
import { convBackward, convForward, reluBackward, type Activation } from './conv-layer.js';
import type { PolicyWeights } from './init-weights.js';

/** What the backward pass needs from a forward pass: every layer's input and output. */
interface Trace {
  readonly input: Activation;
  readonly stem: Activation;
  readonly stages: { input: Activation; a: Activation; b: Activation; shortcut: Activation; out: Activation }[];
  readonly head: Activation[];
}

/**
 * The policy network in plain TypeScript with its own backward pass: the training side of the
 * policy (the inference side runs the same layers as a MotionDelta graph, `policy-graph.ts`).
 * Only these layer types exist here, so the gradient is a few loops rather than a general autodiff
 * library; `convBackward` and this file are checked against finite differences in the tests.
 */
export class PolicyNetwork {
  private readonly layout;

  constructor(
    readonly architecture: PolicyArchitecture,
    private readonly weights: PolicyWeights,
  ) {
    this.layout = networkLayout(architecture);
  }

  /** Block logits [N, rows, cols, 1] of an input [N, rows*ppb, cols*ppb, C]. */
  forward(input: Activation): Activation {
    return this.trace(input).head.at(-1)!;
  }

  /**
   * dL/dparameter for a loss whose gradient with respect to the logits is `dLogits` (same layout as
   * the logits), recomputing the forward pass of `input`.
   */
  gradients(input: Activation, dLogitsOf: (logits: Activation) => Float32Array): Map<string, Float32Array> {
    const t = this.trace(input);
    const grads = new Map<string, Float32Array>();
    for (const c of allConvs(this.layout)) {
      grads.set(`${c.name}.weight`, new Float32Array(this.weights.get(`${c.name}.weight`)!.length));
      grads.set(`${c.name}.bias`, new Float32Array(c.outChannels));
    }
    const back = (spec: ConvSpec, x: Activation, dy: Activation, needInput = true): Float32Array | undefined =>
      convBackward(
        x,
        spec,
        this.weights.get(`${spec.name}.weight`)!,
        dy,
        grads.get(`${spec.name}.weight`)!,
        grads.get(`${spec.name}.bias`)!,
        needInput,
      );
    const like = (a: Activation, data: Float32Array): Activation => ({ ...a, data });

    // Head, last to first: the last convolution has no ReLU.
    const head = this.layout.head;
    let dy = dLogitsOf(t.head.at(-1)!);
    for (let i = head.length - 1; i >= 0; i--) {
      const out = t.head[i]!;
      if (i < head.length - 1) reluBackward(out, dy);
      const x = i === 0 ? t.stages.at(-1)!.out : t.head[i - 1]!;
      dy = back(head[i]!, x, like(out, dy))!;
    }
    for (let i = this.layout.stages.length - 1; i >= 0; i--) {
      const s = this.layout.stages[i]!;
      const st = t.stages[i]!;
      const dSum = reluBackward(st.out, dy);
      const dA = back(s.second, st.a, like(st.b, dSum))!;
      reluBackward(st.a, dA);
      const dx = back(s.first, st.input, like(st.a, dA))!;
      const dShortcut = s.projection ? back(s.projection, st.input, like(st.shortcut, dSum))! : dSum;
      for (let j = 0; j < dx.length; j++) dx[j]! += dShortcut[j]!;
      dy = dx;
    }
    reluBackward(t.stem, dy);
    back(this.layout.stem, t.input, like(t.stem, dy), false);
    return grads;
  }

  private trace(input: Activation): Trace {
    const conv = (spec: ConvSpec, x: Activation, relu: boolean): Activation =>
      convForward(x, spec, this.weights.get(`${spec.name}.weight`)!, this.weights.get(`${spec.name}.bias`)!, relu);
    const stem = conv(this.layout.stem, input, true);
    let x = stem;
    const stages: Trace['stages'] = [];
    for (const s of this.layout.stages) {
      const a = conv(s.first, x, true);
      const b = conv(s.second, a, false);
      const shortcut = s.projection ? conv(s.projection, x, false) : x;
      const sum = new Float32Array(b.data.length);
      for (let i = 0; i < sum.length; i++) {
        const v = b.data[i]! + shortcut.data[i]!;
        sum[i] = v > 0 ? v : 0;
      }
      const out = { ...b, data: sum };
      stages.push({ input: x, a, b, shortcut, out });
      x = out;
    }
    const head: Activation[] = [];
    for (const [i, h] of this.layout.head.entries()) {
      x = conv(h, x, i < this.layout.head.length - 1);
      head.push(x);
    }
    return { input, stem, stages, head };
  }
}
