import { DeltaBuffer } from '@motiondelta/core';
import type { DeltaKernels, Rng, Shape } from '@motiondelta/core';
import { checkDelta } from './compare-delta.js';
import { checkValues } from './compare-values.js';
import { cloneDelta, dirtyBuffer } from './change-patterns.js';
import type { ChangePattern } from './change-patterns.js';
import { deltaCase, framePatterns } from './delta-case.js';
import { STATE_TOLERANCE, statefulOutputTolerance } from './tolerance.js';
import type { ConformanceCase } from './types.js';

/** The state of any stateful delta kernel: accumulated inputs (empty for a constant operand) and emitted outputs. */
export interface KernelState {
  readonly accumulated: readonly Float32Array[];
  readonly emitted: Float32Array;
}

/** One stateful kernel with its constants drawn: initial state, how to draw a frame, how to call the kernel. */
export interface StatefulSetup {
  readonly outShape: Shape;
  readonly initial: KernelState;
  /**
   * Whether the kernel's outputs are exact on the 1/256 grid the inputs are drawn from: then every
   * backend computes the same bits, and decisions exactly at the threshold are tested.
   */
  readonly exact: boolean;
  /** The varying inputs of one frame, with `pattern` deciding which pixels changed. */
  frame(rng: Rng, pattern: ChangePattern): DeltaBuffer[];
  run(kernels: DeltaKernels, deltas: readonly DeltaBuffer[], state: KernelState, threshold: number, out: DeltaBuffer): Promise<void>;
}

function cloneState(s: KernelState): KernelState {
  return { accumulated: s.accumulated.map((a) => Float32Array.from(a)), emitted: Float32Array.from(s.emitted) };
}

/**
 * Sets, in both states alike, the emitted value of every pixel the frame will recompute, so that
 * the truncation statistic max_c |y - emitted| takes a value this function chose: exactly the
 * threshold (must not be emitted: the rule is `>`), just above, below, or 0 for exact kernels;
 * for kernels whose outputs round differently per backend (sigmoid, division), only values far
 * from the threshold, so rounding cannot flip a decision. `y` comes from a dry run of the
 * reference that emits every candidate (threshold -1).
 */
async function plantDecisions(
  setup: StatefulSetup,
  reference: DeltaKernels,
  deltas: readonly DeltaBuffer[],
  states: readonly KernelState[],
  threshold: number,
  rng: Rng,
): Promise<void> {
  const refState = states[0]!;
  const dry = new DeltaBuffer(setup.outShape);
  await setup.run(reference, deltas.map(cloneDelta), cloneState(refState), -1, dry);
  const c = dry.channels;
  const step = 1 / 64;
  const choices = setup.exact
    ? threshold > 0
      ? [threshold, threshold + step, threshold - step, 0]
      : [0, step, 0.5]
    : threshold > 0
      ? [threshold / 2, threshold * 2]
      : [step, 0.5];
  for (let i = 0; i < dry.count; i++) {
    const q = dry.active[i]!;
    const s = choices[Math.floor(rng.next() * choices.length)]!;
    const peak = Math.floor(rng.next() * c);
    for (let ch = 0; ch < c; ch++) {
      const j = q * c + ch;
      const y = dry.values[j]! + refState.emitted[j]!;
      // The peak channel moves by exactly s, the others by less (multiples of s/8).
      const u = ch === peak ? (rng.next() < 0.5 ? -1 : 1) : Math.round((rng.next() * 2 - 1) * 7) / 8;
      for (const state of states) state.emitted[j] = y - s * u;
    }
  }
}

function maxAbs(arrays: readonly Float32Array[]): number {
  let m = 0;
  for (const a of arrays) for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

/**
 * A stateful delta case: two frames (a dense scatter, then `pattern`) through the same dirty
 * output buffers, each backend with its own copy of the state. Compared per frame: identical
 * masks, output values, accumulated and emitted state.
 */
export function statefulCase(
  op: string,
  label: string,
  threshold: number,
  pattern: ChangePattern,
  build: (rng: Rng) => StatefulSetup,
): ConformanceCase {
  return deltaCase(op, `${label} t${threshold} ${pattern}`, async ({ backend, reference, rng, report }) => {
    const setup = build(rng);
    const refState = cloneState(setup.initial);
    const backendState = cloneState(setup.initial);
    const outRef = new DeltaBuffer(setup.outShape);
    dirtyBuffer(outRef, rng);
    const outBackend = cloneDelta(outRef);
    for (const [f, framePattern] of framePatterns(pattern).entries()) {
      const deltas = setup.frame(rng, framePattern);
      await plantDecisions(setup, reference, deltas, [refState, backendState], threshold, rng);
      const scale = maxAbs([refState.emitted]);
      await setup.run(reference, deltas.map(cloneDelta), refState, threshold, outRef);
      await setup.run(backend, deltas, backendState, threshold, outBackend);
      const name = `frame ${f + 1} (${framePattern})`;
      checkDelta(report, `${name} out`, outBackend, outRef, statefulOutputTolerance(scale));
      refState.accumulated.forEach((acc, i) => {
        if (acc.length > 0) checkValues(report, `${name} accumulated[${i}]`, backendState.accumulated[i]!, acc, STATE_TOLERANCE);
      });
      checkValues(report, `${name} emitted`, backendState.emitted, refState.emitted, STATE_TOLERANCE);
    }
  });
}
